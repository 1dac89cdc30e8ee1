"""Pages follow the day: an activity with no end date runs up to today, so cached figures are keyed by the day."""

from datetime import date

from strategy import analysis, periods
from strategy.filters import Filters


def _investment_help(app) -> str:
    return next(m.proto.help for m in app.metric if m.label == "Investment")


def test_overview_tiles_are_worked_out_again_when_the_day_changes(
    open_page, app_demo_db, demo_con, framework, monkeypatch
):
    period = {"from": "2025-01-01", "to": "2025-12-31"}
    filters = Filters(date_from=date(2025, 1, 1), date_to=date(2025, 12, 31))
    monkeypatch.setenv(periods.TODAY_VARIABLE, "2026-06-30")
    first = _investment_help(open_page("app.py", app_demo_db, period))
    monkeypatch.setenv(periods.TODAY_VARIABLE, "2027-06-30")  # a year on: money with no end date is spread wider
    later = _investment_help(open_page("app.py", app_demo_db, period))
    for text, day in ((first, date(2026, 6, 30)), (later, date(2027, 6, 30))):
        expected = analysis.headline_totals(demo_con, framework, filters, today=day)["investment"]
        assert text.startswith(f"£{expected:,.0f} in total"), (text, day)
    assert first != later
    assert periods.OPEN_ENDED_RULE in first
