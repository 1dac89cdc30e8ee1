"""The indicators command prints the page's numbers; `import indicators` loads a Fingertips download."""

import argparse
import csv
import json
import shutil
from pathlib import Path

import pytest

from strategy.__main__ import main
from strategy.commands.common import add_acting_user_option, add_database_option
from strategy.commands.indicators import register_import_indicators
from tests.conftest import PROJECT_ROOT

FINGERTIPS_DOWNLOAD = Path(__file__).resolve().parents[1] / "fixtures" / "fingertips_93015_download.csv"
DESIGN_FIELDS = {
    "indicator_id",
    "indicator_name",
    "place_code",
    "place_name",
    "period",
    "value",
    "lower_ci",
    "upper_ci",
    "ci_method",
    "compared_to_england",
    "comparison_source",
    "recent_trend",
    "published_comparison",
    "published_trend",
}


def _reference_values(indicator: str, place: str) -> dict[str, float]:
    with open(PROJECT_ROOT / "data" / "reference" / "active_lives_adults_fingertips.csv", encoding="utf-8") as f:
        return {
            r["period"]: float(r["value"])
            for r in csv.DictReader(f)
            if r["area_code"] == place and f"Fingertips {indicator}" in r["indicator"]
        }


def _published_verdicts(indicator: str, place: str) -> dict[str, str]:
    """Fingertips' own verdict per period, read straight from the shipped CSV."""
    with open(PROJECT_ROOT / "data" / "reference" / "fingertips_compared_to_england.csv", encoding="utf-8") as f:
        return {
            r["period"]: r["compared_to_england"].lower()
            for r in csv.DictReader(f)
            if r["area_code"] == place and r["indicator_id"] == indicator
        }


def _run_json(capsys, *arguments) -> list[dict]:
    assert main(list(arguments)) == 0
    return json.loads(capsys.readouterr().out)


def _import(database: Path, *arguments) -> int:
    parser = argparse.ArgumentParser()
    add_database_option(parser)
    add_acting_user_option(parser)
    group = parser.add_subparsers().add_parser("import").add_subparsers()
    register_import_indicators(group)
    args = parser.parse_args(["--db", str(database), "import", "indicators", *arguments])
    return args.run(args)


@pytest.fixture
def database(empty_db_file, tmp_path) -> Path:
    copy = tmp_path / "cli.duckdb"
    shutil.copy(empty_db_file, copy)
    return copy


def test_the_real_series_is_printed_for_a_place_named_in_words_with_fingertips_published_comparison(database, capsys):
    rows = _run_json(
        capsys, "--db", str(database), "indicators", "--indicator", "93015", "--place", "Mansfield", "--json"
    )
    assert {r["period"]: r["value"] for r in rows} == _reference_values("93015", "E07000174")
    assert [r["period"] for r in rows][:2] == ["2015/16", "2016/17"]
    assert set(rows[0]) == DESIGN_FIELDS
    # No interval in the extract, so no verdict of our own: Fingertips' published one, labelled as such.
    assert {r["period"]: r["compared_to_england"] for r in rows} == _published_verdicts("93015", "E07000174")
    assert {r["comparison_source"] for r in rows} == {"published"}
    assert {r["compared_to_england"] for r in rows} >= {"worse", "similar"}  # Mansfield moved over the decade
    assert {r["ci_method"] for r in rows} == {"none"} and rows[0]["lower_ci"] is None


def test_after_a_fingertips_import_places_are_compared_with_england_by_the_polarity(database, capsys):
    assert _import(database, str(FINGERTIPS_DOWNLOAD), "--json") == 0
    assert json.loads(capsys.readouterr().out)["status"] == "loaded"
    rows = _run_json(
        capsys, "--db", str(database), "indicators", "--indicator", "93015", "--period", "2023/24", "--json"
    )
    by_place = {r["place_name"]: r for r in rows}
    # Inactive adults: lower is better. Mansfield 33.7% and Rushcliffe 13.9% against England 22.1%.
    assert by_place["Mansfield"]["compared_to_england"] == "worse"
    assert by_place["Rushcliffe"]["compared_to_england"] == "better"
    assert by_place["Derbyshire Dales"]["compared_to_england"] == "similar"
    assert by_place["Rushcliffe"]["recent_trend"] == "decreasing"
    assert by_place["Mansfield"]["ci_method"] == "published"
    assert {by_place[p]["comparison_source"] for p in ("Mansfield", "Rushcliffe", "Derbyshire Dales")} == {"computed"}
    assert by_place["Mansfield"]["published_comparison"] == "similar"  # the download's own column, kept
    assert by_place["Mansfield"]["published_trend"] == "cannot be calculated"
    assert by_place["England"]["compared_to_england"] == "not compared"
    assert by_place["England"]["comparison_source"] is None
    # A reference value with no interval keeps Fingertips' published verdict.
    assert by_place["Bolsover"]["compared_to_england"] == _published_verdicts("93015", "E07000033")["2023/24"]
    assert by_place["Bolsover"]["comparison_source"] == "published"


def test_a_rejected_import_exits_1_and_an_unknown_indicator_is_a_usage_error(database, tmp_path, capsys):
    bad = tmp_path / "bad.csv"
    bad.write_text("indicator_id,place_code,period,value\n93015,E07000174,2023/24,lots\n", encoding="utf-8")
    assert _import(database, str(bad), "--json") == 1
    assert json.loads(capsys.readouterr().out)["errors"][0]["row"] == 2
    assert main(["--db", str(database), "indicators", "--indicator", "NOPE", "--json"]) == 2
