"""Loads the framework's places and the reference figures (data/reference/, or STRATEGY_REFERENCE) into the database."""

from __future__ import annotations

import os
import re
import tomllib
from pathlib import Path

import duckdb
import pandas as pd

from strategy.framework import Framework
from strategy.indicators.statistics import published_verdict

REFERENCE_DIR = Path(__file__).resolve().parents[2] / "data" / "reference"
REFERENCE_SETTING = "STRATEGY_REFERENCE"  # another reference data folder: one install per strategy
# Every reference folder holds these; indicators.toml names the rest.
REQUIRED_FILES = ("indicators.toml", "population.csv", "area_centroids.csv")
# The one population series that covers every area with the same method and year.
POPULATION_MATCH = "Population, all ages (ONS mid-year estimate, via Nomis NM_2002_1)"
POPULATION_PERIOD = "mid-2022"
_PERIOD = re.compile(r"(\d{4}/\d{2})")


class ReferenceDataError(ValueError):
    """The reference data folder is missing or incomplete; the message says what to fix."""


def reference_dir() -> Path:
    """The reference data folder this install uses: STRATEGY_REFERENCE when set, else data/reference. A folder
    that does not exist, or lacks a file every install needs, raises ReferenceDataError saying what to fix."""
    setting = os.environ.get(REFERENCE_SETTING, "").strip()
    folder = Path(setting).expanduser() if setting else REFERENCE_DIR
    where = f" (set by {REFERENCE_SETTING})" if setting else ""
    if not folder.is_dir():
        raise ReferenceDataError(
            f"The reference data folder {folder}{where} does not exist. Give the folder that "
            f"holds the partnership's indicators.toml, population.csv and area_centroids.csv, or "
            f"unset "
            f"{REFERENCE_SETTING} to use {REFERENCE_DIR}."
        )
    missing = [name for name in REQUIRED_FILES if not (folder / name).is_file()]
    if missing:
        raise ReferenceDataError(
            f"The reference data folder {folder}{where} has no {', '.join(missing)}. Every "
            f"reference folder needs {', '.join(REQUIRED_FILES)} "
            f"(see {REFERENCE_DIR} for their layout)."
        )
    return folder


def reference_file(file_name: str) -> Path:
    """A file of the reference folder; one that is missing raises ReferenceDataError naming it."""
    path = reference_dir() / file_name
    if not path.is_file():
        raise ReferenceDataError(
            f"The reference data folder {path.parent} has no {file_name}, which indicators.toml "
            "names. Add the file or correct the name in indicators.toml."
        )
    return path


def read_reference(file_name: str) -> pd.DataFrame:
    """One long-format reference CSV (area_code, area_name, indicator, period, value, ..., source_url)."""
    return pd.read_csv(
        reference_file(file_name),
        dtype={"area_code": "string", "value": "string"},
        keep_default_na=False,
        na_values=[""],
    )


def period_label(raw: str) -> str:
    """The period as the product labels it: '2015/16' for Active Lives years, '2019' for 'IoD2019'."""
    found = _PERIOD.search(raw)
    if found:
        return found.group(1)
    digits = re.search(r"(\d{4})", raw)
    return digits.group(1) if digits else raw


def indicator_definitions() -> list[dict]:
    path = reference_file("indicators.toml")
    try:
        return tomllib.loads(path.read_text(encoding="utf-8"))["indicators"]
    except (tomllib.TOMLDecodeError, KeyError) as error:
        raise ReferenceDataError(f"{path} is not a list of [[indicators]] ({error}); correct the file.") from None


def reference_is_fictional() -> bool:
    """Whether the reference folder says its figures are invented (`fictional = true` at the top of its
    indicators.toml), as an example strategy's are; pages then say so instead of calling them real."""
    path = reference_file("indicators.toml")
    try:
        return bool(tomllib.loads(path.read_text(encoding="utf-8")).get("fictional", False))
    except tomllib.TOMLDecodeError as error:
        raise ReferenceDataError(f"{path} is not valid TOML ({error}); correct the file.") from None


def place_rows(framework: Framework) -> pd.DataFrame:
    """The framework's places with their population (ONS mid-2022; counties as the sum of districts) and centroid."""
    population = read_reference("population.csv")
    population = population[(population.indicator == POPULATION_MATCH) & (population.period == POPULATION_PERIOD)]
    pop = {r.area_code: int(float(r.value)) for r in population.itertuples()}
    centroids = read_reference("area_centroids.csv")
    lat = {r.area_code: float(r.value) for r in centroids.itertuples() if r.indicator.startswith("Latitude")}
    lon = {r.area_code: float(r.value) for r in centroids.itertuples() if r.indicator.startswith("Longitude")}
    rows = []
    for place in framework.places:
        people, source = place_population(framework, place.code, pop)
        rows.append(
            {
                "code": place.code,
                "name": place.name,
                "level": place.level,
                "parent": place.parent,
                "valid_from": place.valid_from,
                "valid_to": place.valid_to,
                "population": people,
                "population_source": source,
                "lat": lat.get(place.code),
                "lon": lon.get(place.code),
            }
        )
    return pd.DataFrame(rows)


def place_population(framework: Framework, code: str, ons: dict[str, int]) -> tuple[int | None, str | None]:
    """(population, where it comes from) of one place: the framework's own figure if it gives one, else the ONS
    mid-2022 estimate, else (a successor) the sum of the places it replaced; a county is the sum of its
    districts. (None, None) when any figure needed is missing."""
    place = framework.place(code)
    if place.level == "county":
        children = [place_population(framework, c, ons)[0] for c in framework.places_within(code)]
        if not children or not all(children):
            return None, None
        return sum(children), "sum of its districts' ONS mid-2022 estimates"
    if place.population is not None:
        return place.population, "given in framework.toml"
    if code in ons:
        return ons[code], "ONS mid-2022 estimate (Nomis NM_2002_1)"
    replaced = [p for p in framework.places if p.successor == code]
    figures = [place_population(framework, p.code, ons)[0] for p in replaced]
    if replaced and all(figures):
        return sum(figures), "sum of the places it replaced: " + ", ".join(p.name for p in replaced)
    return None, None


def indicator_value_rows(definition: dict, known_places: set[str]) -> pd.DataFrame:
    """The values of one reference indicator for the known places; absent (suppressed) values stay absent."""
    data = read_reference(definition["file"])
    data = data[data.indicator.str.contains(definition["match"], regex=False)]
    data = data[data.area_code.isin(known_places)]
    return pd.DataFrame(
        {
            "indicator_id": definition["id"],
            "place_code": data.area_code.astype(str),
            "period": data.period.map(period_label),
            "value": pd.to_numeric(data.value, errors="coerce"),
            "lower_ci": pd.to_numeric(data.lower_ci, errors="coerce"),
            "upper_ci": pd.to_numeric(data.upper_ci, errors="coerce"),
            "source": data.source_url,
        }
    )


def with_published_comparisons(definition: dict, values: pd.DataFrame) -> pd.DataFrame:
    """The values with the publisher's own comparison with England beside each (the definition's
    `published_comparison` file), in the dashboard's words; values without one get None.

    A verdict belongs to the value it was published with: a row whose value differs from the value loaded, or
    whose place and period have no value, or whose word is not a comparison, stops the load with a ValueError
    naming the rows, rather than putting a verdict beside the wrong number."""
    values = values.assign(published_comparison=None)
    file_name = definition.get("published_comparison")
    if not file_name:
        return values
    verdicts = pd.read_csv(reference_file(file_name), dtype=str, keep_default_na=False)
    verdicts = verdicts[(verdicts.indicator_id == definition["id"]) & verdicts.area_code.isin(set(values.place_code))]
    loaded = {(r.place_code, r.period): r.value for r in values.itertuples()}
    problems, words = [], {}
    for r in verdicts.itertuples():
        key = (r.area_code, r.period)
        try:
            word = published_verdict(r.compared_to_england)
        except ValueError as error:
            problems.append(f"{r.area_code} {r.period}: {error}")
            continue
        if key not in loaded:
            problems.append(f"{r.area_code} {r.period}: no value of {definition['id']} to put the verdict beside")
        elif pd.isna(loaded[key]) or abs(float(r.value) - loaded[key]) > 1e-9:
            problems.append(
                f"{r.area_code} {r.period}: the verdict was published with the value {r.value}, but "
                f"the value loaded is {loaded[key]}"
            )
        else:
            words[key] = word
    if problems:
        raise ValueError(
            f"{file_name} does not match the values of indicator {definition['id']} "
            f"({len(problems)} rows); correct one of the files: " + "; ".join(problems[:5])
        )
    values["published_comparison"] = [words.get((r.place_code, r.period)) for r in values.itertuples()]
    return values


def load_reference(con: duckdb.DuckDBPyConnection, framework: Framework) -> None:
    """Replace places, reference indicators and their values with what data/reference/ holds (in one transaction)."""
    places = place_rows(framework)
    con.register("reference_places", places)
    con.execute("DELETE FROM places")
    con.execute(
        "INSERT INTO places SELECT code, name, level, parent, valid_from, valid_to, population, "
        "population_source, lat, lon FROM reference_places"
    )
    con.unregister("reference_places")
    known = set(places.code)
    for order, definition in enumerate(indicator_definitions(), start=1):
        con.execute("DELETE FROM indicator_values WHERE indicator_id = ? AND upload_id IS NULL", [definition["id"]])
        con.execute(
            "INSERT OR REPLACE INTO indicators (indicator_id, name, short_name, unit, polarity, aim, source, "
            "definition, headline, year_starts, display_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                definition["id"],
                definition["name"],
                definition.get("short_name"),
                definition["unit"],
                definition["polarity"],
                definition.get("aim"),
                definition["source"],
                definition["definition"],
                bool(definition.get("headline", False)),
                definition.get("year_starts"),
                order,
            ],
        )
        values = with_published_comparisons(definition, indicator_value_rows(definition, known))
        con.register("reference_values", values)
        con.execute(
            "INSERT INTO indicator_values (indicator_id, place_code, period, value, lower_ci, upper_ci, "
            "source, published_comparison) SELECT indicator_id, place_code, period, value, lower_ci, "
            "upper_ci, source, published_comparison FROM reference_values"
        )
        con.unregister("reference_values")
