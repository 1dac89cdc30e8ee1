"""A MotherDuck database name (STRATEGY_DB=md:NAME) reaches DuckDB exactly as written, and every operation that
works only on a file here (backups, restore, uploaded originals, the file health check, backup requests) refuses
it with a plain message instead of making a path of it. No network: duckdb.connect is replaced."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from strategy import __main__ as cli
from strategy import db
from strategy.safekeeping import backup, health, originals, restore
from strategy.safekeeping import backup_beside_server as backup_requests

NAME = "md:making_our_move_east_midlands?motherduck_token=not-a-real-token&attach_mode=single"


@pytest.fixture
def named_database(monkeypatch, tmp_path):
    """STRATEGY_DB set to a MotherDuck name; duckdb.connect records what it is given and opens memory instead."""
    monkeypatch.setenv("STRATEGY_DB", NAME)
    monkeypatch.chdir(tmp_path)  # anything made from the name as a path would land here
    opened = []
    real_connect = duckdb.connect

    def connect(database=":memory:", read_only=False, **kwargs):
        opened.append((database, read_only))
        return real_connect(":memory:")

    monkeypatch.setattr(duckdb, "connect", connect)
    return opened


def nothing_made_in(folder: Path) -> bool:
    return not any(folder.iterdir())


def test_the_name_reaches_duckdb_untouched_and_a_file_path_is_still_a_path(named_database, tmp_path, monkeypatch):
    db.connect().close()
    db.connect(read_only=True).close()  # no "no database at ..." check for a name
    assert named_database == [(NAME, False), (NAME, True)]
    assert nothing_made_in(tmp_path)

    db.connect("motherduck:partnership_two").close()  # given as --db, the other spelling
    monkeypatch.delenv("STRATEGY_DB")
    file = tmp_path / "sub" / "strategy.duckdb"
    db.connect(str(tmp_path / "sub" / "." / "strategy.duckdb"), create=True).close()  # as init does
    assert named_database[2:] == [("motherduck:partnership_two", False), (str(file), False)]  # a path, as before
    assert db.database_path(file) == file


@pytest.mark.parametrize(
    "operation, needed_for",
    [
        (lambda: db.database_path(), "This"),
        (lambda: backup.backup_root(), "Backups"),
        (lambda: restore.restore_backup("/nonexistent-backup"), "A restore"),
        (lambda: originals.originals_folder(Path(NAME)), "Keeping uploaded files as received"),
        (lambda: backup_requests.requests_folder(), "Asking the running dashboard for a backup"),
    ],
)
def test_file_only_operations_refuse_the_name_plainly(named_database, tmp_path, operation, needed_for):
    with pytest.raises(db.NotAFileDatabase) as refused:
        operation()
    message = str(refused.value)
    assert message.startswith(f"{needed_for} works only on a database file on this computer")
    assert "md:making_our_move_east_midlands, a MotherDuck database" in message
    assert "not-a-real-token" not in message  # the token in the name's options is never shown
    assert nothing_made_in(tmp_path)


def test_a_backup_of_a_connection_to_a_named_database_is_refused_before_anything_is_written(named_database, tmp_path):
    con = db.connect()
    with pytest.raises(db.NotAFileDatabase, match="^A backup works only on a database file"):
        backup.write_backup(con, tmp_path / "backup")
    assert nothing_made_in(tmp_path)


def test_the_file_health_check_says_it_needs_a_file_and_names_the_alternative(named_database):
    report = health.check_file()
    assert not report.ok
    assert report.message.startswith(
        "Checking the database file (use --url to check the running dashboard) works only on a database file"
    )
    assert named_database == []  # not opened at all


def test_the_backup_request_watcher_is_not_started_for_a_name(named_database, monkeypatch):
    started = []
    monkeypatch.setattr(backup_requests.threading, "Thread", lambda *a, **k: started.append(k) or pytest.fail())
    backup_requests.start_watcher(lambda: None, NAME)
    assert started == []


@pytest.mark.parametrize(
    "command, needed_for",
    [
        (["backup", "some-folder"], "A backup"),
        (["restore", "some-folder"], "A restore"),
        (["backups"], "Backups"),
        (["health"], "Checking the database"),
    ],
)
def test_the_command_line_refuses_file_only_commands_with_the_message_not_a_traceback(
    named_database, tmp_path, capsys, command, needed_for
):
    assert cli.main(command) == 1
    said = capsys.readouterr()
    assert (said.out + said.err).startswith(needed_for)
    assert "works only on a database file on this computer" in said.out + said.err
    assert nothing_made_in(tmp_path)
