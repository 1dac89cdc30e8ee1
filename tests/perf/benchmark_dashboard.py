"""Benchmark of the dashboard at 10k, 100k and 1M activities: heatmap query, each page's run, peak memory.

    python -m tests.perf.benchmark_dashboard [--sizes 10000 100000 1000000] [--repeat 7] [--out docs/benchmarks.md]

Each size runs in its own process, so the peak memory reported is that size's alone. Figures are medians of
--repeat runs; a page's "cold" run starts with empty caches (the first visitor after data changed), "warm" is a
rerun with the shared cache filled (every later visitor with the same filters).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
PAGES = ["app.py", *sorted(f"pages/{p.name}" for p in (PROJECT_ROOT / "pages").glob("*.py"))]
HEATMAP_CASES = {
    "aim x way, no filter": ({}, "aim", "way"),
    "aim x way, one county": ({"places": ("E10000024",)}, "aim", "way"),
    "place x aim, no filter": ({}, "place", "aim"),
    "aim x way, sector + aim + year": (
        {"sectors": ("sport",), "aims": ("A2",), "date_from": date(2024, 1, 1), "date_to": date(2024, 12, 31)},
        "aim",
        "way",
    ),
}


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(times), 1)


def measure_one_size(database: str, repeat: int) -> dict:
    """Runs inside a child process: every measurement for one database."""
    os.environ["STRATEGY_DB"] = database
    sys.path.insert(0, str(PROJECT_ROOT))
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from strategy import db
    from strategy.filters import Filters
    from strategy.framework import load_framework

    framework = load_framework()
    con = db.connect(database, read_only=True)
    results = {"heatmap_ms": {}, "page_cold_ms": {}, "page_warm_ms": {}}
    for name, (fields, rows, columns) in HEATMAP_CASES.items():
        params = {**Filters(**fields).sql_parameters(framework), "row_dimension": rows, "column_dimension": columns}
        db.query(con, "heatmap_cells", **params)  # first run loads the file's pages into memory
        results["heatmap_ms"][name] = median_ms(lambda: db.query(con, "heatmap_cells", **params), repeat)
    con.close()

    for page in PAGES:

        def cold():
            st.cache_data.clear()
            app = AppTest.from_file(str(PROJECT_ROOT / "app.py"), default_timeout=600)
            if page != "app.py":
                app.switch_page(page)
            app.run()
            assert not app.exception, [e.value for e in app.exception]
            return app

        app = cold()  # the connection is opened once, as on the server
        results["page_cold_ms"][page] = median_ms(cold, max(3, repeat // 2))
        results["page_warm_ms"][page] = median_ms(app.run, repeat)
    results["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    return results


def build(size: int, folder: Path) -> tuple[Path, float, int]:
    database = folder / f"bench-{size}.duckdb"
    start = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            (
                "import resource, sys; from strategy.build import build_database; "
                f"build_database({str(database)!r}, with_demo=True, activities={size}); "
                "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024)"
            ),
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return database, round(time.perf_counter() - start, 1), int(done.stdout.strip().splitlines()[-1])


def report(rows: dict[int, dict], repeat: int) -> str:
    sizes = sorted(rows)
    head = "| | " + " | ".join(f"{s:,} activities" for s in sizes) + " |\n|---|" + "---|" * len(sizes) + "\n"
    processor = platform.processor() or platform.machine()
    lines = [
        f"Measured {date.today().isoformat()} on {os.cpu_count()} cores ({processor}), "
        f"Python {platform.python_version()}; medians of {repeat} runs.\n",
        "### Heatmap query (ms)\n",
        head,
    ]
    for case in HEATMAP_CASES:
        lines.append(f"| {case} | " + " | ".join(str(rows[s]["heatmap_ms"][case]) for s in sizes) + " |\n")
    for kind, title in (("page_cold_ms", "Page run, cold cache (ms)"), ("page_warm_ms", "Page rerun, warm cache (ms)")):
        lines += [f"\n### {title}\n", head]
        for page in PAGES:
            ratio = rows[sizes[-1]][kind][page] / max(rows[sizes[0]][kind][page], 0.1)
            lines.append(
                f"| {page} | "
                + " | ".join(str(rows[s][kind][page]) for s in sizes)
                + f" |  ({ratio:.1f}x from smallest to largest)\n"
            )
    lines += [
        "\n### Build and memory\n",
        head,
        "| build demo database (s) | " + " | ".join(str(rows[s]["build_s"]) for s in sizes) + " |\n",
        "| peak memory, building (MiB) | " + " | ".join(str(rows[s]["build_peak_mib"]) for s in sizes) + " |\n",
        "| peak memory, queries and pages (MiB) | " + " | ".join(str(rows[s]["peak_rss_mib"]) for s in sizes) + " |\n",
    ]
    return "".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--out", type=Path, help="write the Markdown table here as well")
    parser.add_argument("--measure", help=argparse.SUPPRESS)  # child mode: measure one database
    args = parser.parse_args()
    if args.measure:
        print(json.dumps(measure_one_size(args.measure, args.repeat)))
        return
    rows = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in args.sizes:
            database, seconds, build_peak = build(size, Path(folder))
            done = subprocess.run(
                [
                    sys.executable,
                    "-m",
                    "tests.perf.benchmark_dashboard",
                    "--measure",
                    str(database),
                    "--repeat",
                    str(args.repeat),
                ],
                cwd=PROJECT_ROOT,
                capture_output=True,
                text=True,
            )
            if done.returncode:
                sys.exit(done.stderr)
            rows[size] = {
                **json.loads(done.stdout.strip().splitlines()[-1]),
                "build_s": seconds,
                "build_peak_mib": build_peak,
            }
            print(f"{size:,} activities measured", file=sys.stderr)
    text = report(rows, args.repeat)
    print(text)
    if args.out:
        args.out.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
