"""Where you fit: what a partner's activities add to the partnership, in plain words.

- The gaps they fill: place x aim pairs that would be a gap (no activity, or thin, by the gap list's own rule and
  yardstick, analysis.gap_kinds and analysis.gap_yardstick) without this partner's current activities, and in
  which the partner runs something in the gap year. Each says whether the partner's activities lift it out of the
  gap list or leave it thin.
- The aims and ways of working they serve, as a share of their activities, beside the partnership's share.
- Who else works on the same aims in the same places (from the activity returns) and who works with them on the
  learning workspace's purposes and experiments for those aims and places: an invitation to connect.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

import duckdb
import pandas as pd

from strategy import analysis, db
from strategy.access import User, require
from strategy.filters import Filters
from strategy.framework import Framework
from strategy.learning import network
from strategy.names import name_key


@dataclass(frozen=True)
class Fit:
    partner: str
    year: int
    activities: int  # the partner's activities running in the year
    gaps_filled: pd.DataFrame  # place, aim, kind_before, activities_before, partner_activities, activities_now, filled
    aims: pd.DataFrame  # aim, partner_share, partnership_share (of activities, in %)
    ways: pd.DataFrame  # way, partner_share, partnership_share
    others: pd.DataFrame  # partner, sector, shared_pairs, pairs: others with activities in the same place x aim
    learning: pd.DataFrame  # name, sector, records: who works on purposes/experiments for the same aims and places

    @property
    def summary(self) -> str:
        """The finding in one plain sentence."""
        if self.activities == 0:
            return f"{self.partner} has no activities running in {self.year}, so it fills no gaps that year yet."
        filled = int(self.gaps_filled.filled.sum()) if len(self.gaps_filled) else 0
        helped = len(self.gaps_filled)
        word = "activity" if self.activities == 1 else "activities"
        if not helped:
            sentence = (
                f"In {self.year}, {self.partner}'s {self.activities:,} {word} fill no gap: every place and "
                "aim they reach has enough other activity too."
            )
            if len(self.others):
                sentence += (
                    f" {len(self.others)} other partner{'s' if len(self.others) != 1 else ''} work on the "
                    "same aims in the same places."
                )
            return sentence
        sentence = (
            f"In {self.year}, {self.partner}'s {self.activities:,} {word} "
            f"{'reaches' if self.activities == 1 else 'reach'} {helped} place and aim "
            f"pair{'s' if helped != 1 else ''} that would otherwise have no or thin activity"
        )
        if not helped:
            sentence += "."
        elif filled == helped:
            sentence += "; with them, " + ("it is not" if helped == 1 else "none of them is") + " a gap any more."
        elif filled == 0:
            sentence += "; " + ("it is" if helped == 1 else "they are") + " still thin, so more would help."
        else:
            sentence += f"; with them, {filled} of these {'is' if filled == 1 else 'are'} no longer a gap."
        if len(self.others):
            sentence += (
                f" {len(self.others)} other partner{'s' if len(self.others) != 1 else ''} work on the same "
                f"aims in the same places."
            )
        return sentence


year_filters = analysis.year_filters  # the filters limited to one calendar year, as the gap list takes them


def _place_aim_cells(con, framework, filters, today) -> pd.DataFrame:
    cells = analysis.heatmap(con, framework, filters, rows="place", columns="aim", today=today)
    return cells[["row_code", "row_label", "column_code", "column_label", "activities"]]


def gaps_filled(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    partner: str,
    filters: Filters,
    year: int,
    today: date | None = None,
) -> pd.DataFrame:
    """The place x aim pairs that are a gap without the partner's activities and that the partner reaches."""
    in_year = year_filters(replace(filters, partners=()), year)
    everyone = _place_aim_cells(con, framework, in_year, today)
    own = _place_aim_cells(con, framework, replace(in_year, partners=(partner,)), today)
    cells = everyone.merge(
        own[["row_code", "column_code", "activities"]].rename(columns={"activities": "own"}),
        on=["row_code", "column_code"],
        how="left",
    ).fillna({"own": 0})
    population = analysis.need_by_place(con, in_year.as_of(today))[["place_code", "population"]]
    cells = cells.merge(population, left_on="row_code", right_on="place_code", how="left")
    without = cells.assign(activities=cells.activities - cells.own)
    # one yardstick, the whole partnership's as it is (the gap list's): only the pair's own count changes without
    # the partner, so "now" is exactly the gap list's verdict on Coverage and gaps
    yardstick = analysis.gap_yardstick(con, framework, in_year, today)
    cells["kind_before"], _ = analysis.gap_kinds(without, yardstick)
    cells["kind_now"], _ = analysis.gap_kinds(cells, yardstick)
    found = cells[(cells.own > 0) & cells.kind_before.notna()]
    return (
        pd.DataFrame(
            {
                "place_code": found.row_code,
                "place": found.row_label,
                "aim_code": found.column_code,
                "aim": found.column_label,
                "kind_before": found.kind_before,
                "activities_before": (found.activities - found.own).astype(int),
                "partner_activities": found.own.astype(int),
                "activities_now": found.activities.astype(int),
                "filled": found.kind_now.isna(),
            }
        )
        .sort_values(["kind_before", "filled", "place", "aim_code"], ascending=[True, False, True, True])
        .reset_index(drop=True)
    )


def _shares(con, framework, filters, dimension, today) -> pd.Series:
    """Per code of a dimension: the percentage of the filtered activities that name it."""
    cells = analysis.heatmap(con, framework, filters, rows=dimension, columns="sector", today=today)
    per_code = cells.groupby("row_code", sort=False).activities.sum()
    total = analysis.headline_totals(con, framework, filters, today=today)["activities"]
    return per_code / total * 100 if total else per_code * 0.0


def spread(con, framework, partner, filters, dimension, today) -> pd.DataFrame:
    """The partner's share of its activities naming each aim (or way) beside the partnership's share."""
    theirs = _shares(con, framework, replace(filters, partners=(partner,)), dimension, today)
    everyone = _shares(con, framework, replace(filters, partners=()), dimension, today)
    return pd.DataFrame(
        {
            dimension: [framework.label(dimension, c) for c in everyone.index],
            "code": everyone.index,
            "partner_share": theirs.reindex(everyone.index).fillna(0).round(1).to_numpy(),
            "partnership_share": everyone.round(1).to_numpy(),
        }
    )


def others_in_same_cells(con, framework, partner, filters, cells: list[str], today) -> pd.DataFrame:
    """Other partners with activities in any of the partner's place x aim pairs ('PLACE|AIM' keys)."""
    if not cells:
        return pd.DataFrame(columns=["partner", "sector", "shared_pairs", "pairs"])
    found = db.query(
        con,
        "loop_partners_in_cells",
        cells=cells,
        partner_key=name_key(partner),
        **replace(filters, partners=()).sql_parameters(framework, today),
    )
    found["sector"] = found.sector.map(lambda c: framework.label("sector", c) if isinstance(c, str) else "")
    return found


def learning_allies(con, framework, partner, places: list[str], aims: list[str]) -> pd.DataFrame:
    """Who works on the learning workspace's purposes and experiments for the partner's places and aims (involved,
    ally or leading), other than the partner: name, sector, records (their titles)."""
    if not places or not aims:
        return pd.DataFrame(columns=["name", "sector", "records"])
    members = network.memberships(con, framework, Filters(places=tuple(places), aims=tuple(aims)))
    members = members[members.name.str.casefold() != partner.casefold()]
    if members.empty:
        return pd.DataFrame(columns=["name", "sector", "records"])
    grouped = (
        members.groupby("name", sort=True)
        .agg(sector=("sector", "first"), records=("record_title", lambda t: "; ".join(sorted(set(t)))))
        .reset_index()
    )
    grouped["sector"] = grouped.sector.map(lambda c: framework.label("sector", c) if isinstance(c, str) else "")
    return grouped


def where_you_fit(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    actor: User,
    partner: str,
    filters: Filters = Filters(),
    today: date | None = None,
) -> Fit:
    """What the partner's activities add (partners: their own organisation only; analysts and admins: any)."""
    require(actor, "see_partner_fit", partner)
    partner = (partner or "").strip()
    if not partner:
        raise ValueError("Choose a partner organisation.")
    year = analysis.gap_year(filters, today)
    in_year = year_filters(replace(filters, partners=()), year)
    own_year = replace(in_year, partners=(partner,))
    activities = analysis.headline_totals(con, framework, own_year, today=today)["activities"]
    filled = gaps_filled(con, framework, partner, filters, year, today)
    own_cells = _place_aim_cells(con, framework, own_year, today)
    own_cells = own_cells[own_cells.activities > 0]
    keys = [f"{p}|{a}" for p, a in zip(own_cells.row_code, own_cells.column_code)]
    return Fit(
        partner,
        year,
        int(activities),
        filled,
        spread(con, framework, partner, in_year, "aim", today),
        spread(con, framework, partner, in_year, "way", today),
        others_in_same_cells(con, framework, partner, in_year, keys, today),
        learning_allies(con, framework, partner, sorted(set(own_cells.row_code)), sorted(set(own_cells.column_code))),
    )


def invitation(fit: Fit, limit: int = 5) -> str:
    """An invitation to connect, in plain words, naming the partners who share most pairs."""
    names = fit.others.partner.head(limit).tolist()
    if not names:
        return "No other partner reports activities for the same aims in the same places yet."
    listed = ", ".join(names[:-1]) + (" and " if len(names) > 1 else "") + names[-1]
    return (
        f"{listed} also work on the same aims in the same places as {fit.partner}. Get in touch: you may be "
        "reaching the same people, and could plan together."
    )
