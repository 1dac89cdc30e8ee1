"""Shared purposes: a group's three short answers (what, why, benefits), every version kept, and a one-page card."""

from __future__ import annotations

import html
import re

import duckdb
import pandas as pd

from strategy import db
from strategy.access import User, require
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.learning.records import (
    SaveResult,
    clean_text,
    code_problems,
    codes_text,
    filter_parameters,
    local_place_codes,
    places_text,
    record_exists,
    refused,
)

# The workshops' guide: about 100 words; "good enough for now" beats perfect.
WORD_GUIDE = 100
# Past this many words the page suggests trimming (a prompt, never a refusal).
LONG_AFTER = 120
QUESTIONS = {"what_text": "What do we want to do?", "why_text": "Why?", "benefits_text": "What will the benefits be?"}
_WORD = re.compile(r"[A-Za-z0-9À-ÿ’']+(?:[-’'][A-Za-z0-9À-ÿ]+)*")


def word_count(*texts: str | None) -> int:
    """Words in the texts together (hyphenated words and contractions count once)."""
    return sum(len(_WORD.findall(text or "")) for text in texts)


def length_prompt(words: int) -> str | None:
    """A gentle nudge when a purpose runs long; None while it is within reach of the guide."""
    if words > LONG_AFTER:
        return (
            f"{words} words: the guide is about {WORD_GUIDE}. A purpose people can remember keeps a group on its "
            "own agenda; could one sentence go? Good enough for now beats perfect."
        )
    return None


def save_purpose(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    actor: User,
    group_name: str,
    what_text: str,
    why_text: str,
    benefits_text: str,
    members: str = "",
    places: list[str] = (),
    aims: list[str] = (),
    purpose_id: int | None = None,
    is_demo: bool = False,
) -> SaveResult:
    """Create or update a purpose; a changed wording becomes a new dated version (earlier ones are kept)."""
    require(actor, "edit_learning")
    answers = {
        "what_text": clean_text(what_text),
        "why_text": clean_text(why_text),
        "benefits_text": clean_text(benefits_text),
    }
    problems = [] if clean_text(group_name) else ["Give the group a name."]
    problems += [f"Answer '{QUESTIONS[k]}' (a sentence is enough for now)." for k, v in answers.items() if not v]
    problems += code_problems(framework, aims=aims, places=places)
    if purpose_id is not None and not record_exists(con, "purpose", purpose_id):
        problems.append(f"There is no purpose {purpose_id}; it may have been removed. Reload the page.")
    if problems:
        return refused(problems)
    local, _ = local_place_codes(framework, places)
    words = word_count(*answers.values())
    with db.transaction(con) as cursor:
        if purpose_id is None:
            purpose_id = cursor.execute(
                "INSERT INTO purposes (group_name, members, places, aims, is_demo, created_by) "
                "VALUES (?, ?, ?, ?, ?, ?) RETURNING purpose_id",
                [clean_text(group_name), clean_text(members), local, list(aims), is_demo, actor.email],
            ).fetchall()[0][0]
            current = None
        else:
            cursor.execute(
                "UPDATE purposes SET group_name = ?, members = ?, places = ?, aims = ? WHERE purpose_id = ?",
                [clean_text(group_name), clean_text(members), local, list(aims), purpose_id],
            )
            current = cursor.execute(
                "SELECT version, what_text, why_text, benefits_text FROM purpose_versions WHERE purpose_id = ? "
                "ORDER BY version DESC LIMIT 1",
                [purpose_id],
            ).fetchall()
            current = current[0] if current else None
        changed = current is None or tuple(current[1:]) != tuple(answers.values())
        if changed:
            version = (current[0] if current else 0) + 1
            cursor.execute(
                "INSERT INTO purpose_versions (purpose_id, version, what_text, why_text, benefits_text, words, "
                "written_by) VALUES (?, ?, ?, ?, ?, ?, ?)",
                [purpose_id, version, *answers.values(), words, actor.email],
            )
        db.audit(
            cursor,
            actor,
            "purpose saved",
            f"purpose {purpose_id} '{clean_text(group_name)}'"
            + (f", version {version}" if changed else ", details only"),
        )
    return SaveResult(purpose_id)


def purposes(con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters) -> pd.DataFrame:
    """The purposes the filters select, with their current wording, word count and date."""
    return db.query(con, "learning_purposes", **filter_parameters(framework, filters))


def purpose_versions(con: duckdb.DuckDBPyConnection, purpose_id: int) -> pd.DataFrame:
    """Every saved wording of one purpose, newest first."""
    return db.query(con, "learning_purpose_versions", purpose_id=purpose_id)


def purpose_card_html(purpose: pd.Series, framework: Framework, involved: pd.DataFrame | None = None) -> str:
    """A printable one-page card (HTML with print styles); every piece of user text is escaped."""

    def e(value: object) -> str:
        return html.escape(clean_text(value)).replace("\n", "<br>")

    answers = "".join(f"<h2>{html.escape(QUESTIONS[k])}</h2><p>{e(purpose[k])}</p>" for k in QUESTIONS)
    allies = ""
    if involved is not None and len(involved):
        rows = "".join(f"<li><b>{e(r.name)}</b> — {e(r.role_label)}</li>" for r in involved.itertuples())
        allies = f"<h2>Who is involved</h2><ul>{rows}</ul>"
    written = pd.Timestamp(purpose["written_at"]).strftime("%d %B %Y") if pd.notna(purpose["written_at"]) else ""
    return f"""<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Shared purpose: {e(purpose["group_name"])}</title>
<style>
 @page {{ size: A4; margin: 18mm; }}
 body {{ font-family: "Source Sans Pro", Arial, sans-serif; color: #262730; max-width: 170mm; margin: 2em auto;
        line-height: 1.45; font-size: 12pt; }}
 h1 {{ font-size: 20pt; margin: 0 0 .2em; }} h2 {{ font-size: 13pt; margin: 1.2em 0 .3em; color: #0072B2; }}
 .meta {{ color: #5f6368; font-size: 10.5pt; border-bottom: 2px solid #0072B2; padding-bottom: .6em; }}
 footer {{ margin-top: 2em; color: #7f7f7f; font-size: 9.5pt; }}
 @media print {{ body {{ margin: 0; }} }}
</style></head><body>
<h1>{e(purpose["group_name"])}</h1>
<div class="meta">Shared purpose · version {int(purpose["version"])}, {html.escape(written)} ·
 {int(purpose["words"])} words<br>Members: {e(purpose["members"]) or "not recorded"}<br>
 Places: {html.escape(places_text(framework, purpose["places"]))} ·
 Aims: {html.escape(codes_text(framework, "aim", purpose["aims"]) or "all")}</div>
{answers}{allies}
<footer>Good enough for now: this purpose is the group's guide rope and can be revised as it learns.
 {html.escape(framework.name)} learning workspace.</footer>
</body></html>"""
