"""Text is text: the one helper every page uses to show what someone typed or uploaded.

Streamlit's st.markdown, st.write, st.caption, st.info/warning/error/success, headers, expander and tab labels all
read their text as Markdown (with Streamlit's colour, icon and LaTeX directives). A partner name, an activity
title, an empathy-map subject or a ?partner= link value shown there could add an outside image (every viewer's
browser would fetch it), a link, emphasis or HTML. plain() makes such a value show exactly as written.

Pure Python (no Streamlit), so it can be tested and used anywhere.
"""

from __future__ import annotations

import re
import string

# Every ASCII punctuation character may be escaped with a backslash in CommonMark, and escaping all of them is the
# simplest rule that leaves nothing out: links and images ([ ] ( ) !), emphasis (* _ ~), code (`), HTML and
# entities (< > &), headings and lists (# + - . digits followed by . or )), tables (|), Streamlit's directives
# (:red[...], :material/...: and $LaTeX$), and bare web addresses and emails, which are only made links when
# their ':', '.' or '@' are unescaped.
_PUNCTUATION = re.compile("([" + re.escape(string.punctuation) + "])")
_LINE_BREAKS = re.compile(r"\r\n?|[\u2028\u2029\x85\x0b\x0c]")


def plain(text: object) -> str:
    """A stored or typed value made inert for any Streamlit text that reads Markdown: it shows exactly as written
    (line breaks kept), and cannot add images, links, formatting, HTML or colour."""
    value = "" if text is None else str(text)
    value = _LINE_BREAKS.sub("\n", value).replace("\x00", "")
    return _PUNCTUATION.sub(r"\\\1", value).replace("\n", "  \n")


def plain_table(frame):
    """A table for st.table (which reads text cells as Markdown) with every text cell passed through plain(); other
    cells (numbers, dates, missing values) as they are."""
    return frame.map(lambda cell: plain(cell) if isinstance(cell, str) else cell)
