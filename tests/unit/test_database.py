"""The database file: versioned migrations, idempotent init, upgrades that keep rows, clear lock errors."""

import subprocess
import sys

import duckdb
import pytest

from strategy import db
from strategy.build import build_database

# Another process (like the running dashboard) holding the database file open for writing.
HOLD_THE_FILE = (
    "import sys, time, duckdb; c = duckdb.connect(sys.argv[1]); print('holding', flush=True); time.sleep(60)"
)


def test_init_creates_every_table_of_the_data_model(empty_con):
    tables = set(db.table_counts(empty_con))
    assert {
        "partners",
        "activities",
        "activity_aims",
        "activity_ways",
        "activity_themes",
        "activity_places",
        "places",
        "indicators",
        "indicator_values",
        "uploads",
        "audit_log",
    } <= tables


def test_init_twice_changes_nothing(demo_db_copy):
    before = db.table_counts(db.connect(demo_db_copy, read_only=True))
    report = build_database(demo_db_copy)
    assert report.migrations_applied == []
    assert report.table_counts == before


def test_init_upgrades_an_older_file_without_losing_rows(tmp_path, monkeypatch):
    path = tmp_path / "old.duckdb"
    first, *later = db.migration_files()
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    con.execute(first[2].read_text())
    con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [first[0], first[1]])
    con.execute("INSERT INTO partners (name, sector) VALUES ('Old Partner', 'sport')")
    con.close()
    report = build_database(path)
    assert report.migrations_applied == [f"{v:03d}_{n}" for v, n, _ in later]
    con = db.connect(path, read_only=True)
    assert con.execute("SELECT name FROM partners").fetchall() == [("Old Partner",)]
    assert db.schema_version(con) == db.migration_files()[-1][0]


def test_upgrading_rebuilds_activities_without_the_key_index_keeping_every_row(tmp_path):
    path = tmp_path / "before_050.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR, applied_at TIMESTAMP)")
    for version, name, file in db.migration_files():
        if version < 50:
            con.execute(file.read_text())
            con.execute("INSERT INTO schema_migrations VALUES (?, ?, now())", [version, name])
    con.execute("INSERT INTO partners (partner_id, name, sector) VALUES (1, 'Old Partner', 'sport')")
    con.execute("""INSERT INTO activities (activity_key, partner_id, activity_id, title, sector, start_date,
                   investment_gbp, target_groups, aim_mask, place_set) VALUES
                   (7, 1, 'OLD-7', 'Seven', 'sport', DATE '2024-04-01', 12.5, ['carers'], 2, 'E07000174'),
                   (3, 1, 'OLD-3', 'Three', 'sport', DATE '2024-05-01', NULL, NULL, 6, 'E07000170 E07000174')""")
    before = con.execute("SELECT * FROM activities").fetchall()
    assert (
        con.execute(
            "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'activities' "
            "AND constraint_type = 'PRIMARY KEY'"
        ).fetchall()[0][0]
        == 1
    )
    con.close()
    report = build_database(path)
    assert report.migrations_applied == [f"{v:03d}_{n}" for v, n, _ in db.migration_files() if v >= 50]
    assert report.migrations_applied[0] == "050_activity_key_without_index"
    con = db.connect(path, read_only=True)
    assert con.execute("SELECT * FROM activities").fetchall() == before  # same rows, same order
    assert (
        con.execute(
            "SELECT count(*) FROM duckdb_constraints() WHERE table_name = 'activities' "
            "AND constraint_type = 'PRIMARY KEY'"
        ).fetchall()[0][0]
        == 0
    )


def test_a_second_process_gets_a_plain_message_not_a_lock_error(demo_db_copy):
    holder = subprocess.Popen([sys.executable, "-c", HOLD_THE_FILE, str(demo_db_copy)], stdout=subprocess.PIPE)
    try:
        assert holder.stdout.readline().strip() == b"holding"
        with pytest.raises(db.DatabaseUnavailable, match="in use by another program"):
            db.connect(demo_db_copy)
    finally:
        holder.kill()
        holder.wait()


def test_reading_a_missing_database_says_how_to_create_it(tmp_path):
    with pytest.raises(db.DatabaseUnavailable, match="python -m strategy init"):
        db.connect(tmp_path / "absent.duckdb", read_only=True)


def sql_files_by_kind() -> tuple[list[str], list[str]]:
    """(reads, writes): named SQL files split by their first statement's verb."""
    reads, writes = [], []
    for file in sorted(db.SQL_DIR.glob("*.sql")):
        body = "\n".join(line for line in file.read_text().splitlines() if not line.strip().startswith("--"))
        verb = body.split(None, 1)[0].upper()
        (writes if verb in ("UPDATE", "INSERT", "DELETE", "CREATE") else reads).append(file.stem)
    return reads, writes


SQL_PARAMETERS = {
    "row_dimension": "aim",
    "column_dimension": "way",
    "row_code": "A1",
    "column_code": "W2",
    "indicator_id": "93015",
    "place_code": "E07000174",
    "upload_id": None,
    "sha256": "0" * 64,
    "year_start_month": 11,
    "year_start_day": 16,
    "today": __import__("datetime").date(2026, 6, 30),
    "experiment_id": 1,
    "purpose_id": 1,
    "map_id": 1,
    "place_codes": ["E07000174"],
    "filter_aims": [],
    "filter_places": [],
    "want_aims": ["A3"],
    "want_places": ["E07000174"],
    "record_id": 1,
    "record_kind": "experiment",
    "roles": ["ally"],
    "partner": None,
    "email": "someone@example.org",
    "partner_name": "Nobody",
    "action": None,
    "actor": None,
    "limit": 10,
    "detail": "x",
    "day": None,
}
SQL_PARAMETERS["table_name"] = "activities"  # table_blocks_in_use.sql (the health check's file size)
# keys from strategy/names.py
SQL_PARAMETERS.update(partner_key="nobody", email_key="someone@example.org", partner_keys=[])
SQL_PARAMETERS.update(round_id=1, round_name="2026/27 Q2")  # the reporting round's queries
# the checks before a learning save or a scenario is saved
SQL_PARAMETERS.update(involvement_id=1, reflection_id=1, note_id=1, scenario_name="Active travel")
SQL_PARAMETERS.update(states=["open"], cells=["E07000174|A1"], in_board_pack_only=False)  # decisions, fit, scenarios
# Reads of the import's temporary staged table, which exists only inside an import (run by the round-trip tests of
# tests/unit/test_reporting_rounds.py instead).
IMPORT_STAGE_READS = {"return_changes"}
# Writes that keep derived data in step; safe to run again on any database.
REPEATABLE_WRITES = ["derive_activity_profiles", "apportion_places_for_upload"]


def test_every_named_query_runs_against_the_demo_database(demo_con, framework):
    """Like a build that runs every query: a broken .sql file fails here, not in front of a board."""
    from strategy.filters import Filters

    parameters = {**Filters(places=("E10000024",)).sql_parameters(framework), **SQL_PARAMETERS}
    reads, _ = sql_files_by_kind()
    assert len(reads) >= 8
    for name in set(reads) - IMPORT_STAGE_READS:
        assert db.query(demo_con, name, **parameters) is not None, name


def test_every_named_write_runs_and_keeps_the_derived_columns_in_step(demo_db_copy):
    from strategy.activities import profiles_out_of_step

    con = db.connect(demo_db_copy)
    _, writes = sql_files_by_kind()
    assert set(REPEATABLE_WRITES) <= set(writes)
    with db.transaction(con) as cursor:
        for name in REPEATABLE_WRITES:
            db.execute(cursor, name, **SQL_PARAMETERS)
    assert profiles_out_of_step(con) == 0  # as committed
    con.close()


def test_built_databases_have_derived_columns_in_step(demo_con, empty_con):
    from strategy.activities import profiles_out_of_step

    assert profiles_out_of_step(demo_con) == 0
    assert profiles_out_of_step(empty_con) == 0


def test_transaction_rolls_back_everything_when_the_block_fails(demo_db_copy):
    con = db.connect(demo_db_copy)
    before = db.table_counts(con)
    with pytest.raises(RuntimeError):
        with db.transaction(con) as cursor:
            cursor.execute("DELETE FROM activity_aims")
            raise RuntimeError("interrupted")
    assert db.table_counts(con) == before
    con.close()


def test_a_transaction_writes_on_a_cursor_of_its_own_and_closes_it(demo_db_copy):
    con = db.connect(demo_db_copy)
    with db.transaction(con) as cursor:
        assert cursor is not con
        cursor.execute("DELETE FROM activity_aims")
        # the shared connection is free for other work while the write is open, and does not see it yet
        assert con.execute("SELECT count(*) FROM activity_aims").fetchone()[0] > 0
    assert con.execute("SELECT count(*) FROM activity_aims").fetchone()[0] == 0
    with pytest.raises(duckdb.ConnectionException):
        cursor.execute("SELECT 1")
    con.close()
