"""Server CPU per page run: what one run of each dashboard page costs the server, beside the load test's yardstick.

    python -m tests.perf.page_cpu [--runs 20] [--blocks 3] [--cold-views 8] [--activities 1500]

On a shared machine wall time moves with whatever else runs; the CPU the server process spends (user + system,
every thread, DuckDB's included, from /proc) moves much less, and with a room of people on two cores it is what
the load test's P95 follows. Pages are opened one after another, each in a fresh websocket session, as the load
test opens them (tests/perf/streamlit_session.py):

- warm: each page on the unfiltered view and on a place-and-aim view already opened once, --runs times in a row,
  in --blocks blocks (the spread of the blocks' means says how steady the figure is);
- cold: for --cold-views views nobody has opened yet (a place with an aim, as two thirds of the load test's
  sessions open), each page once in the load test's order, so a page pays only for what the pages before it
  left uncached;
- the yardstick (tests/perf/trivial_page.py) on its own server, the same way.

It also counts what each page draws (elements, and containers/columns/forms opened). Results are printed and
written to test-output/page_cpu.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import statistics
import sys
import tempfile
import urllib.parse
from pathlib import Path

from strategy.build import build_database
from strategy.filters import Filters
from strategy.framework import load_framework
from tests.perf.load_test import PAGES, WARMED, session_filters
from tests.perf.server import Server
from tests.perf.streamlit_session import StreamlitSession

PROJECT_ROOT = Path(__file__).resolve().parents[2]
OUTPUT = PROJECT_ROOT / "test-output" / "page_cpu.json"


async def run_once(url: str, page: str, query: str):
    async with StreamlitSession(url) as session:
        run = await session.run_page(page, query)
    if not run.finished or run.exceptions:
        raise RuntimeError(f"{page}?{query}: {run.exceptions or 'did not finish'}")
    return run


def timed(server: Server, page: str, query: str) -> tuple[float, object]:
    before = server.cpu_seconds()
    run = asyncio.run(run_once(server.url, page, query))
    return server.cpu_seconds() - before, run


def warm_figures(server: Server, page: str, query: str, runs: int, blocks: int) -> dict:
    """Mean CPU ms per run in each block of `runs` runs (after one run not counted), and what one run drew."""
    _, drawn = timed(server, page, query)
    means = []
    for _ in range(blocks):
        total = sum(timed(server, page, query)[0] for _ in range(runs))
        means.append(round(1000 * total / runs, 1))
    return {
        "cpu_ms_blocks": means,
        "cpu_ms": statistics.median(means),
        "elements": drawn.elements,
        "blocks": drawn.blocks,
        "charts": drawn.charts,
    }


def query_of(filters: Filters) -> str:
    return urllib.parse.urlencode(filters.to_query(), doseq=True)


def measure(activities: int, runs: int, blocks: int, cold_views: int, workdir: Path) -> dict:
    framework = load_framework()
    database = workdir / "cpu.duckdb"
    build_database(database, with_demo=True, activities=activities)
    result: dict = {"activities": activities, "runs": runs, "blocks": blocks, "cpus": os.cpu_count()}

    trivial = Server("tests/perf/trivial_page.py", database, workdir / "trivial.log")
    try:
        result["yardstick"] = warm_figures(trivial, "", "", runs, blocks)
    finally:
        trivial.stop()

    dashboard = Server("serve.py", database, workdir / "dashboard.log")
    try:
        result["warmed_at_start"] = dashboard.wait_for_log(WARMED)
        for _, path in PAGES:  # imports and the connection, on a view nobody measures
            timed(dashboard, path, "theme=T3")
        # cold first: views nobody has opened (the load test's place-and-aim sessions), each page once in order
        cold_filters = [f for f in dict.fromkeys(session_filters(i, framework) for i in range(1, 200)) if f.aims]
        cold = {page: [] for page, _ in PAGES}
        for filters in cold_filters[:cold_views]:
            for page, path in PAGES:
                cold[page].append(round(1000 * timed(dashboard, path, query_of(filters))[0], 1))
        result["cold_views"] = [f.to_query() for f in cold_filters[:cold_views]]
        result["cold"] = {page: {"cpu_ms_each": ms, "cpu_ms": statistics.median(ms)} for page, ms in cold.items()}
        views = {"unfiltered": "", "place and aim": query_of(cold_filters[0])}
        result["warm"] = {
            view: {page: warm_figures(dashboard, path, query, runs, blocks) for page, path in PAGES}
            for view, query in views.items()
        }
    finally:
        dashboard.stop()
    return result


def report(result: dict) -> str:
    yard = result["yardstick"]
    lines = [
        f"server CPU per page run, ms ({result['activities']:,} activities; warm: mean of {result['runs']} runs, "
        f"median of {result['blocks']} blocks [blocks]; cold: median over views)",
        "",
        f"{'page':<14}{'warm, unfiltered':>30}{'warm, place+aim':>30}{'cold':>10}{'elements':>10}{'blocks':>8}",
        f"{'yardstick':<14}{yard['cpu_ms']:>8.1f} {str(yard['cpu_ms_blocks']):<21}{'':>40}"
        f"{yard['elements']:>10}{yard['blocks']:>8}",
    ]
    for page, _ in PAGES:
        whole, narrow = result["warm"]["unfiltered"][page], result["warm"]["place and aim"][page]
        lines.append(
            f"{page:<14}{whole['cpu_ms']:>8.1f} {str(whole['cpu_ms_blocks']):<21}"
            f"{narrow['cpu_ms']:>8.1f} {str(narrow['cpu_ms_blocks']):<21}{result['cold'][page]['cpu_ms']:>10.1f}"
            f"{whole['elements']:>10}{whole['blocks']:>8}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=20, help="runs of each page per block (warm)")
    parser.add_argument("--blocks", type=int, default=3)
    parser.add_argument("--cold-views", type=int, default=8, help="views nobody opened yet, each page once")
    parser.add_argument("--activities", type=int, default=1500)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="page-cpu-"))
    try:
        result = measure(args.activities, args.runs, args.blocks, args.cold_views, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(result, indent=2))
    print(report(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
