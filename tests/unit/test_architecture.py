"""The layers stay apart (docs/architecture.md): Streamlit only in the UI, and the core never reaches up into the
UI or the command line."""

from __future__ import annotations

import ast
from pathlib import Path

from tests.conftest import PROJECT_ROOT

UI_FILES = ("app.py", "serve.py")
UI_FOLDERS = ("pages", "strategy/ui")
# Known exceptions, each with its reason; a new one must be argued here.
STREAMLIT_CONFIG_READERS = {
    # finds the secrets files exactly where `streamlit run` does (its secrets.files setting), so the command line
    # and the server can never disagree on whether sign-in is on; it reads Streamlit's config, never draws
    "strategy/access.py",
}
RUNS_COMMANDS_FOR_THE_SERVER = {
    # the dashboard runs the command line's own command functions for it (same role checks and audit); the
    # request folder (backup_requests) hands such requests over
    "strategy/command_requests.py",
    "strategy/safekeeping/backup_beside_server.py",
}


def imported_modules(path: Path) -> set[str]:
    """Every module a Python file imports, at any depth (local imports in functions included)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module)
            found |= {f"{node.module}.{alias.name}" for alias in node.names}
    return found


def python_files() -> list[Path]:
    files = [PROJECT_ROOT / name for name in UI_FILES] + sorted((PROJECT_ROOT / "pages").glob("*.py"))
    return files + sorted((PROJECT_ROOT / "strategy").rglob("*.py"))


def is_ui(path: Path) -> bool:
    relative = path.relative_to(PROJECT_ROOT).as_posix()
    return relative in UI_FILES or relative.startswith(tuple(f"{folder}/" for folder in UI_FOLDERS))


def test_streamlit_is_imported_only_in_pages_app_serve_and_strategy_ui():
    outside = [
        path.relative_to(PROJECT_ROOT).as_posix()
        for path in python_files()
        if not is_ui(path) and any(m == "streamlit" or m.startswith("streamlit.") for m in imported_modules(path))
    ]
    assert set(outside) <= STREAMLIT_CONFIG_READERS, outside


def test_the_core_never_imports_the_ui_or_the_command_line():
    core = [
        path
        for path in sorted((PROJECT_ROOT / "strategy").rglob("*.py"))
        if not is_ui(path) and "strategy/commands/" not in path.as_posix() and path.name != "__main__.py"
    ]
    assert len(core) > 20
    reaching_up = {
        path.relative_to(PROJECT_ROOT).as_posix(): sorted(
            m for m in imported_modules(path) if m.startswith(("strategy.ui", "strategy.commands"))
        )
        for path in core
    }
    assert {
        name: found for name, found in reaching_up.items() if found and name not in RUNS_COMMANDS_FOR_THE_SERVER
    } == {}


def test_pages_run_no_sql():
    pages = [PROJECT_ROOT / "app.py", *sorted((PROJECT_ROOT / "pages").glob("*.py"))]
    with_sql = [
        path.name
        for path in pages
        if "duckdb" in imported_modules(path) or ".execute(" in path.read_text(encoding="utf-8")
    ]
    assert with_sql == []
