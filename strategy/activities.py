"""Keeps the activities' derived columns (code masks, place set, place shares) in step with their bridge tables.

Every code path that writes activities or their aims, ways, themes or places calls derive_for_upload in the same
transaction; tests check the invariant on every database they build.
"""

from __future__ import annotations

import duckdb

from strategy import db


def derive_for_upload(con: duckdb.DuckDBPyConnection, upload_id: int | None) -> None:
    """Set masks, place set and place shares of the activities one upload added (None: all activities)."""
    db.execute(con, "derive_activity_profiles", upload_id=upload_id)
    db.execute(con, "apportion_places_for_upload", upload_id=upload_id)


def profiles_out_of_step(con: duckdb.DuckDBPyConnection) -> int:
    """How many current activities' derived columns disagree with their bridge tables (0 when healthy)."""
    return int(db.query(con, "activity_profiles_out_of_step").iloc[0, 0])
