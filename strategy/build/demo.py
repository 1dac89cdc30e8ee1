"""A deterministic, fictional demo: partners and activities, uneven on purpose so the gap views have something to say.

What is uneven is the framework's to say (its [demo] table: see strategy/framework.toml). For Making our Move:
aim A3 (greatest inequality), ways W4 (targeted investment) and W6 (learning) and the climate theme are thin;
Bolsover and Mansfield (high inactivity, high deprivation) get little per head while Rushcliffe and Derbyshire
Dales get a lot; nothing in Bolsover addresses children and young people (A2) from 2025. Partner names are
invented. A framework without a [demo] table gets an even demo over its own aims, ways, themes and places.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import duckdb
import numpy as np
import pandas as pd

from strategy import db
from strategy.activities import derive_for_upload
from strategy.build.reference import place_rows
from strategy.framework import Framework, FrameworkError
from strategy.learning.demo import load_learning_demo
from strategy.names import name_key

SEED = 20210401
DEMO_START = date(2021, 1, 1)
DEFAULT_ACTIVITIES = 1500
DEFAULT_PARTNERS = 80
DEFAULT_WEIGHT = 0.3  # an aim, way or theme the [demo] table does not weigh


@dataclass(frozen=True)
class DemoGap:
    """From `start`, no activity in `place` addresses `aim`; single-place ones there name `instead`."""

    place: str
    aim: str
    instead: str
    start: date


@dataclass(frozen=True)
class DemoSettings:
    """The demo's unevenness, read from the framework's [demo] table and checked against its codes."""

    aim_weights: dict[str, float]
    way_weights: dict[str, float]
    theme_weights: dict[str, float]
    place_effort: dict[str, float]
    sector_weights: dict[str, float]
    partner_kinds: dict[str, list[str]]
    titles: dict[str, list[str]]
    gap: DemoGap | None


def demo_settings(framework: Framework) -> DemoSettings:
    """The framework's [demo] table with defaults for what it leaves out; a code or place the framework does not
    have raises FrameworkError naming it."""
    raw = framework.demo
    where = f"{framework.source or 'framework file'} [demo]"

    def weights(key: str, items, default: float) -> dict[str, float]:
        given = dict(raw.get(key, {}))
        unknown = set(given) - {i.code for i in items}
        if unknown:
            raise FrameworkError(
                f"{where} {key} names {', '.join(sorted(unknown))}, which the framework does not have; use its codes."
            )
        return {i.code: float(given.get(i.code, default)) for i in items}

    places = {}
    for name, value in dict(raw.get("place_effort", {})).items():
        found = framework.resolve_places(name)
        if not found or len(found) != 1:
            raise FrameworkError(
                f"{where} place_effort names {name!r}, which is not one local place of the "
                "framework; use a district's name or code."
            )
        places[found[0]] = float(value)
    kinds = {s.code: list(raw.get("partner_kinds", {}).get(s.code) or [s.label]) for s in framework.sectors}
    titles = {a.code: list(raw.get("titles", {}).get(a.code) or [f"{a.label} activity"]) for a in framework.aims}
    gap = None
    if raw.get("gap"):
        spec = raw["gap"]
        place = framework.resolve_places(str(spec.get("place", "")))
        codes = {a.code for a in framework.aims}
        if not place or len(place) != 1 or spec.get("aim") not in codes or spec.get("instead") not in codes:
            raise FrameworkError(
                f"{where}.gap needs place = one local place, aim and instead = two of the "
                "framework's aim codes, and from = a date."
            )
        try:
            start = date.fromisoformat(str(spec["from"]))
        except (KeyError, ValueError):
            raise FrameworkError(f"{where}.gap: from must be a date written YYYY-MM-DD.") from None
        gap = DemoGap(place[0], spec["aim"], spec["instead"], start)
    return DemoSettings(
        aim_weights=weights("aim_weights", framework.aims, DEFAULT_WEIGHT),
        way_weights=weights("way_weights", framework.ways, DEFAULT_WEIGHT),
        theme_weights=weights("theme_weights", framework.themes, DEFAULT_WEIGHT / 2),
        place_effort=places,
        sector_weights=weights("sector_weights", framework.sectors, 1.0),
        partner_kinds=kinds,
        titles=titles,
        gap=gap,
    )


TARGET_GROUPS = [
    "older people",
    "carers",
    "young people",
    "women and girls",
    "disabled people",
    "low income families",
    "people with long-term conditions",
    "ethnically diverse communities",
    "new parents",
]


def _pick_many(rng: np.random.Generator, n: int, weights: dict[str, float], at_least_one: bool) -> np.ndarray:
    """An n x k boolean matrix: which of the k codes each activity names."""
    probabilities = np.array(list(weights.values()))
    chosen = rng.random((n, len(weights))) < probabilities
    if at_least_one:
        empty = ~chosen.any(axis=1)
        fallback = rng.choice(len(weights), size=empty.sum(), p=probabilities / probabilities.sum())
        chosen[np.flatnonzero(empty), fallback] = True
    return chosen


def _bridge(keys: np.ndarray, chosen: np.ndarray, codes: list[str]) -> pd.DataFrame:
    rows, cols = np.nonzero(chosen)
    return pd.DataFrame({"activity_key": keys[rows], "code": np.array(codes)[cols]})


def demo_partners(
    framework: Framework,
    count: int,
    rng: np.random.Generator,
    place_weights: np.ndarray,
    settings: DemoSettings | None = None,
) -> pd.DataFrame:
    """Invented partner organisations, each with a sector and a home place (a district, city or county)."""
    settings = settings or demo_settings(framework)
    sectors = list(settings.sector_weights)
    weights = np.array(list(settings.sector_weights.values()), dtype=float)
    homes = [p for p in framework.local_places()] + list(framework.counties())
    counties = len(homes) - len(place_weights)
    home_weights = np.concatenate(
        [place_weights * (0.85 if counties else 1.0), np.full(counties, 0.15 / max(counties, 1))]
    )
    names, rows = set(), []
    while len(rows) < count:
        sector = sectors[rng.choice(len(sectors), p=weights / weights.sum())]
        home = homes[rng.choice(len(homes), p=home_weights / home_weights.sum())]
        kinds = settings.partner_kinds[sector]
        name = f"{home.name} {kinds[rng.integers(len(kinds))]}"
        if name in names:
            continue
        names.add(name)
        rows.append({"partner_id": len(rows) + 1, "name": name, "sector": sector, "home": home.code})
    return pd.DataFrame(rows)


def demo_tables(
    framework: Framework,
    activities: int = DEFAULT_ACTIVITIES,
    partners: int = DEFAULT_PARTNERS,
    today: date | None = None,
    seed: int = SEED,
) -> dict[str, pd.DataFrame]:
    """The demo's partners, activities and bridge tables as DataFrames (vectorised, so 1M rows take seconds)."""
    rng = np.random.default_rng(seed)
    settings = demo_settings(framework)
    today = today or date.today()
    local = framework.local_places()
    local_codes = np.array([p.code for p in local])
    county_of = {p.code: p.parent for p in local}
    n = activities
    keys = np.arange(1, n + 1, dtype=np.int64)

    # Places: mostly the partner's home district; county partners spread over their county; a few partnership-wide.
    population = place_rows(framework).set_index("code").population
    effort = np.array(
        [settings.place_effort.get(p.code, 1.0) * population.get(p.code, 100_000) for p in local], dtype=float
    )
    district_p = effort / effort.sum()
    partner_table = demo_partners(framework, partners, rng, district_p, settings)
    # Partners: a few large ones run many activities.
    partner_weight = rng.pareto(1.5, len(partner_table)) + 1
    partner_index = rng.choice(len(partner_table), size=n, p=partner_weight / partner_weight.sum())
    partner = partner_table.iloc[partner_index].reset_index(drop=True)

    scope = rng.choice(4, size=n, p=[0.72, 0.14, 0.10, 0.04])  # 0 one place, 1 a few, 2 a county, 3 all
    home_is_local = partner.home.isin(local_codes).to_numpy()
    home_pick = np.where(
        home_is_local & (rng.random(n) < 0.8),
        partner.home.to_numpy(),
        local_codes[rng.choice(len(local), size=n, p=district_p)],
    )
    place_rows_key, place_rows_code = [], []
    county_codes = [c.code for c in framework.counties()]
    for scope_value in range(4):
        idx = np.flatnonzero(scope == scope_value)
        if scope_value == 0:
            place_rows_key.append(keys[idx])
            place_rows_code.append(home_pick[idx])
        elif scope_value == 1:
            second = local_codes[rng.choice(len(local), size=len(idx), p=district_p)]
            place_rows_key += [keys[idx], keys[idx]]
            place_rows_code += [home_pick[idx], second]
        else:
            for i in idx:
                if scope_value == 2:
                    home_county = county_of.get(home_pick[i]) or county_codes[rng.integers(len(county_codes))]
                    codes = framework.places_within(home_county)
                else:
                    codes = local_codes
                place_rows_key.append(np.full(len(codes), keys[i]))
                place_rows_code.append(np.array(codes))
    places = pd.DataFrame(
        {"activity_key": np.concatenate(place_rows_key), "place_code": np.concatenate(place_rows_code)}
    ).drop_duplicates()

    # Aims, ways and themes: uneven on purpose.
    aims = _pick_many(rng, n, settings.aim_weights, at_least_one=True)
    ways = _pick_many(rng, n, settings.way_weights, at_least_one=True)
    themes = _pick_many(rng, n, settings.theme_weights, at_least_one=False)

    # Dates: 2021 to today, more activity in later years.
    span = (today - DEMO_START).days
    start_offset = (span * np.sqrt(rng.random(n))).astype(int)
    start = np.datetime64(DEMO_START) + start_offset.astype("timedelta64[D]")
    duration = rng.integers(30, 1100, size=n).astype("timedelta64[D]")
    end = start + duration
    open_ended = rng.random(n) < 0.12
    today64 = np.datetime64(today)
    status = np.where(start > today64, "planned", np.where(~open_ended & (end < today64), "completed", "active"))
    status = np.where((status == "active") & (rng.random(n) < 0.04), "paused", status)

    # The framework's gap (Making our Move: nothing in Bolsover addresses children and young people, A2, from
    # 2025): single-place activities there move to the `instead` aim; wider activities for the aim leave it out.
    aim_codes = list(settings.aim_weights)
    if settings.gap is not None:
        gap_place, gap_aim, instead = (
            settings.gap.place,
            aim_codes.index(settings.gap.aim),
            aim_codes.index(settings.gap.instead),
        )
        from_gap = open_ended | (end >= np.datetime64(settings.gap.start))
        places_per_activity = places.groupby("activity_key").size()
        single_place = places_per_activity[places_per_activity == 1].index.to_numpy()
        only_there = np.isin(keys, np.intersect1d(single_place, places.activity_key[places.place_code == gap_place]))
        in_gap = only_there & from_gap & aims[:, gap_aim]
        aims[in_gap, gap_aim] = False
        aims[in_gap & ~aims.any(axis=1), instead] = True
        wider = keys[~only_there & from_gap & aims[:, gap_aim]]
        places = places[~(places.activity_key.isin(wider) & (places.place_code == gap_place))]

    main_aim = np.array(aim_codes)[np.argmax(aims * rng.random(aims.shape), axis=1)]
    title_choice = rng.integers(0, 100, size=n)
    titles = [settings.titles[a][t % len(settings.titles[a])] for a, t in zip(main_aim, title_choice)]
    place_name = {p.code: p.name for p in framework.places}
    titles = [f"{t} ({place_name[h]})" for t, h in zip(titles, home_pick)]

    investment = np.round(np.exp(rng.normal(8.6, 1.3, n)), -1)  # median about £5,400
    investment = np.where(rng.random(n) < 0.08, np.nan, investment)  # some partners do not report money
    participants = np.round(np.exp(rng.normal(3.8, 1.1, n))).astype(float)
    participants = np.where(rng.random(n) < 0.1, np.nan, participants)
    target = [[TARGET_GROUPS[(k * 7 + j) % len(TARGET_GROUPS)] for j in range(k % 3)] for k in title_choice]

    activity_table = pd.DataFrame(
        {
            "activity_key": keys,
            "partner_id": partner.partner_id.to_numpy(),
            "activity_id": [f"DEMO-{k:07d}" for k in keys],
            "title": titles,
            "description": "Fictional demo activity.",
            "sector": partner.sector.to_numpy(),
            "start_date": start.astype("datetime64[D]"),
            "end_date": np.where(open_ended, np.datetime64("NaT"), end).astype("datetime64[D]"),
            "status": status,
            "participants": participants,
            "investment_gbp": investment,
            "target_groups": target,
        }
    )
    return {
        "partners": partner_table[["partner_id", "name", "sector"]],
        "activities": activity_table,
        "activity_aims": _bridge(keys, aims, aim_codes).rename(columns={"code": "aim"}),
        "activity_ways": _bridge(keys, ways, list(settings.way_weights)).rename(columns={"code": "way"}),
        "activity_themes": _bridge(keys, themes, list(settings.theme_weights)).rename(columns={"code": "theme"}),
        "activity_places": places,
    }


def load_demo(
    con: duckdb.DuckDBPyConnection,
    framework: Framework,
    activities: int = DEFAULT_ACTIVITIES,
    partners: int = DEFAULT_PARTNERS,
    today: date | None = None,
) -> int:
    """Replace all activity data with the demo (in one transaction); the number of activities loaded."""
    tables = demo_tables(framework, activities, partners, today)
    with db.transaction(con) as cursor:
        for table in (
            "activity_aims",
            "activity_ways",
            "activity_themes",
            "activity_places",
            "activities",
            "partners",
            "uploads",
        ):
            cursor.execute(f"DELETE FROM {table}")  # fixed table names, no user input
        upload_id = cursor.execute(
            "INSERT INTO uploads (kind, uploaded_by, file_name, rows_read, rows_loaded, rows_rejected, status) "
            "VALUES ('demo', 'demo generator', 'demo data', ?, ?, 0, 'loaded') RETURNING upload_id",
            [activities, activities],
        ).fetchall()[0][0]
        for name, frame in tables.items():
            if name == "partners":
                frame = frame.assign(name_key=frame["name"].map(name_key))
            cursor.register("demo_frame", frame)
            if name == "activities":
                cursor.execute(
                    "INSERT INTO activities (activity_key, partner_id, activity_id, version, upload_id, title, "
                    "description, sector, start_date, end_date, status, participants, investment_gbp, "
                    "target_groups) SELECT activity_key, partner_id, activity_id, 1, ?, title, description, "
                    "sector, start_date, end_date, status, participants, investment_gbp, target_groups "
                    "FROM demo_frame",
                    [upload_id],
                )
            elif name == "activity_places":
                cursor.execute("INSERT INTO activity_places SELECT activity_key, place_code, NULL FROM demo_frame")
            elif name == "partners":  # each name with its key (strategy/names.py)
                cursor.execute(
                    "INSERT INTO partners (partner_id, name, name_key, sector) SELECT partner_id, name, "
                    "name_key, sector FROM demo_frame"
                )
            else:
                cursor.execute(f"INSERT INTO {name} BY NAME SELECT * FROM demo_frame")  # name from the fixed dict above
            cursor.unregister("demo_frame")
        derive_for_upload(cursor, upload_id)
        db.set_meta(cursor, "dataset", "demo")
        db.set_meta(cursor, "data_as_of", (today or date.today()).isoformat())

    load_learning_demo(con, framework, today)  # the learning workspace's demo: purposes, empathy map, experiments
    return activities
