"""Load test: many sessions at once open Overview and Alignment with filters from the URL, beside a trivial
one-chart page under the same load in the same run (the floor on this machine).

    python -m tests.perf.load_test --sessions 50 [--activities 1500] [--upload-rows 2000] [--no-chromium]

Each session is a lightweight client speaking Streamlit's own websocket protocol (tests/perf/streamlit_session.py)
and runs each page to script_finished. Every session's numbers are checked against strategy.analysis computed
directly for that session's filters, so a session that saw someone else's view fails. Three waves on the
dashboard: cold (a fresh server), warm (the same links again), and "while one partner upload lands": the same
links while one more person uploads a partner file through the Upload page in a real Chromium (the file chosen and
checked beforehand; Load pressed as the wave opens) and two more open Overview then Alignment in real Chromium
(tests/perf/chromium_sessions.py), timed to the page drawn. During the upload wave each page must show the
numbers from before the upload or after it (computed from a copy with the same file imported), never anything else.
Servers run as `streamlit run serve.py` (and
trivial_page.py) on copies of a demo database; the server's resident memory is sampled from /proc while the waves
run. Results are printed and written to test-output/load_test.json.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
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
from tests.perf import chromium_sessions
from tests.perf.streamlit_session import StreamlitSession
from tests.unit.test_ingest_files import csv_bytes, row

PROJECT_ROOT = Path(__file__).resolve().parents[2]
OUTPUT = PROJECT_ROOT / "test-output" / "load_test.json"
SERVER_FLAGS = ["--server.headless", "true", "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
                "--server.fileWatcherType", "none"]


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
        cells = {(row_label, column_label): len(analysis.activities_in_cell(con, framework, filters, "aim", row,
                                                                             "way", column))
                 for row, row_label in analysis.dimension_codes(framework, "aim", filters)
                 for column, column_label in analysis.dimension_codes(framework, "way", filters)}
        return f"{total:,}", cells
    finally:
        con.close()


class Server:
    """A streamlit server in its own process, with its resident memory sampled while it runs."""

    def __init__(self, script: str, database: Path, log: Path):
        with __import__("socket").socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port), *SERVER_FLAGS],
            cwd=PROJECT_ROOT, env={**os.environ, "STRATEGY_DB": str(database)}, stdout=log.open("wb"),
            stderr=subprocess.STDOUT)
        self.url = f"http://127.0.0.1:{self.port}"
        self.samples: list[int] = []
        self._sampling = False
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{script} did not start; see {log}")

    def rss_mb(self) -> float:
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024

    def sample(self) -> None:
        self._sampling = True

        def loop():
            while self._sampling:
                self.samples.append(self.rss_mb())
                time.sleep(0.2)
        threading.Thread(target=loop, daemon=True).start()

    def stop(self) -> None:
        self._sampling = False
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()


async def one_session(url: str, pages: list[tuple[str, str]], start: asyncio.Event) -> list:
    """One person opening each link in turn, each in a fresh session (as a link opened in a new tab)."""
    await start.wait()
    runs = []
    for page, query in pages:
        async with StreamlitSession(url) as session:
            runs.append(await session.run_page(page, query))
    return runs


async def wave(url: str, plans: list[list[tuple[str, str]]]) -> list:
    start = asyncio.Event()
    tasks = [asyncio.create_task(one_session(url, plan, start)) for plan in plans]
    start.set()  # all sessions open at the same moment
    return await asyncio.gather(*tasks, return_exceptions=True)


async def wave_with_chromium(url: str, plans: list[list[tuple[str, str]]], viewer_queries: list[str],
                             upload: dict) -> tuple[list, list, dict | BaseException, float]:
    """The wave while one partner upload lands: the partner's file is chosen and checked on the Upload page in
    Chromium first, then Load is pressed at the moment the sessions and the Chromium viewers open their links;
    (websocket runs, viewers, upload, seconds until the last websocket session finished)."""
    async with chromium_sessions.chromium() as browser:
        prepared = await chromium_sessions.prepare_upload(browser, url, upload["data"], upload["file_name"],
                                                          upload["partner"], upload["rows"])
        start = asyncio.Event()
        tasks = [asyncio.create_task(one_session(url, plan, start)) for plan in plans]
        viewers = [asyncio.create_task(chromium_sessions.view_pages(browser, url, q)) for q in viewer_queries]
        started = time.perf_counter()
        uploader = asyncio.create_task(prepared.load(started))
        start.set()
        runs = await asyncio.gather(*tasks, return_exceptions=True)
        wave_seconds = time.perf_counter() - started
        seen = await asyncio.gather(*viewers, return_exceptions=True)
        uploaded = (await asyncio.gather(uploader, return_exceptions=True))[0]
    return runs, seen, uploaded, wave_seconds


async def chromium_alone(url: str, query: str) -> dict:
    """One Chromium viewer with nothing else running: the floor for the Chromium times under load."""
    async with chromium_sessions.chromium() as browser:
        return await chromium_sessions.view_pages(browser, url, query)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def figures(seconds: list[float]) -> dict:
    return {"p50_s": round(statistics.median(seconds), 2), "p95_s": round(percentile(seconds, 0.95), 2),
            "max_s": round(max(seconds), 2)}


UPLOAD_PARTNER = "Load Test Walking Network"


def upload_file(rows: int) -> dict:
    """The partner file uploaded during the third wave: places and aims every session's filters can see."""
    data = csv_bytes([row(activity_id=f"LT-{i}", places="Derbyshire" if i % 2 else "Nottinghamshire",
                          aims="A1; A3" if i % 3 else "A2; A5", ways_of_working="W2; W4") for i in range(rows)])
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
    return f"session {index}: saw {overview.metrics.get('Activities')} / {shown and shown.groups()}, expected " \
           f"{' or '.join(tile for tile, _ in states)}"


def wave_figures(runs: list, filters: list, expected: dict) -> dict:
    failed, wrong = [], []
    for index, outcome in enumerate(runs):
        if isinstance(outcome, BaseException):
            failed.append(f"session {index}: {outcome!r}")
            continue
        overview, alignment = outcome
        if not (overview.finished and alignment.finished) or overview.exceptions or alignment.exceptions:
            failed.append(f"session {index}: {overview.exceptions + alignment.exceptions}")
            continue
        problem = wrong_numbers(index, overview, alignment, expected[filters[index]])
        if problem:
            wrong.append(problem)
    good = [r for r in runs if not isinstance(r, BaseException)]
    return {"overview": figures([r[0].seconds for r in good]), "alignment": figures([r[1].seconds for r in good]),
            "overview_then_alignment": figures([r[0].seconds + r[1].seconds for r in good]),
            "failed_sessions": len(failed), "sessions_with_wrong_numbers": len(wrong),
            "problems": (failed + wrong)[:10]}


def viewer_figures(seen: list, viewer_filters: list, expected: dict) -> dict:
    results = []
    for outcome, f in zip(seen, viewer_filters):
        if isinstance(outcome, BaseException):
            results.append({"error": repr(outcome)[:300]})
            continue
        outcome["numbers_ok"] = outcome["activities_tile"] in [tile for tile, _ in expected[f]]
        results.append(outcome)
    return {"sessions": results, "failed": sum("error" in r or not r["numbers_ok"] for r in results)}


def run(sessions: int, activities: int, workdir: Path, upload_rows: int = 2000, use_chromium: bool = True,
        viewers: int = 2) -> dict:
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
    result = {"sessions": sessions, "activities": activities, "cpus": os.cpu_count(),
              "chromium_viewers": len(viewer_queries), "upload_rows": upload_rows}

    trivial = Server("tests/perf/trivial_page.py", database, workdir / "trivial.log")
    try:
        asyncio.run(wave(trivial.url, [[("", "")]]))  # first run imports the libraries; not part of the figures
        idle = trivial.rss_mb()
        trivial.sample()
        runs = asyncio.run(wave(trivial.url, [[("", "")] for _ in range(sessions)]))
        failures = [r for r in runs if isinstance(r, BaseException) or not r[0].finished or r[0].exceptions]
        result["trivial"] = {**figures([r[0].seconds for r in runs if not isinstance(r, BaseException)]),
                             "failed_sessions": len(failures), "memory_growth_mb": round(max(trivial.samples) - idle)}
    finally:
        trivial.stop()

    dashboard = Server("serve.py", database, workdir / "dashboard.log")
    try:
        asyncio.run(wave(dashboard.url, [[("", "theme=T3")]]))  # imports, connection; a view no session asks for
        idle = dashboard.rss_mb()
        dashboard.sample()
        plans = [[("", q), ("Alignment", q)] for q in queries]
        for name in ("cold", "warm", "upload") if use_chromium else ("cold", "warm"):
            # cold: a fresh server; warm: the same links again, answers cached; upload: the same links while one
            # more person uploads a partner file in Chromium (which clears the caches when it lands) and two more
            # open the links in Chromium
            expected = {f: [before_numbers[f]] + ([after_numbers[f]] if name == "upload" else [])
                        for f in before_numbers}
            started = time.perf_counter()
            if name == "upload":
                result["chromium_alone"] = asyncio.run(chromium_alone(dashboard.url, viewer_queries[0]))
                runs, seen, uploaded, seconds = asyncio.run(wave_with_chromium(dashboard.url, plans, viewer_queries,
                                                                               upload))
            else:
                runs = asyncio.run(wave(dashboard.url, plans))
                seconds = time.perf_counter() - started
            result[name] = wave_figures(runs, filters, expected)
            result[name]["wave_s"] = round(seconds, 2)
            if name == "upload":
                result[name]["chromium"] = viewer_figures(seen, viewer_filters, expected)
                result[name]["partner_upload"] = ({"error": repr(uploaded)[:300]}
                                                  if isinstance(uploaded, BaseException) else uploaded)
        result["dashboard_memory_growth_mb"] = round(max(dashboard.samples) - idle)
        result["dashboard_idle_mb"] = round(idle)
    finally:
        dashboard.stop()
    con = db.connect(database, read_only=True)
    try:  # the upload landed whole, once, in the server's own file
        result["upload_landed_rows"] = con.execute(
            "SELECT count(*) FROM activities a JOIN partners p USING (partner_id) WHERE p.name = ? AND "
            "a.replaced_by_upload IS NULL", [UPLOAD_PARTNER]).fetchall()[0][0]
    finally:
        con.close()
    floor = result["trivial"]["p95_s"]
    result["ratio_p95_to_trivial"] = {f"{wave_name}_{page}": round(result[wave_name][page]["p95_s"] / floor, 2)
                                      for wave_name in ("cold", "warm", "upload") if wave_name in result
                                      for page in ("overview", "alignment")}
    return result


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
    ok = all(result[w]["failed_sessions"] == 0 and result[w]["sessions_with_wrong_numbers"] == 0
             and result[w].get("chromium", {}).get("failed", 0) == 0 for w in ("cold", "warm", "upload")
             if w in result) \
        and result["trivial"]["failed_sessions"] == 0 \
        and (args.no_chromium or result["upload_landed_rows"] == args.upload_rows)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
