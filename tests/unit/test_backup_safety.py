"""Backups and restores take the same role check and audit as everything else, and a restore trusts nothing the
backup folder could rewrite: it never runs the folder's SQL."""

from __future__ import annotations

import hashlib
import json

import pytest

from strategy import db
from strategy.__main__ import main
from strategy.access import LOCAL_USER
from strategy.safekeeping import backup, restore
from strategy.safekeeping import backup_beside_server as backup_requests
from strategy.users import add_user

ADMIN, VIEWER = "ada@example.org", "vic@example.org"


@pytest.fixture
def database(empty_db_file, tmp_path, monkeypatch, signin_secrets):
    """A database with an admin and a viewer, sign-in on (a complete secrets file), the data folder under
    tmp_path/data."""
    path = tmp_path / "data" / "strategy.duckdb"
    path.parent.mkdir()
    path.write_bytes(empty_db_file.read_bytes())
    con = db.connect(path)
    add_user(con, LOCAL_USER, ADMIN, "admin")
    add_user(con, LOCAL_USER, VIEWER, "viewer")
    con.close()
    monkeypatch.setenv("STRATEGY_DB", str(path))
    return path


def audit_rows(path, action: str) -> list[tuple[str, str]]:
    con = db.connect(path, read_only=True)
    try:
        return con.execute(
            "SELECT actor, detail FROM audit_log WHERE action = ? ORDER BY audit_id", [action]
        ).fetchall()
    finally:
        con.close()


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def rewrite_manifest_hash(folder, name: str) -> None:
    """What someone who alters a backup also does: make the manifest agree with the altered file."""
    manifest = json.loads((folder / backup.MANIFEST).read_text())
    manifest["files"][name] = sha256(folder / name)
    (folder / backup.MANIFEST).write_text(json.dumps(manifest))


# --- who may back up ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "acting, who_is_recorded",
    [(["--as", VIEWER], VIEWER), (["--as", "stranger@example.org"], "stranger@example.org"), ([], "(nobody named)")],
)
def test_a_backup_by_anyone_but_an_admin_is_refused_and_audited(database, tmp_path, capsys, acting, who_is_recorded):
    target = tmp_path / "copy"
    assert main(["--db", str(database), *acting, "backup", str(target)]) == 1
    assert not target.exists() and not (tmp_path / "copy.partial").exists()
    ((actor, detail),) = audit_rows(database, "backup refused")
    assert actor == who_is_recorded and str(target) in detail
    assert audit_rows(database, "backup") == []


def test_an_admins_backup_is_written_and_audited(database, tmp_path):
    assert main(["--db", str(database), "--as", ADMIN.upper(), "backup", str(tmp_path / "copy")]) == 0
    assert restore.verify_files(tmp_path / "copy")[1] == []
    assert audit_rows(database, "backup") == [(ADMIN, f"to {tmp_path / 'copy'}")]


def _ask_running_dashboard(database, directory, acting_email):
    """Leave a request as the command line does and answer it as the running dashboard does."""
    folder = backup_requests.requests_folder(database)
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "one.request.json").write_text(
        json.dumps({"action": "backup", "directory": str(directory), "as": acting_email})
    )
    con = db.connect(database)
    try:
        assert backup_requests.answer_requests(lambda: con, database) == 1
    finally:
        con.close()
    return json.loads((folder / "one.answer.json").read_text())


@pytest.mark.parametrize(
    "acting_email, said",
    [
        (VIEWER, "Only admins can back up or restore the database"),
        ("stranger@example.org", "is not yet a user"),
        (None, "add --as EMAIL"),
    ],
)
def test_the_running_dashboard_refuses_a_backup_request_from_anyone_but_an_admin(
    database, tmp_path, acting_email, said
):
    reply = _ask_running_dashboard(database, tmp_path / "copy", acting_email)
    assert reply["ok"] is False and said in reply["message"]
    assert not (tmp_path / "copy").exists()
    assert [actor for actor, _ in audit_rows(database, "backup refused")] == [acting_email or "(nobody named)"]


def test_the_running_dashboard_writes_and_audits_an_admins_backup(database, tmp_path):
    reply = _ask_running_dashboard(database, tmp_path / "copy", ADMIN)
    assert reply["ok"] is True, reply["message"]
    assert restore.verify_files(tmp_path / "copy")[1] == []
    assert [actor for actor, _ in audit_rows(database, "backup")] == [ADMIN]


def test_a_restore_by_a_viewer_is_refused_and_audited(database, tmp_path):
    con = db.connect(database)
    backup.write_backup(con, tmp_path / "copy")
    con.close()
    assert main(["--db", str(database), "--as", VIEWER, "restore", str(tmp_path / "copy")]) == 1
    assert [actor for actor, _ in audit_rows(database, "backup refused")] == [VIEWER]
    assert not list(database.parent.glob(f"{restore.SET_ASIDE_PREFIX}*"))  # nothing was replaced
    assert audit_rows(database, "restore") == []


# --- a tampered backup ----------------------------------------------------------------------------------------------


@pytest.fixture
def made(database, tmp_path):
    con = db.connect(database)
    backup.write_backup(con, tmp_path / "backup")
    con.close()
    return tmp_path / "backup"


def test_a_backup_whose_sql_was_altered_to_write_a_file_is_refused_and_writes_nothing(database, made, tmp_path):
    outside = tmp_path / "outside" / "x.csv"
    outside.parent.mkdir()
    schema = made / backup.SCHEMA
    schema.write_text(schema.read_text() + f"COPY (SELECT 'owned' AS x) TO '{outside}' (HEADER false);\n")
    rewrite_manifest_hash(made, backup.SCHEMA)
    before = sha256(database)
    report = restore.restore_backup(made, database)
    assert not report.ok and any("COPY" in p for p in report.problems)
    assert not outside.exists()
    assert sha256(database) == before and not list(database.parent.glob(f"{restore.SET_ASIDE_PREFIX}*"))


def test_restore_never_runs_the_backups_sql(database, made, tmp_path):
    """A definition that reads a file outside (still 'CREATE ...') is not run either: the schema comes from the
    code's own migrations, the backup gives only data."""
    secret = tmp_path / "outside.csv"
    secret.write_text("secret\nfrom outside\n")
    schema = made / backup.SCHEMA
    schema.write_text(schema.read_text() + f"CREATE TABLE leaked AS SELECT * FROM read_csv('{secret}');\n")
    rewrite_manifest_hash(made, backup.SCHEMA)
    report = restore.restore_backup(made, database)
    assert report.ok, report.problems
    con = db.connect(database, read_only=True)
    tables = backup.base_tables(con)
    con.close()
    assert "leaked" not in tables and "users" in tables


def test_a_manifest_naming_a_file_outside_the_backup_is_refused(database, made, tmp_path):
    manifest = json.loads((made / backup.MANIFEST).read_text())
    manifest["files"]["originals/../../../escaped"] = "0" * 64
    (made / backup.MANIFEST).write_text(json.dumps(manifest))
    report = restore.restore_backup(made, database)
    assert not report.ok and any("not a file a backup writes" in p for p in report.problems)
    assert not (tmp_path / "escaped").exists()


@pytest.mark.parametrize("manifest", ["{not json", "[]", '{"format": "making-our-move-backup/1"}'])
def test_a_damaged_manifest_is_refused_with_a_reason(database, made, manifest):
    (made / backup.MANIFEST).write_text(manifest)
    report = restore.restore_backup(made, database)
    assert not report.ok and report.problems and "manifest.json" in report.problems[0]
