"""Load test: many sessions at once open the dashboard's pages (Overview, Alignment, Coverage and gaps, Places,
Trends) with filters from the URL, beside a yardstick page written as Streamlit's own examples write one (a title,
a metric and a plotly.express bar chart, tests/perf/trivial_page.py) under the same load in the same run.

    python -m tests.perf.load_test --sessions 50 [--activities 1500] [--upload-rows 2000] [--no-chromium]

Exit status 0 when every session saw its own numbers and every target was met, 1 when a session failed or saw wrong
numbers, 3 when every session was right but a target was missed.

Each session is a lightweight client speaking Streamlit's own websocket protocol (tests/perf/streamlit_session.py)
and runs each page to script_finished. Every session's numbers are checked against strategy.analysis computed
directly for that session's filters, so a session that saw someone else's view fails. Three waves on the
dashboard: cold (a fresh server, once it has warmed the shared answers: the unfiltered view and each county and
place on its own), warm (the same links again), and "while one partner upload lands": the same
links while one more person uploads a partner file through the Upload page in a real Chromium (the file chosen and
checked beforehand; Load pressed as the wave opens) and two more open Overview then Alignment in real Chromium
(tests/perf/chromium_sessions.py), timed to the page drawn. During the upload wave each page must show the
numbers from before the upload or after it (computed from a copy with the same file imported), never anything else.
Servers run as `streamlit run serve.py` (and
trivial_page.py) on copies of a demo database; the server's resident memory is sampled from /proc while the waves
run. Results are printed and written to test-output/load_test.json.

Targets, in the same run (the machine may be shared, so ratios matter more than seconds): each dashboard page's
warm P95 no more than TARGET_WARM x the yardstick page's P95, and each page's cold P95 no more than TARGET_COLD x
its own warm P95. A table of P50/P95 per page and wave, the ratios and pass/fail per target is printed at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from strategy import analysis, db
from strategy.access import LOCAL_USER
from strategy.build import build_database
from strategy.filters import Filters
from strategy.framework import load_framework
from strategy.ingest import LOADED, import_activities
from tests.activity_files import csv_bytes, row
from tests.perf.server import Server
from tests.perf.waves import chromium_alone, wave, wave_with_chromium

WARMED = "Shared answers warmed"  # serve.py's line when the start-up warming is done

PROJECT_ROOT = Path(__file__).resolve().parents[2]
OUTPUT = PROJECT_ROOT / "test-output" / "load_test.json"
# The dashboard pages each session opens in turn (url path, as Streamlit names pages/N_Name.py): the first two are
# checked number by number against strategy.analysis, the others must finish without an exception.
PAGES = [
    ("overview", ""),
    ("alignment", "Alignment"),
    ("coverage", "Coverage_and_gaps"),
    ("places", "Places"),
    ("trends", "Trends"),
]
TARGET_WARM = 2.0  # a dashboard page's warm P95 against the yardstick page's P95
TARGET_COLD = 1.5  # a page's cold-wave P95 against its own warm P95


def session_filters(index: int, framework) -> Filters:
    """A third of the room opens the same shared link (a county); the rest each open their own place and aim."""
    if index % 3 == 0:
        return Filters(places=("E10000007",))
    places = framework.local_places()
    return Filters(places=(places[index % len(places)].code,), aims=(framework.aims[index % 5].code,))


def expected_numbers(database: Path, framework, filters: Filters) -> tuple[str, dict]:
    """What Overview's Activities tile must show for these filters, and Alignment's 'activities behind a cell'
    for every (aim label, way label) cell, computed directly by strategy.analysis."""
    con = db.connect(database, read_only=True)
    try:
        total = analysis.headline_totals(con, framework, filters)["activities"]
        cells = {
            (row_label, column_label): len(
                analysis.activities_in_cell(con, framework, filters, "aim", row, "way", column)
            )
            for row, row_label in analysis.dimension_codes(framework, "aim", filters)
            for column, column_label in analysis.dimension_codes(framework, "way", filters)
        }
        return f"{total:,}", cells
    finally:
        con.close()


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def figures(seconds: list[float]) -> dict:
    return {
        "p50_s": round(statistics.median(seconds), 2),
        "p95_s": round(percentile(seconds, 0.95), 2),
        "max_s": round(max(seconds), 2),
    }


UPLOAD_PARTNER = "Load Test Walking Network"


def upload_file(rows: int) -> dict:
    """The partner file uploaded during the third wave: places and aims every session's filters can see."""
    data = csv_bytes(
        [
            row(
                activity_id=f"LT-{i}",
                places="Derbyshire" if i % 2 else "Nottinghamshire",
                aims="A1; A3" if i % 3 else "A2; A5",
                ways_of_working="W2; W4",
            )
            for i in range(rows)
        ]
    )
    return {"data": data, "file_name": "walking-network.csv", "partner": UPLOAD_PARTNER, "rows": rows}


def database_after_upload(database: Path, upload: dict, workdir: Path) -> Path:
    """A copy of the database with the same file imported: the numbers every page must show once it has landed."""
    after = workdir / "after-upload.duckdb"
    shutil.copy(database, after)
    con = db.connect(after)
    try:
        report = import_activities(con, upload["data"], upload["file_name"], upload["partner"], LOCAL_USER)
        assert report.status == LOADED, report.message
    finally:
        con.close()
    return after


def wrong_numbers(index: int, overview, alignment, states: list[tuple[str, dict]]) -> str | None:
    """Why a session's pages did not show the numbers of one of the allowed states (before / after an upload)."""
    text = "\n".join(m for m in alignment.markdown if "activities**" in m)
    shown = re.search(r"\*\*([\d,]+) activities\*\* address", text)
    tile_ok = any(overview.metrics.get("Activities") == tile for tile, _ in states)
    cell_ok = False
    for _, cells in states:
        behind = next((n for (r, c), n in cells.items() if f" address {r} and {c}" in text), None)
        cell_ok |= behind is not None and bool(shown) and int(shown.group(1).replace(",", "")) == min(behind, 500)
    if tile_ok and cell_ok:
        return None
    return (
        f"session {index}: saw {overview.metrics.get('Activities')} / {shown and shown.groups()}, expected "
        f"{' or '.join(tile for tile, _ in states)}"
    )


def wave_figures(runs: list, filters: list, expected: dict, pages: list[str]) -> dict:
    failed, wrong = [], []
    for index, outcome in enumerate(runs):
        if isinstance(outcome, BaseException):
            failed.append(f"session {index}: {outcome!r}")
            continue
        if not all(r.finished for r in outcome) or any(r.exceptions for r in outcome):
            failed.append(f"session {index}: {[e for r in outcome for e in r.exceptions]}")
            continue
        overview, alignment = outcome[0], outcome[1]
        problem = wrong_numbers(index, overview, alignment, expected[filters[index]])
        if problem:
            wrong.append(problem)
    good = [r for r in runs if not isinstance(r, BaseException)]
    return {
        **{page: figures([r[i].seconds for r in good]) for i, page in enumerate(pages)},
        "session_all_pages": figures([sum(p.seconds for p in r) for r in good]),
        "failed_sessions": len(failed),
        "sessions_with_wrong_numbers": len(wrong),
        "problems": (failed + wrong)[:10],
    }


def viewer_figures(seen: list, viewer_filters: list, expected: dict) -> dict:
    results = []
    for outcome, f in zip(seen, viewer_filters):
        if isinstance(outcome, BaseException):
            results.append({"error": repr(outcome)[:300]})
            continue
        outcome["numbers_ok"] = outcome["activities_tile"] in [tile for tile, _ in expected[f]]
        results.append(outcome)
    return {"sessions": results, "failed": sum("error" in r or not r["numbers_ok"] for r in results)}


def run(
    sessions: int, activities: int, workdir: Path, upload_rows: int = 2000, use_chromium: bool = True, viewers: int = 2
) -> dict:
    framework = load_framework()
    database = workdir / "load.duckdb"
    build_database(database, with_demo=True, activities=activities)
    upload = upload_file(upload_rows)
    after = database_after_upload(database, upload, workdir)
    filters = [session_filters(i, framework) for i in range(sessions)]
    viewer_filters = [session_filters(sessions + i, framework) for i in range(viewers)] if use_chromium else []
    before_numbers = {f: expected_numbers(database, framework, f) for f in set(filters + viewer_filters)}
    after_numbers = {f: expected_numbers(after, framework, f) for f in set(filters + viewer_filters)}
    queries = [urllib.parse.urlencode(f.to_query(), doseq=True) for f in filters]
    viewer_queries = [urllib.parse.urlencode(f.to_query(), doseq=True) for f in viewer_filters]
    result = {
        "sessions": sessions,
        "activities": activities,
        "cpus": os.cpu_count(),
        "chromium_viewers": len(viewer_queries),
        "upload_rows": upload_rows,
    }

    trivial = Server("tests/perf/trivial_page.py", database, workdir / "trivial.log")
    try:
        asyncio.run(wave(trivial.url, [[("", "")]]))  # first run imports the libraries; not part of the figures
        idle = trivial.rss_mb()
        trivial.sample()
        # the same shape as a dashboard wave: every session opens the page as many times as there are dashboard
        # pages, each time in a fresh session, so as many page runs overlap as in a dashboard wave
        server_cpu, client_cpu = trivial.cpu_seconds(), time.process_time()
        runs = asyncio.run(wave(trivial.url, [[("", "")] * len(PAGES) for _ in range(sessions)]))
        server_cpu, client_cpu = trivial.cpu_seconds() - server_cpu, time.process_time() - client_cpu
        failures = [r for r in runs if isinstance(r, BaseException) or any(not p.finished or p.exceptions for p in r)]
        result["trivial"] = {
            **figures([p.seconds for r in runs if not isinstance(r, BaseException) for p in r]),
            "failed_sessions": len(failures),
            "memory_growth_mb": round(max(trivial.samples) - idle),
            "page_runs": sum(len(r) for r in runs if not isinstance(r, BaseException)),
            "server_cpu_s": round(server_cpu, 1),
            "client_cpu_s": round(client_cpu, 1),
        }
    finally:
        trivial.stop()

    dashboard = Server("serve.py", database, workdir / "dashboard.log")
    try:
        # the server warms the shared answers (each county and place on its own) as it starts; the cold wave opens
        # once that is done, as the first people in would after a restart
        warmed = dashboard.wait_for_log(WARMED)
        result["warmed_at_start"] = warmed
        # every page once: imports, connection; a view no session asks for
        asyncio.run(wave(dashboard.url, [[(path, "theme=T3") for _, path in PAGES]]))
        idle = dashboard.rss_mb()
        dashboard.sample()
        plans = [[(path, q) for _, path in PAGES] for q in queries]
        for name in ("cold", "warm", "upload") if use_chromium else ("cold", "warm"):
            # cold: a fresh server; warm: the same links again, answers cached; upload: the same links while one
            # more person uploads a partner file in Chromium (which clears the caches when it lands) and two more
            # open the links in Chromium
            expected = {
                f: [before_numbers[f]] + ([after_numbers[f]] if name == "upload" else []) for f in before_numbers
            }
            started, server_cpu, client_cpu = time.perf_counter(), dashboard.cpu_seconds(), time.process_time()
            if name == "upload":
                result["chromium_alone"] = asyncio.run(chromium_alone(dashboard.url, viewer_queries[0]))
                runs, seen, uploaded, seconds = asyncio.run(
                    wave_with_chromium(dashboard.url, plans, viewer_queries, upload)
                )
            else:
                runs = asyncio.run(wave(dashboard.url, plans))
                seconds = time.perf_counter() - started
            result[name] = wave_figures(runs, filters, expected, [page for page, _ in PAGES])
            result[name]["wave_s"] = round(seconds, 2)
            result[name]["server_cpu_s"] = round(dashboard.cpu_seconds() - server_cpu, 1)
            result[name]["client_cpu_s"] = round(time.process_time() - client_cpu, 1)
            if name == "upload":
                result[name]["chromium"] = viewer_figures(seen, viewer_filters, expected)
                result[name]["partner_upload"] = (
                    {"error": repr(uploaded)[:300]} if isinstance(uploaded, BaseException) else uploaded
                )
        result["dashboard_memory_growth_mb"] = round(max(dashboard.samples) - idle)
        result["dashboard_idle_mb"] = round(idle)
    finally:
        dashboard.stop()
    con = db.connect(database, read_only=True)
    try:  # the upload landed whole, once, in the server's own file
        result["upload_landed_rows"] = con.execute(
            "SELECT count(*) FROM activities a JOIN partners p USING (partner_id) WHERE p.name = ? AND "
            "a.replaced_by_upload IS NULL",
            [UPLOAD_PARTNER],
        ).fetchall()[0][0]
    finally:
        con.close()
    result["targets"] = targets(result)
    return result


def targets(result: dict) -> list[dict]:
    """Each page's warm P95 against the yardstick's P95, and its cold P95 against its own warm P95: the ratio, the
    target and whether it is met (all from this one run)."""
    floor = result["trivial"]["p95_s"]
    rows = []
    for page, _ in PAGES:
        warm, cold = result["warm"][page]["p95_s"], result["cold"][page]["p95_s"]
        rows.append(
            {
                "target": f"{page}: warm P95 / yardstick P95",
                "ratio": round(warm / floor, 2),
                "limit": TARGET_WARM,
                "met": warm <= TARGET_WARM * floor,
            }
        )
        rows.append(
            {
                "target": f"{page}: cold P95 / warm P95",
                "ratio": round(cold / warm, 2),
                "limit": TARGET_COLD,
                "met": cold <= TARGET_COLD * warm,
            }
        )
    return rows


def report(result: dict) -> str:
    """The run as a table: P50 / P95 per page and wave, the targets with their ratios, memory."""
    waves = [w for w in ("cold", "warm", "upload") if w in result]
    lines = [
        f"{result['sessions']} sessions at once, {result['activities']:,} activities, {result['cpus']} CPUs",
        "",
        f"{'page':<22}" + "".join(f"{w + ' P50 / P95 s':>22}" for w in waves),
    ]
    trivial = result["trivial"]
    lines.append(f"{'yardstick (px page)':<22}" + f"{trivial['p50_s']:>14.2f} / {trivial['p95_s']:.2f}")
    for page, _ in PAGES:
        lines.append(
            f"{page:<22}"
            + "".join(f"{result[w][page]['p50_s']:>14.2f} / {result[w][page]['p95_s']:<5.2f}" for w in waves)
        )
    lines += ["", f"{'target':<40}{'ratio':>8}{'limit':>8}  result"]
    for target in result["targets"]:
        lines.append(
            f"{target['target']:<40}{target['ratio']:>8.2f}{target['limit']:>8.1f}  "
            + ("met" if target["met"] else "NOT MET")
        )
    met = sum(target["met"] for target in result["targets"])
    lines += [
        f"{met} of {len(result['targets'])} targets met",
        "",
        "CPU of each wave, s (server process; this test's own websocket clients beside it on the same machine): "
        + "; ".join(
            f"{name} {figures['server_cpu_s']} + {figures['client_cpu_s']}"
            for name, figures in (("yardstick", trivial), *((w, result[w]) for w in waves))
        ),
        f"memory: dashboard idle {result['dashboard_idle_mb']} MB, +{result['dashboard_memory_growth_mb']} MB "
        f"at the peak of the waves; yardstick server +{trivial['memory_growth_mb']} MB",
        "failed sessions: "
        + ", ".join(f"{w} {result[w]['failed_sessions']}" for w in waves)
        + "; wrong numbers: "
        + ", ".join(f"{w} {result[w]['sessions_with_wrong_numbers']}" for w in waves),
    ]
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--activities", type=int, default=1500)
    parser.add_argument("--upload-rows", type=int, default=2000, help="rows in the partner file uploaded")
    parser.add_argument("--no-chromium", action="store_true", help="websocket sessions only (no upload wave check)")
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="load-test-"))
    try:
        result = run(args.sessions, args.activities, workdir, args.upload_rows, not args.no_chromium)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    print()
    print(report(result))
    ok = (
        all(
            result[w]["failed_sessions"] == 0
            and result[w]["sessions_with_wrong_numbers"] == 0
            and result[w].get("chromium", {}).get("failed", 0) == 0
            for w in ("cold", "warm", "upload")
            if w in result
        )
        and result["trivial"]["failed_sessions"] == 0
        and (args.no_chromium or result["upload_landed_rows"] == args.upload_rows)
    )
    if not ok:
        return 1
    return 0 if all(row["met"] for row in result["targets"]) else 3  # every session right, but a target missed


if __name__ == "__main__":
    sys.exit(main())
