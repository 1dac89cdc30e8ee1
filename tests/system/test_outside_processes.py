"""Outside programs (Chromium for chart images, LibreOffice for PDF packs) never make anything wait for ever:
a missing, broken or stuck one is reported in plain words within seconds.

Each check runs in its own process with a timeout, so a hang fails the test instead of stopping the run."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

import pytest

from strategy.board import pack as board_pack
from tests.conftest import PROJECT_ROOT

DRAW_ONE_CHART = """
import json, time
import plotly.graph_objects as go
from strategy import images
started = time.monotonic()
try:
    images.figure_images([go.Figure(go.Bar(x=[1, 2], y=[3, 4]))])
    outcome = {"error": None, "message": ""}
except Exception as problem:
    outcome = {"error": type(problem).__name__, "message": str(problem)}
outcome["seconds"] = time.monotonic() - started
print(json.dumps(outcome))
"""


def _fake_program(folder, name: str, body: str) -> str:
    path = folder / name
    path.write_text("#!/bin/sh\n" + body + "\n")
    path.chmod(0o755)
    return str(path)


def _python(code_or_args: list[str], env: dict, timeout: float = 60) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, *code_or_args],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=timeout,
    )


@pytest.mark.parametrize("browser", ["missing", "closes_at_once", "never_answers"])
def test_chart_images_without_a_working_chromium_fail_plainly_within_seconds(browser, tmp_path):
    path = {
        "missing": lambda: str(tmp_path / "no-such-chromium"),
        "closes_at_once": lambda: _fake_program(tmp_path, "chromium", "exit 1"),
        "never_answers": lambda: _fake_program(tmp_path, "chromium", "sleep 600"),
    }[browser]()
    done = _python(["-c", DRAW_ONE_CHART], {"BROWSER_PATH": path, "STRATEGY_CHROMIUM_START_SECONDS": "3"})
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["error"] == "ImageExportUnavailable", outcome
    assert "Chromium" in outcome["message"] and "apt-get install chromium" in outcome["message"]
    assert "Traceback" not in outcome["message"]
    assert outcome["seconds"] < 10, outcome


def test_board_pack_command_without_chromium_says_so_instead_of_waiting(demo_db_copy, tmp_path):
    started = time.monotonic()
    done = _python(
        ["-m", "strategy", "--db", str(demo_db_copy), "board-pack", str(tmp_path / "pack.pptx")],
        {"BROWSER_PATH": _fake_program(tmp_path, "chromium", "exit 1")},
    )
    assert done.returncode == 1, done.stderr
    assert "Chromium" in done.stderr and "apt-get install chromium" in done.stderr
    assert "Traceback" not in done.stderr
    assert time.monotonic() - started < 20
    assert not (tmp_path / "pack.pptx").exists()


CONVERT_A_PACK = """
import json, time
from strategy.board import pack as board_pack
started = time.monotonic()
try:
    board_pack.pdf_from_pptx(b"not really a pack", timeout=2)
    outcome = {"error": None, "message": ""}
except Exception as problem:
    outcome = {"error": type(problem).__name__, "message": str(problem)}
outcome["seconds"] = time.monotonic() - started
print(json.dumps(outcome))
"""


def test_a_stuck_libreoffice_is_stopped_with_everything_it_started(tmp_path):
    # the shell waits on a child that holds the output pipe, as LibreOffice's helpers do
    _fake_program(tmp_path, "soffice", f"sleep 600 & echo $! > {tmp_path}/child; wait")
    done = _python(["-c", CONVERT_A_PACK], {"PATH": f"{tmp_path}{os.pathsep}{os.environ['PATH']}"}, timeout=30)
    outcome = json.loads(done.stdout.strip().splitlines()[-1])
    assert outcome["error"] == "BoardPackError", outcome
    assert "did not finish converting the pack to PDF within 2 seconds" in outcome["message"]
    assert outcome["seconds"] < 10
    child = int((tmp_path / "child").read_text())
    time.sleep(0.2)
    assert _ended(child), "the helper was ended too"


def _ended(pid: int) -> bool:
    """Gone, or a zombie waiting to be collected by whoever adopted it."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X")
    except FileNotFoundError:
        return True


def test_libreoffice_that_fails_is_reported_with_its_last_words(tmp_path, monkeypatch):
    _fake_program(tmp_path, "soffice", "echo 'Error: source file could not be loaded'; exit 1")
    monkeypatch.setenv("PATH", f"{tmp_path}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(board_pack.BoardPackError, match="exit status 1: Error: source file could not be loaded"):
        board_pack.pdf_from_pptx(b"not really a pack", timeout=10)


def test_make_run_warns_about_missing_chromium_and_libreoffice_without_failing(tmp_path):
    (tmp_path / "bin").mkdir()  # a PATH with neither program on it
    done = subprocess.run(
        ["/bin/bash", "scripts/check_outside_programs.sh"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        env={"PATH": str(tmp_path / "bin")},
        timeout=30,
    )
    assert done.returncode == 0
    assert "sudo apt-get install chromium" in done.stderr
    assert "sudo apt-get install libreoffice-impress" in done.stderr
    makefile = (PROJECT_ROOT / "Makefile").read_text()
    run_target = next(line for line in makefile.splitlines() if line.startswith("run:"))
    assert "outside" in run_target.split()
    assert "scripts/check_outside_programs.sh" in makefile


REMEMBERED = """
import json
import plotly.graph_objects as go
from strategy import images
before = images.unavailable_reason()
try:
    images.figure_images([go.Figure(go.Bar(x=[1], y=[2]))])
except images.ImageExportUnavailable:
    pass
after = images.unavailable_reason()
images._last_failure_at -= images.FAILURE_REMEMBERED_SECONDS + 1
later = images.unavailable_reason()
print(json.dumps([before, after, later]))
"""


def test_a_browser_that_failed_disables_the_buttons_for_a_while_then_is_tried_again(tmp_path):
    done = _python(["-c", REMEMBERED], {"BROWSER_PATH": _fake_program(tmp_path, "chromium", "exit 1")})
    before, after, later = json.loads(done.stdout.strip().splitlines()[-1])
    assert before is None  # a program is there: nothing to say until it has been tried
    assert "could not be started" in after and "apt-get install chromium" in after
    assert later is None
