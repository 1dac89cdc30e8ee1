"""What the README and docs/ name exists: every file path in the repository, every `make` target in the Makefile,
and every `python -m strategy ...` command (the command line's own parser accepts it with --help)."""

from __future__ import annotations

import contextlib
import io
import re
from pathlib import Path

import pytest

from strategy.commands import build_parser
from tests.conftest import PROJECT_ROOT

DOCUMENTS = [PROJECT_ROOT / "README.md", *sorted((PROJECT_ROOT / "docs").glob("*.md"))]
# Files the docs name that are made where the dashboard runs, never kept in the repository (each said so where named).
MADE_WHEN_RUN = {
    "data/strategy.duckdb",  # the database, built by `make run` / `python -m strategy init`
    ".streamlit/secrets.toml",  # the operator's sign-in settings (from .streamlit/secrets.toml.example)
    ".venv",  # made by `make run` / `make test`
    "test-output",  # screenshots and logs the tests leave
    "test-output/load_test.json",  # the load test's raw figures (make loadtest)
    "test-output/crash_safety.json",  # the crash-safety drill's figures (tests/system)
    "data/strategy.duckdb.wal",  # DuckDB's write-ahead log beside the database
    "data/backups/",  # backups, and the automatic ones before each import (docs/operations.md)
    "data/backups/automatic/",
    "data/originals/",  # uploaded files kept by their hash
    "data/.strategy.duckdb.requests/",  # commands handed to the running dashboard
    "strategy/sql/what_it_returns.sql",  # the name of the example in architecture.md's recipe
}
# What a repository path looks like: a folder or a file with an extension, no placeholders (FILE, NNN, <page>, *).
PATH = re.compile(r"^\.?[a-z0-9_][a-z0-9_./-]*(\.[a-z0-9]+|/)$")
ROOTS = {p.name for p in PROJECT_ROOT.iterdir()}
LINK = re.compile(r"\]\(([^)#\s]+)(?:#[^)]*)?\)")
CODE = re.compile(r"`([^`\n]+)`")
FENCE = re.compile(r"^```.*?^```", re.S | re.M)


def code_spans(text: str) -> list[str]:
    """Every inline code span and every line of every fenced block."""
    spans = CODE.findall(FENCE.sub("", text))
    for block in FENCE.findall(text):
        spans += block.splitlines()[1:-1]
    return spans


def named_paths(document: Path) -> set[str]:
    """Paths in the repository that a document names: in code spans (from the project root) and links (from the
    document's folder, as a Markdown viewer follows them)."""
    text = document.read_text(encoding="utf-8")
    found = set()
    for span in code_spans(text):
        for word in span.split():
            word = word.strip("(),;:'\"")
            in_repository = PATH.match(word) and "/" in word.rstrip("/") and word.split("/")[0] in ROOTS
            if in_repository or word in MADE_WHEN_RUN:
                found.add(word)
    for target in LINK.findall(text):
        if "://" not in target and not target.startswith("mailto:"):
            found.add(str((document.parent / target).resolve().relative_to(PROJECT_ROOT)))
    return found


def make_targets() -> set[str]:
    makefile = (PROJECT_ROOT / "Makefile").read_text(encoding="utf-8")
    return set(re.findall(r"^([a-z][a-z0-9-]*):", makefile, re.M))


def named_make_targets(document: Path) -> set[str]:
    found = set()
    for span in code_spans(document.read_text(encoding="utf-8")):
        for match in re.finditer(r"(?:^|[\s;(&])make((?: [a-z][a-z0-9-]*)+)", span):
            found |= set(match.group(1).split())
    return found


def named_commands(document: Path) -> set[tuple[str, ...]]:
    """Each `python -m strategy ...` command as its words up to the first option or placeholder; a line listing
    several ("backup DIR / restore DIR / backups") gives each, and "list|add" gives both."""
    found = set()
    for span in code_spans(document.read_text(encoding="utf-8")):
        at = span.find("python -m strategy")
        if at < 0:
            continue
        for part in span[at + len("python -m strategy") :].split(" / "):
            words = []
            for word in part.split():
                if not re.fullmatch(r"[a-z][a-z-]*(\|[a-z][a-z-]*)*", word) or len(words) == 2:
                    break
                words.append(word.split("|"))
            if len(words) == 2:
                found |= {(words[0][0], alternative) for alternative in words[1]}
            elif words:
                found.add((words[0][0],))
    return found


def accepted(command: tuple[str, ...]) -> bool:
    """The command line's parser takes these words, asked for its help (which parses every word before it)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            build_parser().parse_args([*command, "--help"])
        except SystemExit as ended:
            return ended.code == 0
    return False


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_every_path_a_document_names_exists(document):
    missing = sorted(p for p in named_paths(document) if p not in MADE_WHEN_RUN and not (PROJECT_ROOT / p).exists())
    assert not missing, f"{document.name} names paths that are not in the repository: {missing}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_every_make_target_a_document_names_is_in_the_makefile(document):
    missing = sorted(named_make_targets(document) - make_targets())
    assert not missing, f"{document.name} names make targets the Makefile lacks: {missing}"


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda d: d.name)
def test_every_command_a_document_names_is_accepted_by_the_command_line(document):
    refused = sorted(" ".join(c) for c in named_commands(document) if not accepted(c))
    assert not refused, f"{document.name} names commands `python -m strategy` does not accept: {refused}"


def test_the_checks_find_what_they_look_for(tmp_path):
    """The readers above find paths, targets and commands written as the docs write them, and a wrong one fails."""
    page = PROJECT_ROOT / "docs" / "architecture.md"
    assert "strategy/sql/heatmap_cells.sql" in named_paths(page)
    assert {"run", "test"} <= named_make_targets(PROJECT_ROOT / "README.md")
    assert {("backup",), ("restore",), ("backups",), ("health",), ("decisions", "set-state")} <= named_commands(
        PROJECT_ROOT / "README.md"
    )
    assert accepted(("rounds", "open")) and not accepted(("rounds", "reopen")) and not accepted(("no-such-command",))
    assert "no-such-target" not in make_targets() and "check" in make_targets()
