"""What the questions are asked in: the dimensions and measures, their names, and the thin rule and the yardstick
in words."""

from __future__ import annotations

DIMENSIONS = ("aim", "way", "theme", "place", "sector")
DIMENSION_NAMES = {"aim": "Aim", "way": "Way of working", "theme": "Theme", "place": "Place", "sector": "Sector"}
# Participants are attendances as partners count them (a person at ten sessions may count ten times), never
# unique people: every label of them says so.
MEASURES = {"activities": "Activities", "investment": "Investment (£)", "participants": "Participants (attendances)"}
ATTENDANCES_NOTE = "Participants are attendances as partners report them, not unique people."
# A cell with activity but fewer than this many activities is "thin" and flagged as such.
THIN_CELL = 3
# Need against effort is judged against the middle of all the partnership's places, on these columns.
YARDSTICK_COLUMNS = ("inactive_pct", "investment_per_head", "activities_per_100k")
# The thin rule in words, for the gap list's captions on pages and slides (the rule: gap_kinds, gap_yardstick).
THIN_RULE = (
    f"Thin: fewer than {THIN_CELL} activities, or under a quarter of the typical place's activities per "
    "100,000 people for that aim, the typical place being the middle of all the partnership's places, "
    "whatever the place filter."
)
YARDSTICK_NOTE = (
    "'Typical' (the dotted lines) is the middle of all the partnership's places, whatever the place "
    "filter, so a place is judged the same in every view."
)
