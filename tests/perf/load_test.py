"""Load test: many sessions at once open Overview and Alignment with filters from the URL, beside a trivial
one-chart page under the same load in the same run (the floor on this machine).

    python -m tests.perf.load_test --sessions 50 [--activities 1500] [--upload FILE --partner NAME]

Each session is a lightweight client speaking Streamlit's own websocket protocol (tests/perf/streamlit_session.py)
and runs each page to script_finished. Every session's numbers are checked against strategy.analysis computed
directly for that session's filters, so a session that saw someone else's view fails. Servers run as
`streamlit run serve.py` (and trivial_page.py) on copies of a demo database; the server's resident memory is
sampled from /proc while the waves run. Results are printed and written to test-output/load_test.json.
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
from strategy.build import build_database
from strategy.filters import Filters
from strategy.framework import load_framework
from tests.perf.streamlit_session import StreamlitSession

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


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))]


def figures(seconds: list[float]) -> dict:
    return {"p50_s": round(statistics.median(seconds), 2), "p95_s": round(percentile(seconds, 0.95), 2),
            "max_s": round(max(seconds), 2)}


def run(sessions: int, activities: int, workdir: Path) -> dict:
    framework = load_framework()
    database = workdir / "load.duckdb"
    build_database(database, with_demo=True, activities=activities)
    filters = [session_filters(i, framework) for i in range(sessions)]
    expected = {f: expected_numbers(database, framework, f) for f in set(filters)}
    queries = [urllib.parse.urlencode(f.to_query(), doseq=True) for f in filters]
    result = {"sessions": sessions, "activities": activities, "cpus": os.cpu_count()}

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
        for name in ("cold", "warm"):  # cold: a fresh server; warm: the same links again, answers now cached
            plans = [[("", q), ("Alignment", q)] for q in queries]
            runs = asyncio.run(wave(dashboard.url, plans))
            failed, wrong = [], []
            for index, outcome in enumerate(runs):
                if isinstance(outcome, BaseException):
                    failed.append(f"session {index}: {outcome!r}")
                    continue
                overview, alignment = outcome
                if not (overview.finished and alignment.finished) or overview.exceptions or alignment.exceptions:
                    failed.append(f"session {index}: {overview.exceptions + alignment.exceptions}")
                    continue
                tile, cells = expected[filters[index]]
                text = "\n".join(m for m in alignment.markdown if "activities**" in m)
                shown = re.search(r"\*\*([\d,]+) activities\*\* address", text)
                behind = next((n for (row, column), n in cells.items() if f" address {row} and {column}" in text), None)
                if overview.metrics.get("Activities") != tile or behind is None or not shown or \
                        int(shown.group(1).replace(",", "")) != min(behind, 500):
                    wrong.append(f"session {index}: saw {overview.metrics.get('Activities')} / "
                                 f"{shown and shown.groups()}, expected {tile} / {behind}")
            good = [r for r in runs if not isinstance(r, BaseException)]
            result[name] = {"overview": figures([r[0].seconds for r in good]),
                            "alignment": figures([r[1].seconds for r in good]),
                            "overview_then_alignment": figures([r[0].seconds + r[1].seconds for r in good]),
                            "failed_sessions": len(failed), "sessions_with_wrong_numbers": len(wrong),
                            "problems": (failed + wrong)[:10]}
        result["dashboard_memory_growth_mb"] = round(max(dashboard.samples) - idle)
        result["dashboard_idle_mb"] = round(idle)
    finally:
        dashboard.stop()
    floor = result["trivial"]["p95_s"]
    result["ratio_p95_to_trivial"] = {page: round(result["cold"][page]["p95_s"] / floor, 2)
                                      for page in ("overview", "alignment")}
    return result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sessions", type=int, default=50)
    parser.add_argument("--activities", type=int, default=1500)
    args = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="load-test-"))
    try:
        result = run(args.sessions, args.activities, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    OUTPUT.parent.mkdir(exist_ok=True)
    OUTPUT.write_text(json.dumps(result, indent=2))
    print(json.dumps(result, indent=2))
    ok = all(result[w]["failed_sessions"] == 0 and result[w]["sessions_with_wrong_numbers"] == 0
             for w in ("cold", "warm")) and result["trivial"]["failed_sessions"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
