"""plain(): what a user typed shows exactly as written in any Streamlit text that reads Markdown."""

from __future__ import annotations

import string

from hypothesis import given
from hypothesis import strategies as st

from strategy.ui.text import plain, plain_table


def unescape(shown: str) -> str:
    """What CommonMark shows for an escaped text: a backslash before punctuation shows the punctuation alone, and a
    line ending in two spaces is a line break."""
    out, i = [], 0
    shown = shown.replace("  \n", "\n")
    while i < len(shown):
        if shown[i] == "\\" and i + 1 < len(shown) and shown[i + 1] in string.punctuation:
            out.append(shown[i + 1])
            i += 2
        else:
            out.append(shown[i])
            i += 1
    return "".join(out)


def test_every_punctuation_character_is_made_literal():
    for character in string.punctuation:
        assert plain(character) == "\\" + character
    assert plain("Ashfield Runners 2025") == "Ashfield Runners 2025"
    assert plain(None) == ""


@given(st.text(st.characters(blacklist_characters="\r\x00\u2028\u2029\x85\x0b\x0c")))
def test_escaped_text_reads_back_as_written_and_leaves_no_live_punctuation(text):
    shown = plain(text)
    assert unescape(shown) == text
    live = shown.replace("\\\\", "").replace("  \n", "")
    assert all(live[i - 1] == "\\" for i, c in enumerate(live) if c in string.punctuation and c != "\\")


def test_tables_for_st_table_escape_text_cells_only():
    import pandas as pd

    shown = plain_table(pd.DataFrame({"value": ["![x](http://evil.example/x.png)", None], "row": [2, 3]}))
    assert shown.value[0] == plain("![x](http://evil.example/x.png)") and pd.isna(shown.value[1])
    assert list(shown.row) == [2, 3]
