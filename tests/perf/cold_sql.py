"""Which named SQL a cold view spends its time in: each dashboard page opened in AppTest, in this process, for views
nobody has opened yet (the load test's place-and-aim views), with every `db.query` timed by its name.

    python -m tests.perf.cold_sql [--views 4] [--activities 1500] [--warm]

With --warm the server's start-up warming (strategy.ui.warming.warm_shared_answers) runs first, as in the load test,
so what is left is what a first visitor still pays. Times are wall time in one process: compare them with each
other, not with the load test's.
"""

from __future__ import annotations

import argparse
import collections
import logging
import os
import shutil
import tempfile
import time
from pathlib import Path

from strategy import db
from strategy.build import build_database
from strategy.framework import load_framework
from tests.perf.load_test import session_filters

PAGES = ["app.py", "pages/1_Alignment.py", "pages/2_Coverage_and_gaps.py", "pages/3_Places.py", "pages/4_Trends.py"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--views", type=int, default=4)
    parser.add_argument("--activities", type=int, default=1500)
    parser.add_argument("--warm", action="store_true", help="run the start-up warming first")
    args = parser.parse_args()
    logging.disable(logging.WARNING)
    workdir = Path(tempfile.mkdtemp(prefix="cold-sql-"))
    try:
        database = workdir / "cold.duckdb"
        build_database(database, with_demo=True, activities=args.activities)
        os.environ["STRATEGY_DB"] = str(database)
        times: dict[str, list[float]] = collections.defaultdict(list)
        query = db.query

        def timed_query(con, name, **params):
            started = time.perf_counter()
            try:
                return query(con, name, **params)
            finally:
                times[name].append(time.perf_counter() - started)

        db.query = timed_query
        from strategy.ui import warming
        from tests.apptest import open_app

        framework = load_framework()
        views = [f for f in dict.fromkeys(session_filters(i, framework) for i in range(1, 200)) if f.aims]
        views = views[: args.views]
        for page in PAGES:  # imports, on a view nobody measures
            open_app(page, {"theme": "T3"})
        if args.warm:
            warming.warm_shared_answers()
        times.clear()
        per_page: dict[str, float] = collections.defaultdict(float)
        for filters in views:
            for page in PAGES:
                started = time.perf_counter()
                open_app(page, filters.to_query(), timeout=120)
                per_page[page] += time.perf_counter() - started
        sql = sum(sum(t) for t in times.values())
        print(f"{len(views)} cold views: pages {sum(per_page.values()):.2f} s, named SQL {sql:.2f} s (wall)")
        for page, seconds in per_page.items():
            print(f"  {page:<32}{1000 * seconds / len(views):8.0f} ms a view")
        for name, spent in sorted(times.items(), key=lambda item: -sum(item[1])):
            print(
                f"{name:<40} {len(spent):4} calls {1000 * sum(spent):8.0f} ms, "
                f"{1000 * sum(spent) / len(spent):7.1f} ms each"
            )
    finally:
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
