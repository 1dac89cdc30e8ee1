"""Labels that are true: every figure on a page, slide or export means what its label says."""

import tomllib
from statistics import median

import pytest

from strategy import analysis, charts
from strategy.board import slides
from strategy.filters import Filters
from strategy.framework import FRAMEWORK_FILE
from tests.conftest import DEMO_TODAY

MANSFIELD = "E07000174"


def _slide(con, framework, filters, builder):
    """One slide of the pack, built as the pack builds it."""
    return builder(slides.PackContext(con, framework, filters, analysis.data_coverage(con), DEMO_TODAY))


def _flag_by_hand(con, place_name: str) -> bool:
    """High need, low effort worked out in plain Python over every local place of the partnership."""
    rows = con.execute(
        "SELECT p.name, p.population, i.value FROM places p JOIN current_indicator_values i "
        "ON i.place_code = p.code AND i.indicator_id = '93015' WHERE p.level IN ('district', 'unitary') "
        "QUALIFY row_number() OVER (PARTITION BY p.code ORDER BY i.period DESC) = 1"
    ).fetchall()
    invested = dict(
        con.execute(
            "SELECT p.name, sum(a.investment_gbp * s.share) FROM activities a "
            "JOIN activity_places s USING (activity_key) JOIN places p ON p.code = s.place_code "
            "WHERE a.replaced_by_upload IS NULL GROUP BY p.name"
        ).fetchall()
    )
    inactive = {name: value for name, _, value in rows}
    per_head = {name: (invested.get(name) or 0) / population for name, population, _ in rows}
    return inactive[place_name] > median(inactive.values()) and per_head[place_name] < median(per_head.values())


def test_mansfield_is_judged_against_the_whole_partnership_with_or_without_a_mansfield_filter(demo_con, framework):
    whole = analysis.need_vs_effort(demo_con, framework, Filters()).set_index("place_name")
    alone = analysis.need_vs_effort(demo_con, framework, Filters(places=(MANSFIELD,))).set_index("place_name")
    assert list(alone.index) == ["Mansfield"]
    assert (
        alone.loc["Mansfield", "high_need_low_effort"]
        == whole.loc["Mansfield", "high_need_low_effort"]
        == _flag_by_hand(demo_con, "Mansfield")
        is True
    )
    # the chart's dotted lines sit at the partnership's middle, not at Mansfield's own figures
    assert alone.typical_inactive_pct.iloc[0] == pytest.approx(median(whole.inactive_pct))
    figure = charts.need_effort_figure(alone.reset_index(), "investment_per_head", "t", "s")
    lines = {shape.type + ("x" if shape.x0 == shape.x1 else "y"): shape for shape in figure.layout.shapes}
    assert lines["linex"].x0 == pytest.approx(median(whole.inactive_pct))
    assert lines["liney"].y0 == pytest.approx(median(whole.investment_per_head))
    # named in the legend (an annotation on the line collided with place names)
    assert any("all the partnership's places" in (trace.name or "") for trace in figure.data)


def _districts_of(county: str) -> list[str]:
    """The county's districts, read straight from the framework file."""
    raw = tomllib.loads(FRAMEWORK_FILE.read_text(encoding="utf-8"))
    return [p["name"] for p in raw["places"] if p.get("parent") == county]


def test_a_derbyshire_pack_names_every_derbyshire_place_on_its_trend_slides(demo_con, framework):
    derbyshire = _districts_of("E10000007")
    assert len(derbyshire) == 8
    built = slides.board_slides(demo_con, framework, Filters(places=("E10000007",)), today=DEMO_TODAY)
    trend_slides = [s for s in built if s.key.startswith("trends")]
    drawn = {trace.name for s in trend_slides for trace in s.figure.data}
    tabled = {name for s in trend_slides for name in s.table.Place}
    assert set(derbyshire) <= drawn and set(derbyshire) <= tabled
    main, appendix = trend_slides
    assert (main.key, appendix.key, appendix.name) == ("trends", "trends_2", "Trends (continued)")
    assert built[-1] is appendix  # an appendix, at the end of the pack
    left_out = [name for name in derbyshire if name not in {t.name for t in main.figure.data}]
    assert left_out == ["North East Derbyshire", "South Derbyshire"]
    assert (
        "North East Derbyshire and South Derbyshire are on the 'Trends (continued)' slide at the end of the pack"
        in main.caveat
    )


def test_six_places_or_fewer_need_no_appendix(demo_con, framework):
    built = slides.board_slides(demo_con, framework, Filters(places=(MANSFIELD,)), today=DEMO_TODAY)
    assert [s.key for s in built if s.key.startswith("trends")] == ["trends"]
    assert "appendix" not in " ".join(s.caveat for s in built) and "continued" not in " ".join(s.caveat for s in built)


def _framework_file() -> dict:
    return tomllib.loads(FRAMEWORK_FILE.read_text(encoding="utf-8"))


def test_a_partner_may_write_the_strategys_own_headings_and_wording(empty_db_file, tmp_path):
    """Through the real upload: 'targeting and aligning investment', and every aim's and way's full wording."""
    import shutil

    from strategy import db
    from strategy.access import LOCAL_USER
    from strategy.ingest import LOADED, import_activities
    from tests.activity_files import csv_bytes, row, stored_activities

    raw = _framework_file()
    aims, ways = raw["aims"], raw["ways"]
    rows = [
        row(activity_id="W4-heading", aims="A1", ways_of_working="targeting and aligning investment"),
        # the template's drop-down value for A5 has a comma in it, beside a second aim in the same cell
        row(activity_id="two-aims", aims="A5 Accessible, safe and inclusive places; A1", ways_of_working="W2"),
    ]
    for n, way in enumerate(ways):  # the strategy's sentences as written, lower case, with and without the full stop
        aim = aims[n % len(aims)]
        wording = way["description"] if n % 2 else way["description"].lower().rstrip(".")
        rows.append(row(activity_id=f"wording-{n}", aims=aim["description"], ways_of_working=wording))
    copy = tmp_path / "upload.duckdb"
    shutil.copy(empty_db_file, copy)
    con = db.connect(copy)
    try:
        report = import_activities(con, csv_bytes(rows), "headings.csv", "Strategy Words Trust", LOCAL_USER)
        assert report.status == LOADED, [p.as_dict() for p in report.errors]
        stored = {a["activity_id"]: (a["aims"], a["ways"]) for a in stored_activities(con, report.upload_id)}
    finally:
        con.close()
    assert stored["W4-heading"] == (["A1"], ["W4"])
    assert stored["two-aims"] == (["A1", "A5"], ["W2"])
    for n, way in enumerate(ways):
        assert stored[f"wording-{n}"] == ([aims[n % len(aims)]["code"]], [way["code"]])


def test_labels_are_the_strategys_own_words_and_the_old_short_labels_still_match(framework):
    raw = _framework_file()
    for kind, items in (("aim", raw["aims"]), ("way", raw["ways"]), ("theme", raw["themes"])):
        for item in items:
            # every word of a label is in the strategy's own sentence for it
            sentence = item["description"].lower()
            assert all(word in sentence for word in item["label"].lower().replace(",", "").split()), item["label"]
            assert framework.resolve(kind, item["label"]) == item["code"]
    assert framework.label("way", "W4") == "W4 Targeting and aligning investment"
    assert framework.label("aim", "A1") == "A1 Creating a culture where everyone can be active"
    assert framework.wording("aim", "A1") == "A1 Creating a culture where everyone can be active and move more."
    for old, code in (("Culture of movement", "A1"), ("Greatest inequality", "A3"), ("Active places", "A5")):
        assert framework.resolve("aim", old) == code
    for old, code in (
        ("Targeted investment", "W4"),
        ("Insight", "W1"),
        ("Collaboration", "W2"),
        ("People and leadership", "W3"),
        ("Advocacy and policy", "W5"),
    ):
        assert framework.resolve("way", old) == code


VISION = "Together, we will address inequality and empower everyone to be active in a way that works for them"


def test_the_strategys_vision_is_on_the_pack_title_slide(demo_con, framework):
    from pptx import Presentation

    from strategy.board import pack as board_pack
    from strategy.board.pack.shapes import add_title_slide

    assert framework.vision.startswith(VISION)
    deck = Presentation()
    add_title_slide(
        deck, board_pack.pack_title(demo_con, framework, Filters(), today=DEMO_TODAY), 12, keep_template=False
    )
    text = " ".join(shape.text_frame.text for shape in deck.slides[0].shapes if shape.has_text_frame)
    assert VISION in text


def test_heatmap_hover_gives_the_strategys_full_wording_beside_the_short_label(demo_con, framework):
    cells = analysis.heatmap(demo_con, framework, Filters(), "aim", "way")
    figure = charts.heatmap_figure(cells, "activities", "t", "s")
    hover = " ".join(str(text) for row in figure.data[0].customdata for text in row).replace("<br>", " ")
    for item in _framework_file()["aims"] + _framework_file()["ways"]:
        assert f"{item['code']} {item['description']}" in hover


# --- tables that add up -----------------------------------------------------------------------------------------


def test_rounded_parts_add_to_the_rounded_total_where_plain_rounding_does_not():
    from strategy.rounding import rounded_parts

    values = [0.4, 0.4, 0.2, 2.45, 3.45]
    assert sum(round(v) for v in values) != round(sum(values))  # why the rule is needed
    parts = rounded_parts(values)
    assert sum(parts) == round(sum(values)) == 7
    assert all(abs(p - v) < 1 for p, v in zip(parts, values))
    assert rounded_parts([1.25, 1.25, 1.25, 1.25], decimals=1) == [1.3, 1.3, 1.2, 1.2]


def test_place_table_rounds_money_and_participants_so_the_places_add_to_the_total(demo_con, framework):
    filters = Filters(places=("E10000007",))
    summary = analysis.place_summary(analysis.need_vs_effort(demo_con, framework, filters)).set_index("Place")
    places, total = summary.drop(index="Total"), summary.loc["Total"]
    # the total, another way: the SQL headline totals, which count each activity once
    totals = analysis.headline_totals(demo_con, framework, filters)
    assert total["Investment (£)"] == round(totals["investment"])
    assert total["Participants (attendances)"] == round(totals["participants"])
    assert places["Investment (£)"].sum() == total["Investment (£)"]
    assert places["Participants (attendances)"].sum() == total["Participants (attendances)"]
    assert sorted(places.index) == sorted(_districts_of("E10000007"))


def test_money_per_head_under_ten_pounds_keeps_one_decimal(demo_con, framework):
    from strategy.rounding import money_per_head

    assert (money_per_head(4.65), money_per_head(9.94), money_per_head(12.4), money_per_head(1234.5)) == (
        "£4.7",
        "£9.9",
        "£12",
        "£1,234",
    )
    slide = _slide(demo_con, framework, Filters(), slides.need_effort_slide)
    table = analysis.need_vs_effort(demo_con, framework, Filters()).set_index("place_name")
    for place, shown in zip(slide.table.Place, slide.table["Investment per head (£)"]):
        exact = table.loc[place, "investment_per_head"]
        assert shown == (round(exact, 1) if exact < 9.95 else round(exact))


def test_places_reached_counts_against_the_places_in_the_filter(demo_con, framework):
    districts = len(_districts_of("E10000007"))
    overview = slides.overview_slide(
        slides.PackContext(
            demo_con, framework, Filters(places=("E10000007",)), analysis.data_coverage(demo_con), DEMO_TODAY
        )
    )
    reached = analysis.headline_totals(demo_con, framework, Filters(places=("E10000007",)))["places_reached"]
    assert f"reach {reached} of {districts} places" in overview.headline
    assert f"of the {districts} places in the filter" in overview.caveat


def test_aim_shares_that_add_to_more_than_100_percent_say_why(demo_con, framework):
    aims_slide = _slide(demo_con, framework, Filters(), slides.aims_ways_slide)
    # another way: aim links of current activities over current activities
    links, activities = demo_con.execute(
        "SELECT (SELECT count(*) FROM activity_aims JOIN activities USING (activity_key) "
        "WHERE replaced_by_upload IS NULL), count(*) FROM activities WHERE replaced_by_upload IS NULL"
    ).fetchall()[0]
    expected = 100 * links / activities
    assert expected > 100
    note = next(part for part in aims_slide.caveat.split(". ") if "add to" in part)
    assert abs(int(note.split("add to ")[1].split("%")[0]) - expected) <= 1
    assert "an activity can serve several aims" in note


def test_participants_are_labelled_as_attendances(demo_con, framework):
    from strategy.ingest.columns import COLUMNS

    assert "attendances" in analysis.MEASURES["participants"]
    context = slides.PackContext(demo_con, framework, Filters(), analysis.data_coverage(demo_con), DEMO_TODAY)
    overview = slides.overview_slide(context)
    assert "Participants (attendances)" in list(overview.table.Measure)
    assert "not unique people" in overview.caveat
    assert "Attendances" in next(c for c in COLUMNS if c.name == "participants").accepts


def test_exports_say_what_they_hold(demo_db_copy, framework, tmp_path, capsys):

    import openpyxl

    from strategy import db, exports
    from strategy.__main__ import main

    filters = Filters(places=(MANSFIELD,), aims=("A3",))
    name = exports.export_file_name("activities", filters, framework, "csv", made_on=DEMO_TODAY)
    assert name == "activities_mansfield_a3_2026-06-30.csv"
    assert (
        main(["--db", str(demo_db_copy), "export", str(tmp_path / "out.xlsx"), "--place", "Mansfield", "--aim", "A3"])
        == 0
    )
    printed = capsys.readouterr().out
    assert "DEMO DATA" in printed and "Places: Mansfield" in printed and "made on" in printed
    book = openpyxl.load_workbook(tmp_path / "out.xlsx")
    about = " ".join(str(row[0].value) for row in book["About"].iter_rows())
    assert "DEMO DATA" in about and "Places: Mansfield" in about and "Made on:" in about
    assert "attendances" in about and "not unique people" in about
    by_place = [row for row in book["By place"].iter_rows(values_only=True)][1:]
    assert by_place[-1][0] == "Total" and sum(r[1] for r in by_place[:-1]) == by_place[-1][1]
    con = db.connect(demo_db_copy, read_only=True)
    try:
        total = analysis.headline_totals(con, framework, filters)["investment"]
    finally:
        con.close()
    assert by_place[-1][1] == round(total)
    assert main(["--db", str(demo_db_copy), "export", str(tmp_path / "out.csv"), "--place", "Mansfield"]) == 0
    assert "DEMO DATA" in capsys.readouterr().out
    first_line = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()[0]
    assert "DEMO" not in first_line and "About" not in first_line  # the CSV stays pure data


# --- periods, partial years and axes ----------------------------------------------------------------------------


def _year_starts() -> dict:
    raw = tomllib.loads((FRAMEWORK_FILE.parents[1] / "data" / "reference" / "indicators.toml").read_text("utf-8"))
    return {i["id"]: i.get("year_starts") for i in raw["indicators"]}


def test_adult_and_children_indicator_periods_say_what_year_they_are(demo_con, framework):
    from strategy.indicators import trends

    starts = _year_starts()
    assert (starts["93015"], starts["93570"]) == ("11-16", "09-01")
    tiles = trends.headline_indicators(demo_con, framework, Filters(places=(MANSFIELD,))).set_index("indicator_id")
    assert tiles.loc["93015", "period_label"] == f"{tiles.loc['93015', 'period']} (mid-Nov to mid-Nov)"
    assert tiles.loc["93570", "period_label"] == f"{tiles.loc['93570', 'period']} (school year)"
    trend = _slide(demo_con, framework, Filters(places=(MANSFIELD,)), slides.trends_slide)
    assert all(p.endswith("(mid-Nov to mid-Nov)") for p in trend.table.Period)
    assert "mid-November to mid-November" in trend.figure.layout.xaxis2.title.text


def test_the_year_still_running_is_marked_partial_and_the_indicator_axis_says_it_does_not_start_at_zero(
    demo_con, framework
):
    from datetime import date

    from strategy.indicators import trends

    timeline = trends.activity_timeline(demo_con, framework, Filters(), "93015", (), today=DEMO_TODAY)
    # Active Lives adult years start on 16 November: on 30 June 2026 the year 2025/26 is still running
    running = f"{DEMO_TODAY.year - 1}/{DEMO_TODAY.year % 100:02d}"
    assert date(DEMO_TODAY.year - 1, 11, 16) <= DEMO_TODAY < date(DEMO_TODAY.year, 11, 16)
    assert timeline.set_index("period").partial.to_dict() == {p: p == running for p in timeline.period}
    trend = _slide(demo_con, framework, Filters(), slides.trends_slide)
    bars = next(t for t in trend.figure.data if t.type == "bar")
    marked = [x for x, text in zip(bars.x, bars.text) if "(partial<br>year)" in text]
    assert marked == [running]
    assert "does not start at 0" in trend.figure.layout.yaxis.title.text
    assert trend.figure.layout.yaxis.rangemode != "tozero"


def test_places_map_table_adds_up_and_keeps_pence_under_ten_pounds(demo_con, framework):
    table = analysis.need_vs_effort(demo_con, framework, Filters())
    money = analysis.place_table(table, "investment", "Investment (£)").set_index("Place")["Investment (£)"]
    assert (
        money.drop(index="Total").sum()
        == money["Total"]
        == round(analysis.headline_totals(demo_con, framework, Filters())["investment"])
    )
    per_head = analysis.place_table(table, "investment_per_head", "Investment per head (£)")
    exact = table.set_index("place_name").investment_per_head
    for place, shown in zip(per_head.Place, per_head["Investment per head (£)"]):
        assert shown == (round(exact[place], 1) if exact[place] < 9.95 else round(exact[place]))


def test_high_need_low_effort_follows_the_effort_measure_chosen(demo_con, framework):
    table = analysis.need_vs_effort(demo_con, framework, Filters())
    by_activity = analysis.high_need_low_effort(table, "activities_per_100k")
    need, effort = list(table.inactive_pct), list(table.activities / table.population * 100_000)
    expected = [n > median(need) and e < median(effort) for n, e in zip(need, effort)]
    assert list(by_activity) == expected
    assert list(analysis.high_need_low_effort(table)) == list(table.high_need_low_effort)
