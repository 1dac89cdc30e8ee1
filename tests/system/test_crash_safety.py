"""Crash safety: an import killed with kill -9 at many different moments leaves a database that opens and holds
all of that upload or none of it, every time.

The import announces its stages when STRATEGY_TEST_PAUSE_AT is set (strategy/ingest/stages.py) and holds at the
one named. Two kinds of kill: one held at each named stage (so every stage is covered for certain), and timed
ones that land part-way between two stages (inside the big INSERT, during COMMIT, during the checkpoint on
closing), spread over the gaps measured in an uninterrupted run. Which stage each kill hit is recorded (the last
stage the process announced before it died) and the outcomes are written to test-output/crash_safety.json.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import asdict, dataclass

import pytest

from strategy import db
from strategy.ingest.stages import PAUSE_VARIABLE, STAGES
from tests.activity_files import csv_bytes, row
from tests.conftest import PROJECT_ROOT, TEST_OUTPUT

ROWS = 50_000  # loading takes a few tenths of a second: room for kills to land inside the write
PARTNER = "Crash Test Partner"
# Timed kills: (stage, share of the measured gap to the next stage to wait after it is announced).
TIMED = [
    ("reading", 0.3),
    ("reading", 0.7),
    ("validated", 0.5),
    ("write lock", 0.5),
    ("upload recorded", 0.25),
    ("upload recorded", 0.5),
    ("upload recorded", 0.75),
    ("activities written", 0.5),
    ("before commit", 0.0),
    ("before commit", 0.3),
    ("before commit", 0.7),
    ("committed", 0.2),
    ("committed", 0.5),
    ("committed", 0.8),
]


@dataclass
class Kill:
    planned: str
    hit: str  # the last stage announced before the process died, or "finished"
    outcome: str = ""  # "none" or "all"


@pytest.fixture(scope="module")
def upload_file(tmp_path_factory):
    path = tmp_path_factory.mktemp("crash") / "partner.csv"
    path.write_bytes(
        csv_bytes(
            [
                row(
                    activity_id=f"C-{i}",
                    places="Derbyshire" if i % 3 else "Mansfield; Ashfield",
                    aims="A1; A3" if i % 2 else "A2",
                )
                for i in range(ROWS)
            ]
        )
    )
    return path


def start_import(database, upload_file, pause_at: str) -> subprocess.Popen:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "strategy",
            "--db",
            str(database),
            "import",
            "activities",
            str(upload_file),
            "--partner",
            PARTNER,
            "--json",
        ],
        cwd=PROJECT_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env={**os.environ, PAUSE_VARIABLE: pause_at},
    )


def stages_announced(text: bytes) -> list[str]:
    return [line[len("stage: ") :] for line in text.decode().splitlines() if line.startswith("stage: ")]


def import_killed(database, upload_file, stage: str, wait: float | None) -> str:
    """Run the import and kill -9 it at `stage` (held there when wait is None, else `wait` seconds after the
    stage is announced); the last stage it announced, or 'finished' if it ended first."""
    process = start_import(database, upload_file, stage if wait is None else "-")
    announced = []
    for line in process.stderr:
        if line.startswith(b"stage: "):
            announced.append(line[len(b"stage: ") :].decode().strip())
            if announced[-1] == stage:
                break
    assert announced and announced[-1] == stage, f"the import never reached {stage!r}"
    if wait is None:
        assert process.poll() is None, "the import must be held at the stage when it is killed"
    else:
        time.sleep(wait)
    finished = process.poll() is not None
    process.send_signal(signal.SIGKILL)
    process.wait()
    announced += stages_announced(process.stderr.read())
    return "finished" if finished and process.returncode == 0 else announced[-1]


def database_state(database) -> tuple[dict, tuple]:
    """(row count of every table, a fingerprint of the partner's upload: rows, links and place shares)."""
    con = db.connect(database)  # read-write, so an unfinished write-ahead log is replayed or discarded
    try:
        counts = db.table_counts(con)
        upload = con.execute(
            """
            SELECT (SELECT count(*) FROM uploads u JOIN partners p USING (partner_id) WHERE p.name = $partner),
                   count(*),
                   md5(coalesce(string_agg(a.activity_id || '|' || a.title || '|' || a.version || '|' ||
                       (SELECT string_agg(aim, ',' ORDER BY aim) FROM activity_aims m
                        WHERE m.activity_key = a.activity_key) || '|' ||
                       (SELECT string_agg(place_code || ':' || round(share, 6), ',' ORDER BY place_code)
                        FROM activity_places ap WHERE ap.activity_key = a.activity_key),
                       ';' ORDER BY a.activity_id), ''))
            FROM activities a JOIN partners p USING (partner_id) WHERE p.name = $partner""",
            {"partner": PARTNER},
        ).fetchall()[0]
        return counts, upload
    finally:
        con.close()


@pytest.fixture(scope="module")
def reference(demo_db_file, upload_file, tmp_path_factory):
    """The states before and after an uninterrupted import, and how long it spent between stages."""
    folder = tmp_path_factory.mktemp("reference")
    database = folder / "after.duckdb"
    shutil.copy(demo_db_file, database)
    before = database_state(demo_db_file)
    process = start_import(database, upload_file, "-")
    times = {}
    for line in process.stderr:
        if line.startswith(b"stage: "):
            times[line[len(b"stage: ") :].decode().strip()] = time.perf_counter()
    assert process.wait() == 0
    after = database_state(database)
    assert after[1][:2] == (1, ROWS)
    gaps = {stage: times[following] - times[stage] for stage, following in zip(STAGES, STAGES[1:])}
    return before, after, gaps


def test_kill_9_at_every_stage_and_between_stages_leaves_all_or_nothing(reference, demo_db_file, upload_file, tmp_path):
    before, after, gaps = reference
    plans = [(stage, None) for stage in STAGES] + [(stage, gaps[stage] * share) for stage, share in TIMED]
    kills = []
    for number, (stage, wait) in enumerate(plans):
        database = tmp_path / f"kill-{number}.duckdb"
        shutil.copy(demo_db_file, database)
        hit = import_killed(database, upload_file, stage, wait)
        state = database_state(database)  # opens, every time, or this raises
        assert state in (before, after), f"kill at {stage} (+{wait}s, hit {hit}) left a mixed state: {state}"
        kills.append(
            Kill(stage if wait is None else f"{stage} +{wait:.3f}s", hit, "none" if state == before else "all")
        )
    TEST_OUTPUT.mkdir(exist_ok=True)
    (TEST_OUTPUT / "crash_safety.json").write_text(
        json.dumps(
            {"rows": ROWS, "gaps_s": {k: round(v, 3) for k, v in gaps.items()}, "kills": [asdict(k) for k in kills]},
            indent=2,
        )
    )

    assert len(kills) >= 20
    held = kills[: len(STAGES)]
    assert [k.hit for k in held] == list(STAGES)  # every named stage was killed at
    # Before the COMMIT nothing has landed; once it returned, everything has.
    commit = STAGES.index("committed")
    assert all(k.outcome == "none" for k in held[:commit]), held
    assert all(k.outcome == "all" for k in held[commit:]), held
    timed = {k.hit for k in kills[len(STAGES) :]}
    assert len(timed) >= 4, f"the timed kills bunched up: {timed}"


def test_after_a_kill_the_same_file_loads_whole(reference, demo_db_file, upload_file, tmp_path):
    """What a kill leaves behind (a write-ahead log, a half-written backup folder) does not stop the next try."""
    before, after, _ = reference
    database = tmp_path / "retry.duckdb"
    shutil.copy(demo_db_file, database)
    assert import_killed(database, upload_file, "activities written", None) == "activities written"
    assert database_state(database) == before
    retried = subprocess.run(
        [
            sys.executable,
            "-m",
            "strategy",
            "--db",
            str(database),
            "import",
            "activities",
            str(upload_file),
            "--partner",
            PARTNER,
        ],
        cwd=PROJECT_ROOT,
        capture_output=True,
    )
    assert retried.returncode == 0, retried.stderr
    assert database_state(database) == after
