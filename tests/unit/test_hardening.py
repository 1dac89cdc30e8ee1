"""The hardening rules, checked over the code itself: no user text as HTML, no per-user data in caches shared
across sessions, SQL with bound parameters, formula-safe exports, and the server settings sign-in relies on."""

from __future__ import annotations

import ast
import subprocess
import tomllib

import pytest

from strategy import db
from strategy.access import LOCAL_USER, User
from strategy.audit import audit_export
from strategy.users import add_partner
from tests.conftest import PROJECT_ROOT

SOURCES = sorted([*PROJECT_ROOT.glob("strategy/**/*.py"), *PROJECT_ROOT.glob("pages/*.py"), PROJECT_ROOT / "app.py"])
# Words that mean "who is looking": none may be a parameter of, or appear in, a function cached across sessions.
PER_USER_NAMES = {"user", "actor", "email", "acting_user", "signed_in_user", "partner_user"}


def calls(tree: ast.AST):
    return (node for node in ast.walk(tree) if isinstance(node, ast.Call))


def call_name(node: ast.Call) -> str:
    return ast.unparse(node.func)


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: str(p.relative_to(PROJECT_ROOT)))
def test_no_text_is_rendered_as_html_unless_it_is_a_fixed_constant(source):
    tree = ast.parse(source.read_text(encoding="utf-8"))
    for node in calls(tree):
        for keyword in node.keywords:
            assert not (keyword.arg == "unsafe_allow_html" and ast.unparse(keyword.value) != "False"), (
                f"{source.name}:{node.lineno} renders HTML; use st.html with a fixed constant or plain markdown"
            )
        if call_name(node) in ("st.html", "st.components.v1.html", "components.html"):
            argument = node.args[0] if node.args else None
            assert isinstance(argument, ast.Name) and argument.id.isupper(), (
                f"{source.name}:{node.lineno}: st.html takes only a module constant (fixed text, no user data)"
            )


def _cached_functions():
    for source in SOURCES:
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and any(
                "cache_data" in ast.unparse(d) or "cache_resource" in ast.unparse(d) for d in node.decorator_list
            ):
                yield source, node


def test_there_are_cached_functions_to_check():
    assert len(list(_cached_functions())) >= 3


@pytest.mark.parametrize(
    "source, function",
    list(_cached_functions()),
    ids=lambda x: getattr(x, "name", None) or str(x.relative_to(PROJECT_ROOT)),
)
def test_caches_shared_across_sessions_hold_no_per_user_data(source, function):
    """st.cache_data and st.cache_resource are shared by every session of the server: keyed by filters and
    questions only, never by who is asking, and never reading who is asking."""
    parameters = {a.arg for a in function.args.args + function.args.kwonlyargs}
    assert not parameters & PER_USER_NAMES, f"{function.name} is cached across sessions but takes {parameters}"
    body = ast.unparse(function)
    assert "st.user" not in body and "session_state" not in body
    assert not {n.id for n in ast.walk(function) if isinstance(n, ast.Name)} & PER_USER_NAMES


def test_sql_text_is_never_built_from_values():
    """Every query binds its values. Formatted SQL is allowed only where it names tables from the catalogue or a
    fixed list, column positions of a staged file, or a file path DuckDB cannot bind (database building, the demo,
    backups, restores, record kinds, the upload engine, whose hostile-text tests cover the values), never elsewhere, and
    never in the modules this area added (users, audit log, access)."""
    allowed = {
        "strategy/db.py",
        "strategy/build/demo.py",
        "strategy/safekeeping/backup.py",
        "strategy/safekeeping/restore.py",
        "strategy/learning/involvements.py",
        "strategy/learning/demo.py",
    }
    found = []
    for source in SOURCES:
        for node in calls(ast.parse(source.read_text(encoding="utf-8"))):
            if (
                call_name(node).endswith((".execute", ".sql", ".query"))
                and node.args
                and isinstance(node.args[0], (ast.JoinedStr, ast.BinOp))
            ):
                found.append((str(source.relative_to(PROJECT_ROOT)), node.lineno))
    assert found, "the check must see the known formatted statements"
    outside = [f for f in found if f[0] not in allowed and not f[0].startswith("strategy/ingest/")]
    assert not outside, outside


def test_audit_exports_are_formula_safe(empty_db_file, tmp_path):
    path = tmp_path / "hostile.duckdb"
    path.write_bytes(empty_db_file.read_bytes())
    con = db.connect(path)
    add_partner(con, LOCAL_USER, '=HYPERLINK("http://evil.example","click")')
    db.audit(con, "@attacker", "+sum", "-1")
    text = audit_export(con, User("admin@example.org", "admin"), "csv").decode("utf-8-sig")
    con.close()
    assert "'=HYPERLINK" in text and "'@attacker" in text and "'+sum" in text and ",'-1," in text
    assert ",=" not in text and ",@" not in text


def test_the_server_settings_sign_in_relies_on():
    config = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text())
    assert config["server"]["enableXsrfProtection"] is True
    assert 0 < config["server"]["maxUploadSize"] <= 200
    assert config["client"]["showSidebarNavigation"] is False  # the role-aware navigation is the only one


def test_the_real_secrets_file_is_never_committed_and_the_example_is_complete():
    ignored = subprocess.run(
        ["git", "check-ignore", ".streamlit/secrets.toml"], cwd=PROJECT_ROOT, capture_output=True, text=True
    )
    assert ignored.returncode == 0
    example = tomllib.loads((PROJECT_ROOT / ".streamlit" / "secrets.toml.example").read_text())["auth"]
    assert {"redirect_uri", "cookie_secret"} <= set(example)
    for provider in ("microsoft", "google"):
        assert {"client_id", "client_secret", "server_metadata_url"} <= set(example[provider])
