"""Benchmark of the indicator views: python -m tests.perf.benchmark_indicators [DB]. Prints median timings."""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from strategy import db
from strategy.access import LOCAL_USER
from strategy.build import build_database
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.indicators import trends as indicator_trends
from strategy.indicators.importer import import_indicator_file

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "fingertips_93015_download.csv"


def median_ms(action, repeats: int = 7) -> float:
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    path = Path(sys.argv[1]) if len(sys.argv) > 1 else Path(tempfile.mkdtemp()) / "bench.duckdb"
    if not path.exists():
        build_database(path, with_demo=True)
    framework = load_framework()
    con = db.connect(path)
    ids = list(indicator_trends.indicator_catalogue(con).indicator_id)
    one_place = Filters(places=("E07000174",))
    ms = median_ms(lambda: indicator_trends.assess_indicator(con, framework, "93015"))
    print(f"assess one indicator (93015, 18 areas x 10 years): {ms:.0f} ms")
    ms = median_ms(lambda: indicator_trends.indicator_assessments(con, framework), 3)
    print(f"assess all {len(ids)} indicators (CLI without filters): {ms:.0f} ms")
    ms = median_ms(lambda: indicator_trends.headline_indicators(con, framework, one_place))
    print(f"headline tiles for one place: {ms:.0f} ms")
    ms = median_ms(lambda: indicator_trends.activity_timeline(con, framework, Filters(), "93015", ("E07000174",)))
    print(f"activity timeline for one place: {ms:.0f} ms")
    data = FIXTURE.read_bytes()
    ms = median_ms(lambda: import_indicator_file(con, framework, data, "f.csv", LOCAL_USER, dry_run=True))
    print(f"validate the Fingertips fixture (34 rows, dry run): {ms:.0f} ms")
    con.close()


if __name__ == "__main__":
    main()
