"""Resource caps, set by environment: DuckDB's memory limit on every connection (STRATEGY_MEMORY_LIMIT) and the
number of answers each cache keeps (STRATEGY_CACHE_ENTRIES). Each takes effect; a mistyped value is refused with a
plain message that names the setting and how to write it."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from strategy import db
from tests.conftest import PROJECT_ROOT

DUCKDB_UNITS = {"KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40}


def limit_in_bytes(con) -> float:
    """DuckDB's memory limit as it reports it (e.g. '488.2 MiB'), in bytes."""
    number, unit = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0].split()
    return float(number) * DUCKDB_UNITS[unit]


@pytest.mark.parametrize(
    "setting, expected_bytes", [("512MB", 512 * 10**6), ("1.5GiB", 1.5 * 2**30), (" 300 mb ", 300 * 10**6)]
)
def test_the_memory_limit_setting_takes_effect_on_every_connection(demo_db_copy, monkeypatch, setting, expected_bytes):
    monkeypatch.setenv("STRATEGY_MEMORY_LIMIT", setting)
    for read_only in (False, True):
        con = db.connect(demo_db_copy, read_only=read_only)
        try:
            assert limit_in_bytes(con) == pytest.approx(expected_bytes, rel=0.001)
        finally:
            con.close()


def test_without_the_setting_duckdb_may_use_half_of_the_machine(demo_db_copy, monkeypatch):
    monkeypatch.delenv("STRATEGY_MEMORY_LIMIT", raising=False)
    total_kib = int(re.search(r"MemTotal:\s+(\d+) kB", open("/proc/meminfo").read()).group(1))
    con = db.connect(demo_db_copy, read_only=True)
    try:
        assert limit_in_bytes(con) == pytest.approx(total_kib * 1024 / 2, rel=0.01)
    finally:
        con.close()


@pytest.mark.parametrize("typo", ["2GBB", "two gigabytes", "512", "10MB", "-1GB"])
def test_a_mistyped_memory_limit_is_refused_with_a_plain_message(demo_db_copy, monkeypatch, typo):
    monkeypatch.setenv("STRATEGY_MEMORY_LIMIT", typo)
    with pytest.raises(db.SettingError, match="STRATEGY_MEMORY_LIMIT") as refused:
        db.connect(demo_db_copy)
    assert "2GB" in str(refused.value) and repr(typo) in str(refused.value)


def test_a_command_with_a_mistyped_memory_limit_says_so_without_a_traceback(demo_db_copy):
    done = subprocess.run(
        [sys.executable, "-m", "strategy", "--db", str(demo_db_copy), "health"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "STRATEGY_MEMORY_LIMIT": "2GBB"},
    )
    assert done.returncode == 1
    assert "STRATEGY_MEMORY_LIMIT" in done.stdout and "Traceback" not in done.stdout + done.stderr


COUNT_COMPUTATIONS = """
import sys
from strategy import analysis
from strategy.filters import Filters
from strategy.ui import data

computed = []
analysis.counted_question = lambda con, framework, filters: computed.append(filters) or len(computed)
for aim in ("A1", "A2", "A3", "A4", "A5", "A1"):  # five links, then the first again
    data._answer(sys.argv[1], 0, None, "strategy.analysis:counted_question", Filters(aims=(aim,)))
print(len(computed))
"""


def computations(database, entries: str | None) -> int:
    env = {key: value for key, value in os.environ.items() if key != "STRATEGY_CACHE_ENTRIES"}
    if entries is not None:
        env["STRATEGY_CACHE_ENTRIES"] = entries
    done = subprocess.run(
        [sys.executable, "-c", COUNT_COMPUTATIONS, str(database)],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    return int(done.stdout.split()[-1])


def test_the_cache_entries_setting_caps_the_answer_cache(demo_db_copy):
    # six requests, five distinct links: with room for three answers the first link's answer was dropped (the least
    # recently used goes first) and is computed again; with the default, every answer is still there
    assert computations(demo_db_copy, "3") == 6
    assert computations(demo_db_copy, None) == 5


@pytest.mark.parametrize("typo", ["lots", "1e3", "-5", "0", "10 entries"])
def test_a_mistyped_cache_setting_is_refused_with_a_plain_message(monkeypatch, typo):
    from strategy.ui import data

    monkeypatch.setenv("STRATEGY_CACHE_ENTRIES", typo)
    entries, problem = data.cache_entries_setting()
    assert isinstance(problem, db.SettingError)
    assert "STRATEGY_CACHE_ENTRIES" in str(problem) and repr(typo) in str(problem) and "whole number" in str(problem)
    monkeypatch.setenv("STRATEGY_CACHE_ENTRIES", "1,500")
    assert data.cache_entries_setting() == (1500, None)


@pytest.mark.parametrize("typo", ["of", "no", "false", "1"])
def test_a_mistyped_warming_setting_is_refused_with_a_plain_message(monkeypatch, typo):
    from strategy.ui import data

    monkeypatch.setenv("STRATEGY_WARMING", typo)
    warm, problem = data.warming_setting()
    assert isinstance(problem, db.SettingError)
    assert "STRATEGY_WARMING" in str(problem) and repr(typo) in str(problem) and "neither on nor off" in str(problem)
    for written, wanted in (("off", False), (" OFF ", False), ("on", True), ("", True)):
        monkeypatch.setenv("STRATEGY_WARMING", written)
        assert data.warming_setting() == (wanted, None)
