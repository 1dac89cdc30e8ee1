"""The one rule for when two partner names (or two emails) are the same: their keys are equal.

A key is the text in Unicode compatibility form (NFKC), case-folded (so "Straße" and "STRASSE", the Kelvin sign
and "K", the long s "ſ" and "s" agree), put in compatibility form again (case folding can undo it), with every run
of white space made one space and none at either end. The permission check (strategy.access.same_partner), the
partner and user look-ups and every uniqueness check compare keys made here; the database stores each partner's
and user's key (partners.name_key, users.email_key, migration 062) and is only ever asked to compare a stored key
with a bound one, never to apply a rule of its own.
"""

from __future__ import annotations

import unicodedata
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only for annotations: the command line's --help loads no DuckDB
    import duckdb


def name_key(text: str | None) -> str:
    """The key two names share exactly when they are the same organisation (or the same email address)."""
    folded = unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", text or "").casefold())
    return " ".join(folded.split())


def email_key(email: str | None) -> str:
    """An email address's key: the same rule as names."""
    return name_key(email)


def same_name(a: str | None, b: str | None) -> bool:
    """Whether two names are the same (never for a missing or blank one)."""
    return a is not None and b is not None and name_key(a) != "" and name_key(a) == name_key(b)


def tidy_name(text: str | None) -> str:
    """A name as it is stored and shown: as written, with runs of white space made one space and none at the ends."""
    return " ".join((text or "").split())


def fill_missing_keys(con: duckdb.DuckDBPyConnection) -> int:
    """Give every partner and user without a key its key (rows written before migration 062, or by a loader that
    wrote names directly); how many rows were filled."""
    filled = 0
    if _has_column(con, "partners", "name_key"):
        rows = con.execute("SELECT partner_id, name FROM partners WHERE name_key IS NULL").fetchall()
        if rows:
            con.executemany(
                "UPDATE partners SET name_key = ? WHERE partner_id = ?",
                [[name_key(name), partner_id] for partner_id, name in rows],
            )
        filled += len(rows)
    if _has_column(con, "users", "email_key"):
        rows = con.execute("SELECT user_id, email FROM users WHERE email_key IS NULL").fetchall()
        if rows:
            con.executemany(
                "UPDATE users SET email_key = ? WHERE user_id = ?",
                [[email_key(email), user_id] for user_id, email in rows],
            )
        filled += len(rows)
    return filled


def _has_column(con: duckdb.DuckDBPyConnection, table: str, column: str) -> bool:
    return bool(
        con.execute(
            "SELECT count(*) FROM information_schema.columns WHERE table_schema = 'main' AND "
            "table_name = ? AND column_name = ?",
            [table, column],
        ).fetchall()[0][0]
    )
