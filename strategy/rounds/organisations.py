"""The organisation an upload is for is chosen from the partners, not typed: a new one is an explicit step that
first shows the existing partners whose names are close to what was typed, so a typo does not make a new partner."""

from __future__ import annotations

import difflib
import os
import re

from strategy.names import same_name

NEW_ORGANISATION = "A new organisation…"
BASE_URL_VARIABLE = "STRATEGY_BASE_URL"
# Words that do not tell two organisations apart: 'Mansfield Community Trust Ltd' is 'Mansfield Community Trust'.
_FILLER = frozenset({"the", "ltd", "limited", "cic", "plc", "llp", "inc", "co", "uk"})
NEAR_CUTOFF = 0.8


def normalised_name(name: str) -> str:
    """A name as it is compared: lower case, '&' as 'and', punctuation as spaces, filler words dropped."""
    words = re.sub(r"[^0-9a-z]+", " ", (name or "").casefold().replace("&", " and ")).split()
    return " ".join(w for w in words if w not in _FILLER)


def same_organisation(name: str, known: list[str]) -> str | None:
    """The existing partner that name is, by the one rule for names (strategy/names.py), if any. Looser likenesses
    (punctuation, 'Ltd', '&') are only offered as near matches: the person decides."""
    return next((k for k in known if same_name(k, name)), None) if (name or "").strip() else None


def near_matches(name: str, known: list[str], n: int = 5) -> list[str]:
    """Existing partners whose normalised names are close to name's (difflib ratio at least NEAR_CUTOFF), closest
    first; an exact normalised match first of all."""
    wanted = normalised_name(name)
    if not wanted:
        return []
    by_normalised: dict[str, list[str]] = {}
    for partner in known:
        by_normalised.setdefault(normalised_name(partner), []).append(partner)
    close = difflib.get_close_matches(wanted, list(by_normalised), n=n, cutoff=NEAR_CUTOFF)
    # also a name typed as part of a longer one ('Mansfield Trust' for 'Mansfield Community Trust')
    contained = [
        k
        for k in by_normalised
        if k not in close and len(wanted) >= 4 and (f" {wanted} " in f" {k} " or f" {k} " in f" {wanted} ")
    ]
    return [p for key in close + contained for p in by_normalised[key]][:n]


def base_url(current_url: str | None = None, page_path: str | None = None) -> str | None:
    """The dashboard's address for links in reminders: $STRATEGY_BASE_URL when set, else the address the person is
    using (current_url, without its query and the current page's own path); None when neither is known."""
    configured = os.environ.get(BASE_URL_VARIABLE, "").strip()
    if configured:
        return configured.rstrip("/")
    if not current_url:
        return None
    url = current_url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    if page_path and url.endswith("/" + page_path.strip("/")):
        url = url[: -len(page_path.strip("/")) - 1]
    return url


def partner_names(con) -> list[str]:
    """Every partner organisation's name, in order."""
    from strategy import db

    return db.query(con, "partner_names").name.tolist()
