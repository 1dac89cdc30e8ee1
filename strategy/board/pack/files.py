"""A whole board pack, from the filters to the bytes of a .pptx or .pdf file, its file name and writing it."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Callable

import duckdb

from strategy import db, images
from strategy.access import User, require
from strategy.board.pack.deck import pptx_bytes
from strategy.board.pack.layout import FORMATS, BoardPackError
from strategy.board.pack.pdf import libreoffice, pdf_from_pptx
from strategy.board.pack.title import pack_title
from strategy.board.slides import board_slides
from strategy.exports import export_file_name, write_atomically
from strategy.filters import Filters
from strategy.framework import Framework


def board_pack_bytes(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    filters: Filters,
    file_format: str,
    template: str | Path | None = None,
    today: date | None = None,
    *,
    actor: User,
    progress: Callable[[str], None] | None = None,
) -> bytes:
    """The pack for the filters as '.pptx' or '.pdf' bytes: the one function the page and the command call.

    An export: analysts and admins only, written to the audit log (so the connection must be writable).
    `progress`, when given, is told each step as it starts (the page shows them while the pack is made)."""
    require(actor, "export")
    say = progress or (lambda step: None)
    if file_format not in FORMATS:
        raise BoardPackError(f"a board pack is {' or '.join(FORMATS)}, not {file_format!r}")
    missing = images.unavailable_reason()  # say what is missing before spending time on the slides
    if missing:
        raise BoardPackError(missing)
    if file_format == ".pdf":
        libreoffice()
    say("Working out the figures for every view")
    built = board_slides(con, framework, filters, today)
    try:
        pptx = pptx_bytes(built, pack_title(con, framework, filters, today), template, progress=say)
    except images.ImageExportUnavailable as problem:
        raise BoardPackError(str(problem)) from None
    if file_format == ".pdf":
        say("Converting to PDF")
    pack = pptx if file_format == ".pptx" else pdf_from_pptx(pptx)
    with db.transaction(con) as cursor:
        db.audit(
            cursor, actor, "export board pack", f"{file_format.lstrip('.')}; filters: {filters.describe(framework)}"
        )
    return pack


def pack_file_name(filters: Filters, framework: Framework, file_format: str, made_on: date | None = None) -> str:
    """The pack's file name: what it shows and when it was made, 'board-pack_mansfield_2026-11-29.pdf'."""
    return export_file_name("board-pack", filters, framework, file_format.lstrip("."), made_on)


def write_board_pack(target: str | Path, pack: bytes) -> None:
    """Write the pack whole or not at all (a failed write never leaves half a pack)."""
    write_atomically(target, pack)
