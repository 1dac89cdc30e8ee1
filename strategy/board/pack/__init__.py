"""The board pack: the board's slides as an editable PowerPoint file (python-pptx), and as PDF via LibreOffice.

Every view becomes one slide: the headline as the title, the chart as a high-resolution image (its summary as
alt text), the key figures as a native table, source and caveats in the footer, the summary in the speaker
notes. An optional template .pptx supplies the partnership's logo, fonts and colours through its layouts.

The title and how cells are written (title), the measures and the layout of a slide (layout), text and tables on
a slide (shapes), a view's chart as a native chart or pictures (slide_charts), the PowerPoint file (deck), the PDF
(pdf), and a whole pack as a file (files). What the command line and the pages call is named here.
"""

from strategy.board.pack.deck import pptx_bytes
from strategy.board.pack.files import board_pack_bytes, pack_file_name, write_board_pack
from strategy.board.pack.layout import FORMATS, BoardPackError
from strategy.board.pack.pdf import libreoffice, pdf_from_pptx
from strategy.board.pack.title import format_cell, pack_title

__all__ = [
    "FORMATS",
    "BoardPackError",
    "board_pack_bytes",
    "format_cell",
    "libreoffice",
    "pack_file_name",
    "pack_title",
    "pdf_from_pptx",
    "pptx_bytes",
    "write_board_pack",
]
