"""Labels that are true: every figure on a page, slide or export means what its label says."""

from statistics import median

import pytest

from strategy import analysis, charts
from strategy.filters import Filters

MANSFIELD = "E07000174"


def _flag_by_hand(con, place_name: str) -> bool:
    """High need, low effort worked out in plain Python over every local place of the partnership."""
    rows = con.execute("SELECT p.name, p.population, i.value FROM places p JOIN current_indicator_values i "
                       "ON i.place_code = p.code AND i.indicator_id = '93015' WHERE p.level IN ('district', 'unitary') "
                       "QUALIFY row_number() OVER (PARTITION BY p.code ORDER BY i.period DESC) = 1").fetchall()
    invested = dict(con.execute(
        "SELECT p.name, sum(a.investment_gbp * s.share) FROM activities a JOIN activity_places s USING (activity_key) "
        "JOIN places p ON p.code = s.place_code WHERE a.replaced_by_upload IS NULL GROUP BY p.name").fetchall())
    inactive = {name: value for name, _, value in rows}
    per_head = {name: (invested.get(name) or 0) / population for name, population, _ in rows}
    return (inactive[place_name] > median(inactive.values())
            and per_head[place_name] < median(per_head.values()))


def test_mansfield_is_judged_against_the_whole_partnership_with_or_without_a_mansfield_filter(demo_con, framework):
    whole = analysis.need_vs_effort(demo_con, framework, Filters()).set_index("place_name")
    alone = analysis.need_vs_effort(demo_con, framework, Filters(places=(MANSFIELD,))).set_index("place_name")
    assert list(alone.index) == ["Mansfield"]
    assert alone.loc["Mansfield", "high_need_low_effort"] == whole.loc["Mansfield", "high_need_low_effort"] == \
        _flag_by_hand(demo_con, "Mansfield") is True
    # the chart's dotted lines sit at the partnership's middle, not at Mansfield's own figures
    assert alone.typical_inactive_pct.iloc[0] == pytest.approx(median(whole.inactive_pct))
    figure = charts.need_effort_figure(alone.reset_index(), "investment_per_head", "t", "s")
    lines = {shape.type + ("x" if shape.x0 == shape.x1 else "y"): shape for shape in figure.layout.shapes}
    assert lines["linex"].x0 == pytest.approx(median(whole.inactive_pct))
    assert lines["liney"].y0 == pytest.approx(median(whole.investment_per_head))
    assert any("all the partnership's places" in note.text for note in figure.layout.annotations)
