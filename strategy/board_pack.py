"""The board pack: the board's slides as an editable PowerPoint file (python-pptx), and as PDF via LibreOffice.

Every view becomes one slide: the headline as the title, the chart as a high-resolution image (its summary as
alt text), the key figures as a native table, source and caveats in the footer, the summary in the speaker
notes. An optional template .pptx supplies the partnership's logo, fonts and colours through its layouts.
"""

from __future__ import annotations

import io
import math
import os
import shutil
import signal
import subprocess
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import duckdb
import numpy as np
import pandas as pd
from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.util import Emu, Pt

from strategy import analysis, db, images
from strategy.access import User, require
from strategy.exports import write_atomically
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.slides import DEMO_CAVEAT, Slide, board_slides

PACK_TITLE = "{strategy}: board pack"  # {strategy}: the framework's name (PackTitle.heading)
INK = RGBColor(0x26, 0x27, 0x30)
ACCENT = RGBColor(0x08, 0x30, 0x6B)
MUTED = RGBColor(0x55, 0x55, 0x55)
WIDESCREEN = (Emu(12_192_000), Emu(6_858_000))  # 13.33 x 7.5 inches
# Chart image size in CSS pixels (rendered at 2.5x, for print and projectors): the chart's box on the slide has the same shape.
CHART_WIDTH, CHART_HEIGHT, CHART_SCALE = 920, 610, 2.5
FORMATS = {".pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
           ".pdf": "application/pdf"}


class BoardPackError(RuntimeError):
    """The pack cannot be made here; the message says what to install or change."""


@dataclass(frozen=True)
class PackTitle:
    """What the title slide states: the filters in words and the data's 'as of' date."""

    filters_text: str
    as_of: str
    is_demo: bool
    made_on: date
    vision: str = ""  # the strategy's vision, in its own words
    strategy: str = ""  # the strategy's name, from its framework file

    @property
    def heading(self) -> str:
        """The title slide's title: 'Making our Move: board pack'."""
        return PACK_TITLE.format(strategy=self.strategy or "Strategy")


def pack_title(con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters,
               today: date | None = None) -> PackTitle:
    coverage = analysis.data_coverage(con)
    made_on = today or date.today()
    return PackTitle(filters.describe(framework), coverage.get("data_as_of") or made_on.isoformat(),
                     coverage.get("dataset") == "demo", made_on, framework.vision, framework.name)


def filter_statement(title: PackTitle) -> str:
    return f"Showing: {title.filters_text}."


def format_cell(value: object) -> str:
    """Table text: thousands separators, at most one decimal place, blanks for missing values."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return "yes" if value else ""
    if isinstance(value, (date, pd.Timestamp)):
        return "" if pd.isna(value) else f"{value:%d %b %Y}"
    number = float(value)
    if math.isnan(number):
        return ""
    return f"{int(number):,}" if number.is_integer() else f"{number:,.1f}"


def _open_presentation(template: str | Path | None) -> Presentation:
    if template is None:
        prs = Presentation()
        prs.slide_width, prs.slide_height = WIDESCREEN
        return prs
    try:
        prs = Presentation(str(template))
    except Exception as problem:
        raise BoardPackError(f"{Path(template).name} is not a PowerPoint file (.pptx) that can be opened: "
                             f"{problem}") from None
    # A template's own sample slides are not part of the pack: keep its layouts, masters and theme only.
    slide_ids = prs.slides._sldIdLst
    for slide_id in list(slide_ids):
        prs.part.drop_rel(slide_id.rId)
        slide_ids.remove(slide_id)
    return prs


def _layout(prs: Presentation, name: str, fallback: int):
    for layout in prs.slide_layouts:
        if layout.name.lower() == name.lower():
            return layout
    return prs.slide_layouts[min(fallback, len(prs.slide_layouts) - 1)]


def _style(paragraph, size: int, colour: RGBColor | None, bold: bool = False, keep_template: bool = False) -> None:
    for run in paragraph.runs:
        run.font.size = Pt(size)
        run.font.bold = bold
        if colour is not None and not keep_template:
            run.font.color.rgb = colour


def _text_box(slide, left, top, width, height, text: str, size: int, colour: RGBColor | None,
              keep_template: bool) -> None:
    frame = slide.shapes.add_textbox(left, top, width, height).text_frame
    frame.word_wrap = True
    for n, line in enumerate(text.split("\n")):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.text = line
        _style(paragraph, size, colour, keep_template=keep_template)


def _add_title_slide(prs: Presentation, title: PackTitle, slide_count: int, keep_template: bool) -> None:
    slide = prs.slides.add_slide(_layout(prs, "Title Slide", 0))
    slide.shapes.title.text = title.heading
    _style(slide.shapes.title.text_frame.paragraphs[0], 40, ACCENT, bold=True, keep_template=keep_template)
    lines = ([f"Our vision: {title.vision}"] if title.vision else []) + [
             filter_statement(title), f"Data as of {title.as_of}. Pack made on {title.made_on:%d %B %Y}.",
             f"{slide_count} views, each with its key figures, source and caveats."]
    if title.is_demo:
        lines.append(DEMO_CAVEAT)
    subtitle = next((p for p in slide.placeholders if p.placeholder_format.idx == 1), None)
    if subtitle is not None:
        subtitle.text = "\n".join(lines)
        for paragraph in subtitle.text_frame.paragraphs:
            _style(paragraph, 18, INK, keep_template=keep_template)
    else:
        width, height = prs.slide_width, prs.slide_height
        _text_box(slide, int(width * 0.08), int(height * 0.55), int(width * 0.84), int(height * 0.35),
                  "\n".join(lines), 18, INK, keep_template)
    slide.notes_slide.notes_text_frame.text = "\n".join(lines)


def _add_table(slide, table: pd.DataFrame, left, top, width, max_height) -> None:
    rows, columns = len(table) + 1, max(len(table.columns), 1)
    row_height = min(Emu(int(max_height / rows)), Emu(420_000))
    shape = slide.shapes.add_table(rows, columns, left, top, width, row_height * rows)
    grid = shape.table
    size = 12 if rows <= 9 and columns <= 3 else 11
    for c, name in enumerate(table.columns):
        grid.cell(0, c).text = str(name)
        _style(grid.cell(0, c).text_frame.paragraphs[0], size, None, bold=True)
    for r, values in enumerate(table.itertuples(index=False), start=1):
        for c, value in enumerate(values):
            grid.cell(r, c).text = format_cell(value)
            _style(grid.cell(r, c).text_frame.paragraphs[0], size, None)


def _add_view_slide(prs: Presentation, slide: Slide, image: bytes, keep_template: bool) -> None:
    width, height = prs.slide_width, prs.slide_height
    page = prs.slides.add_slide(_layout(prs, "Title Only", 5))
    margin, top, bottom = int(width * 0.03), int(height * 0.19), int(height * 0.88)
    title = page.shapes.title
    title.left, title.top, title.width, title.height = margin, int(height * 0.02), width - 2 * margin, top - margin
    title.text = slide.headline
    _style(title.text_frame.paragraphs[0], 24, ACCENT, bold=True, keep_template=keep_template)
    chart_width = int(width * 0.58)
    chart_height = min(bottom - top, int(chart_width * CHART_HEIGHT / CHART_WIDTH))
    chart_width = int(chart_height * CHART_WIDTH / CHART_HEIGHT)
    picture = page.shapes.add_picture(io.BytesIO(image), margin, top, chart_width, chart_height)
    picture._element.nvPicPr.cNvPr.set("descr", slide.summary)  # alt text for screen readers
    table_left = margin * 2 + chart_width
    _add_table(page, slide.table, table_left, top, width - table_left - margin, bottom - top)
    footer = slide.source + (" " + slide.caveat if slide.caveat else "")
    _text_box(page, margin, bottom + int(height * 0.01), width - 2 * margin, height - bottom - int(height * 0.02),
              footer, 10, MUTED, keep_template)
    notes = [slide.summary, "", "Key figures:"]
    notes += ["; ".join(f"{name}: {format_cell(value)}" for name, value in zip(slide.table.columns, row))
              for row in slide.table.itertuples(index=False)]
    notes += ["", footer]
    page.notes_slide.notes_text_frame.text = "\n".join(notes)


def pptx_bytes(slides: list[Slide], title: PackTitle, template: str | Path | None = None) -> bytes:
    """The board pack as a .pptx file's bytes."""
    prs = _open_presentation(template)
    keep_template = template is not None
    pictures = images.figure_images([s.figure for s in slides], "png", width=CHART_WIDTH, height=CHART_HEIGHT,
                                     scale=CHART_SCALE)
    _add_title_slide(prs, title, len(slides), keep_template)
    for slide, picture in zip(slides, pictures):
        _add_view_slide(prs, slide, picture, keep_template)
    prs.core_properties.title = title.heading
    prs.core_properties.subject = filter_statement(title)
    out = io.BytesIO()
    prs.save(out)
    return out.getvalue()


def libreoffice() -> str:
    """The LibreOffice program that converts PPTX to PDF, or BoardPackError saying how to install it."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    if not found:
        raise BoardPackError("PDF board packs need LibreOffice Impress: run `bash scripts/install_system_packages.sh` "
                             "as root, or `sudo apt-get install libreoffice-impress`. A .pptx pack works without it.")
    return found


PDF_SECONDS = float(os.environ.get("STRATEGY_LIBREOFFICE_SECONDS", 180))  # a 10-slide pack converts in ~15 s


def pdf_from_pptx(pptx: bytes, timeout: float | None = None) -> bytes:
    """The same pack as PDF, converted by LibreOffice with a private profile (safe to run alongside others).

    LibreOffice runs in its own process group, so a conversion that does not finish in time is ended with every
    process it started (ending only the first left its helpers holding the output pipes, and the wait never
    ended)."""
    program = libreoffice()
    seconds = PDF_SECONDS if timeout is None else timeout
    with tempfile.TemporaryDirectory(prefix="board-pack-") as folder:
        source = Path(folder) / "board-pack.pptx"
        source.write_bytes(pptx)
        profile = Path(folder) / "profile"
        command = [program, f"-env:UserInstallation={profile.as_uri()}", "--headless", "--norestore",
                   "--convert-to", "pdf", "--outdir", folder, str(source)]
        try:
            process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                                       stdin=subprocess.DEVNULL, env={**os.environ, "HOME": folder},
                                       start_new_session=True)
        except OSError as problem:
            raise BoardPackError(f"LibreOffice ({program}) could not be started: {problem}. A .pptx pack works "
                                 "without it.") from None
        try:
            output, _ = process.communicate(timeout=seconds)
        except subprocess.TimeoutExpired:
            _end_process_group(process)
            raise BoardPackError(f"LibreOffice did not finish converting the pack to PDF within {seconds:g} seconds, "
                                 "so it was stopped. Try again, or make a .pptx pack.") from None
        if process.returncode != 0:
            said = output.decode("utf-8", "replace").strip().splitlines()[-1:] or ["no message"]
            raise BoardPackError(f"LibreOffice could not convert the pack to PDF (exit status {process.returncode}: "
                                 f"{said[0][:300]}). Try again, or make a .pptx pack.")
        target = source.with_suffix(".pdf")
        if not target.exists():
            raise BoardPackError("LibreOffice finished but wrote no PDF; try again, or make a .pptx pack.")
        return target.read_bytes()


def _end_process_group(process: subprocess.Popen) -> None:
    """Stop a process and everything it started (its own session), then collect it."""
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (AttributeError, ProcessLookupError, PermissionError):
        process.kill()
    try:
        process.communicate(timeout=5)
    except subprocess.TimeoutExpired:
        pass


def board_pack_bytes(con: duckdb.DuckDBPyConnection, framework: Framework, filters: Filters, file_format: str,
                     template: str | Path | None = None, today: date | None = None, *, actor: User) -> bytes:
    """The pack for the filters as '.pptx' or '.pdf' bytes: the one function the page and the command call.

    An export: analysts and admins only, written to the audit log (so the connection must be writable)."""
    require(actor, "export")
    if file_format not in FORMATS:
        raise BoardPackError(f"a board pack is {' or '.join(FORMATS)}, not {file_format!r}")
    missing = images.unavailable_reason()  # say what is missing before spending time on the slides
    if missing:
        raise BoardPackError(missing)
    if file_format == ".pdf":
        libreoffice()
    try:
        pptx = pptx_bytes(board_slides(con, framework, filters, today), pack_title(con, framework, filters, today),
                          template)
    except images.ImageExportUnavailable as problem:
        raise BoardPackError(str(problem)) from None
    pack = pptx if file_format == ".pptx" else pdf_from_pptx(pptx)
    with db.transaction(con):
        db.audit(con, actor, "export board pack", f"{file_format.lstrip('.')}; filters: {filters.describe(framework)}")
    return pack


def write_board_pack(target: str | Path, pack: bytes) -> None:
    """Write the pack whole or not at all (a failed write never leaves half a pack)."""
    write_atomically(target, pack)
