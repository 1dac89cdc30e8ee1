"""One install per strategy: the framework and reference folder are settings, refused plainly when wrong, and
uploads, the demo and the board pack work for a second, fictional strategy (examples/riverside) as for ours."""

from __future__ import annotations

import io
import shutil
import tomllib

import pytest
from pptx import Presentation

from strategy import analysis, db
from strategy.__main__ import main
from strategy.access import LOCAL_USER
from strategy.board import pack as board_pack
from strategy.board import slides
from strategy.build import build_database
from strategy.build.reference import REFERENCE_DIR, ReferenceDataError, reference_dir
from strategy.filters import Filters
from strategy.framework import FrameworkError, load_framework
from strategy.ingest import LOADED, import_activities
from tests.activity_files import csv_bytes, row
from tests.conftest import DEMO_TODAY, STRATEGIES

RIVERSIDE_FRAMEWORK, RIVERSIDE_REFERENCE = STRATEGIES["riverside"]


# --- the settings --------------------------------------------------------------------------------------------
def test_the_settings_choose_the_framework_and_the_reference_folder(monkeypatch):
    monkeypatch.setenv("STRATEGY_FRAMEWORK", str(RIVERSIDE_FRAMEWORK))
    monkeypatch.setenv("STRATEGY_REFERENCE", str(RIVERSIDE_REFERENCE))
    raw = tomllib.loads(RIVERSIDE_FRAMEWORK.read_text(encoding="utf-8"))
    framework = load_framework()
    assert framework.name == raw["strategy"]["name"] == "Riverside Moves"
    assert [a.code for a in framework.aims] == [a["code"] for a in raw["aims"]]
    assert len(framework.local_places()) == sum(p["level"] in ("district", "unitary") for p in raw["places"]) == 8
    assert reference_dir() == RIVERSIDE_REFERENCE
    monkeypatch.delenv("STRATEGY_FRAMEWORK")
    monkeypatch.delenv("STRATEGY_REFERENCE")
    assert load_framework().name == "Making our Move" and reference_dir() == REFERENCE_DIR


def test_a_framework_setting_with_a_typo_is_refused_naming_the_setting(monkeypatch, tmp_path):
    monkeypatch.setenv("STRATEGY_FRAMEWORK", str(tmp_path / "framwork.toml"))
    with pytest.raises(FrameworkError, match=r"framwork\.toml \(set by STRATEGY_FRAMEWORK\) does not exist"):
        load_framework()


@pytest.mark.parametrize(
    "text, says",
    [
        ("[strategy]\nname = 'X'\nbenchmark = 'E1'\n[[aims]]\ncode = 'A1'\n", r"has no \[ways\], \[themes\]"),
        ("[strategy\nname = 'X'", "is not valid TOML"),
    ],
)
def test_a_framework_file_that_cannot_be_right_is_refused_saying_what_to_fix(tmp_path, text, says):
    file = tmp_path / "framework.toml"
    file.write_text(text, encoding="utf-8")
    with pytest.raises(FrameworkError, match=says):
        load_framework(file)


def test_a_reference_setting_that_is_wrong_is_refused_naming_what_is_missing(monkeypatch, tmp_path):
    monkeypatch.setenv("STRATEGY_REFERENCE", str(tmp_path / "refrence"))
    with pytest.raises(ReferenceDataError, match=r"refrence \(set by STRATEGY_REFERENCE\) does not exist"):
        reference_dir()
    shutil.copy(RIVERSIDE_REFERENCE / "indicators.toml", tmp_path / "indicators.toml")
    monkeypatch.setenv("STRATEGY_REFERENCE", str(tmp_path))
    with pytest.raises(ReferenceDataError, match="has no population.csv, area_centroids.csv"):
        reference_dir()


def test_the_command_line_refuses_a_wrong_setting_with_exit_2_and_creates_nothing(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("STRATEGY_FRAMEWORK", str(tmp_path / "missing.toml"))
    assert main(["--db", str(tmp_path / "new.duckdb"), "init"]) == 2
    assert "STRATEGY_FRAMEWORK" in capsys.readouterr().err
    assert not (tmp_path / "new.duckdb").exists()


def test_a_database_built_for_one_strategy_is_refused_with_another_strategys_framework(
    monkeypatch, tmp_path, empty_db_file
):
    copy = tmp_path / "ours.duckdb"
    shutil.copy(empty_db_file, copy)
    monkeypatch.setenv("STRATEGY_FRAMEWORK", str(RIVERSIDE_FRAMEWORK))
    monkeypatch.setenv("STRATEGY_REFERENCE", str(RIVERSIDE_REFERENCE))
    with pytest.raises(
        FrameworkError, match="holds Making our Move's data, but the framework file .* is Riverside Moves'"
    ):
        build_database(copy)
    con = db.connect(copy, read_only=True)
    assert con.execute("SELECT count(*) FROM places WHERE code LIKE 'X%'").fetchall()[0][0] == 0  # untouched
    con.close()


# --- the demo draws everything from the framework -------------------------------------------------------------
def test_each_strategys_demo_uses_its_own_codes_and_places_and_keeps_its_own_gap(install):
    raw = install.toml()
    local = {p["code"] for p in raw["places"] if p["level"] in ("district", "unitary")}
    gap = raw["demo"]["gap"]
    gap_code = next(p["code"] for p in raw["places"] if p["name"] == gap["place"])
    con = db.connect(install.demo_db, read_only=True)
    try:
        aims = {r[0] for r in con.execute("SELECT DISTINCT aim FROM activity_aims").fetchall()}
        ways = {r[0] for r in con.execute("SELECT DISTINCT way FROM activity_ways").fetchall()}
        places = {r[0] for r in con.execute("SELECT DISTINCT place_code FROM activity_places").fetchall()}
        in_gap = con.execute(
            "SELECT count(*) FROM activities a JOIN activity_aims USING (activity_key) JOIN activity_places p "
            "USING (activity_key) WHERE aim = ? AND p.place_code = ? AND coalesce(a.end_date, DATE '9999-12-31') "
            ">= CAST(? AS DATE) AND a.description = 'Fictional demo activity.'",
            [gap["aim"], gap_code, gap["from"]],
        ).fetchall()[0][0]
        before = con.execute(
            "SELECT count(*) FROM activities a JOIN activity_aims USING (activity_key) JOIN activity_places p "
            "USING (activity_key) WHERE aim = ? AND p.place_code = ? AND a.end_date < CAST(? AS DATE)",
            [gap["aim"], gap_code, gap["from"]],
        ).fetchall()[0][0]
    finally:
        con.close()
    assert aims == {a["code"] for a in raw["aims"]} and ways == {w["code"] for w in raw["ways"]}
    assert places == local
    assert in_gap == 0 and before > 0  # the gap is the framework's, and only from its date


# --- uploads ----------------------------------------------------------------------------------------------------
def test_an_upload_naming_the_strategys_places_and_codes_loads_for_each_strategy(installed, tmp_path):
    raw = installed.toml()
    county = next(p for p in raw["places"] if p["level"] == "county")
    districts = sorted(p["code"] for p in raw["places"] if p.get("parent") == county["code"])
    last_aim, last_way = raw["aims"][-1]["code"], raw["ways"][-1]["code"]
    copy = tmp_path / "demo.duckdb"
    shutil.copy(installed.demo_db, copy)
    con = db.connect(copy)
    try:
        report = import_activities(
            con,
            csv_bytes([row(places=county["name"], aims=last_aim, ways_of_working=last_way, themes="")]),
            "mine.csv",
            "Upload Trust",
            LOCAL_USER,
        )
        assert report.status == LOADED, report.errors
        stored = sorted(
            r[0]
            for r in con.execute(
                "SELECT place_code FROM activity_places JOIN activities USING (activity_key) JOIN partners USING "
                "(partner_id) WHERE partners.name = 'Upload Trust'"
            ).fetchall()
        )
        cells = analysis.heatmap(con, load_framework(), Filters(partners=("Upload Trust",)))
        unknown = import_activities(
            con,
            csv_bytes([row(activity_id="X-9", aims=f"A{len(raw['aims']) + 1}", places=county["name"], themes="")]),
            "bad.csv",
            "Upload Trust",
            LOCAL_USER,
        )
    finally:
        con.close()
    assert stored == districts
    assert cells.set_index(["row_code", "column_code"]).activities[(last_aim, last_way)] == 1
    assert unknown.status != LOADED
    messages = " ".join(p.message for p in unknown.errors)
    assert f"Use A1-A{len(raw['aims'])} (or 1-{len(raw['aims'])}, 'Aim 2')" in messages


# --- the board pack -----------------------------------------------------------------------------------------------
@pytest.mark.slow
def test_the_board_pack_is_titled_with_each_strategys_name_and_shows_its_own_places(installed):
    raw = installed.toml()
    county = next(p for p in raw["places"] if p["level"] == "county")
    filters = Filters(places=(county["code"],))
    framework = load_framework()
    con = db.connect(installed.demo_db, read_only=True)
    try:
        built = slides.board_slides(con, framework, filters, today=DEMO_TODAY)
        title = board_pack.pack_title(con, framework, filters, today=DEMO_TODAY)
    finally:
        con.close()
    deck = Presentation(io.BytesIO(board_pack.pptx_bytes(built, title)))
    first = deck.slides[0]
    assert first.shapes.title.text == f"{raw['strategy']['name']}: board pack"
    assert deck.core_properties.title == f"{raw['strategy']['name']}: board pack"
    text = "\n".join(s.text_frame.text for s in first.shapes if s.has_text_frame)
    assert f"Places: {county['name']}." in text and raw["strategy"]["vision"] in text
    everything = "\n".join(s.text_frame.text for slide in deck.slides for s in slide.shapes if s.has_text_frame)
    if installed.name != "making-our-move":
        assert "Making our Move" not in everything


def test_the_templates_guide_describes_each_strategys_own_codes(installed):
    from openpyxl import load_workbook

    from strategy.ingest.template import template_xlsx

    raw = installed.toml()
    book = load_workbook(io.BytesIO(template_xlsx(load_framework())))
    guide = {r[0].value: r[2].value for r in book["Guide"].iter_rows(min_row=2) if r[0].value}
    aims, ways = raw["aims"], raw["ways"]
    assert f"{aims[0]['code']}-{aims[-1]['code']}, 1-{len(aims)}," in guide["aims"]
    assert f"Aim {len(aims)}." in guide["aims"] and f"Way {len(ways)} also work" in guide["ways_of_working"]
    assert f"{ways[0]['code']}-{ways[-1]['code']} or the way's name" in guide["ways_of_working"]


def test_the_server_refuses_to_start_with_a_framework_setting_that_names_no_file(monkeypatch, tmp_path, capsys):
    import serve

    monkeypatch.setenv("STRATEGY_MODE", "local")
    monkeypatch.setenv("STRATEGY_FRAMEWORK", str(tmp_path / "framework.tml"))
    with pytest.raises(SystemExit) as stopped:
        serve.refuse_unsafe_start()
    assert stopped.value.code == 2
    assert "framework.tml (set by STRATEGY_FRAMEWORK) does not exist" in capsys.readouterr().err


def test_each_partnership_has_its_own_words_for_everywhere():
    ours, riverside = load_framework(), load_framework(RIVERSIDE_FRAMEWORK)
    assert set(ours.resolve_places("D2N2")) == {p.code for p in ours.local_places()}
    assert set(riverside.resolve_places("The Riverside")) == {p.code for p in riverside.local_places()}
    assert riverside.resolve_places("d2n2") is None and ours.resolve_places("riverside") is None
    assert set(riverside.resolve_places("All")) == {p.code for p in riverside.local_places()}
