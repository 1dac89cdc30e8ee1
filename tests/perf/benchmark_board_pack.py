"""Board pack benchmark: time to make the PPTX (and the PDF) for the demo data, written to docs/board-pack.md.

Run: python -m tests.perf.benchmark_board_pack [--activities N]
Target (issue): a 10-slide pack in under 20 s on a 2-core machine.
"""

from __future__ import annotations

import argparse
import io
import os
import platform
import re
import tempfile
import time
from datetime import date
from pathlib import Path

from pptx import Presentation

from strategy import db, images
from strategy.board import pack as board_pack
from strategy.board import slides
from strategy.build import build_database
from strategy.filters import Filters
from strategy.framework import load_framework

DOC = Path(__file__).resolve().parents[2] / "docs" / "board-pack.md"
MARK_START, MARK_END = "<!-- benchmark:start -->", "<!-- benchmark:end -->"


def timed(function):
    start = time.perf_counter()
    value = function()
    return value, time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--activities", type=int, default=1500)
    args = parser.parse_args()
    framework = load_framework()
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "bench.duckdb"
        build_database(path, with_demo=True, activities=args.activities, today=date(2026, 6, 30))
        con = db.connect(path, read_only=True)
        for label, filters in (
            ("all places", Filters()),
            ("Nottinghamshire, aim A3", Filters(places=("E10000024",), aims=("A3",))),
        ):
            cold = label == "all places"  # the first pack also starts the chart-image server (Chromium)
            built, slide_seconds = timed(lambda: slides.board_slides(con, framework, filters))
            title = board_pack.pack_title(con, framework, filters)
            pptx, pptx_seconds = timed(lambda: board_pack.pptx_bytes(built, title))
            pdf, pdf_seconds = timed(lambda: board_pack.pdf_from_pptx(pptx))
            count = len(Presentation(io.BytesIO(pptx)).slides)
            rows.append(
                (
                    label + (" (first pack: starts Chromium)" if cold else ""),
                    count,
                    slide_seconds,
                    pptx_seconds,
                    slide_seconds + pptx_seconds,
                    pdf_seconds,
                    slide_seconds + pptx_seconds + pdf_seconds,
                    len(pptx) / 1e6,
                )
            )
        con.close()
    images._stop_server()
    table = [
        "| filters | slides | data + charts (s) | images + PPTX (s) | PPTX total (s) | PDF conversion (s) | "
        "PDF total (s) | PPTX size (MB) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    table += [
        f"| {r[0]} | {r[1]} | {r[2]:.2f} | {r[3]:.2f} | **{r[4]:.1f}** | {r[5]:.1f} | **{r[6]:.1f}** | {r[7]:.1f} |"
        for r in rows
    ]
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    block = "\n".join(
        [
            MARK_START,
            f"Measured {date.today().isoformat()} on {machine}, demo data with "
            f"{args.activities:,} activities (`python -m tests.perf.benchmark_board_pack`):",
            "",
            *table,
            MARK_END,
        ]
    )
    print(block)
    text = DOC.read_text(encoding="utf-8") if DOC.exists() else ""
    if MARK_START in text:
        text = re.sub(re.escape(MARK_START) + ".*?" + re.escape(MARK_END), lambda _: block, text, flags=re.S)
        DOC.write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
