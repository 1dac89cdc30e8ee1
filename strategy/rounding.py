"""Rounding that keeps a table honest, and money as people read it: parts that add to the rounded total, money
that fits a tile, and per-head money that keeps its pence.

Every table that shows per-place (or any other partitioned) money or participants beside a total rounds through
rounded_parts, so the rows a reader adds up give the total printed under them.
"""

from __future__ import annotations

import math
from typing import Iterable


def rounded_parts(values: Iterable[float], decimals: int = 0) -> list[float]:
    """The values rounded so that they add up to their rounded total (largest-remainder rounding).

    Each value is rounded down; the units still missing from the rounded total go, one each, to the values that
    lost most in rounding down (ties to the earlier value). Missing values (None, NaN) stay missing and count as 0.
    """
    values = list(values)
    scale = 10**decimals
    present = [i for i, v in enumerate(values) if v is not None and not math.isnan(v)]
    scaled = {i: float(values[i]) * scale for i in present}
    floors = {i: math.floor(scaled[i] + 1e-9) for i in present}
    target = round(sum(scaled.values()))
    short = target - sum(floors.values())
    for i in sorted(present, key=lambda i: (-(scaled[i] - floors[i]), i))[: max(short, 0)]:
        floors[i] += 1
    result = [None if i not in floors else floors[i] / scale for i in range(len(values))]
    return [int(v) if v is not None and decimals == 0 else v for v in result]


def short_money(value: float) -> str:
    """£18.3m, £412k, £950: money that fits a tile."""
    if abs(value) >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m"
    if abs(value) >= 10_000:
        return f"£{value / 1000:,.0f}k"
    return f"£{value:,.0f}"


def money_per_head(value: float | None) -> str:
    """Money per head as text: one decimal place under £10 (£4.7), whole pounds from £10 (£12); '' when missing."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return f"£{value:,.1f}" if abs(round(value, 1)) < 10 else f"£{value:,.0f}"


def per_head_rounded(value: float | None) -> float | None:
    """The number money_per_head shows, for tables that keep numbers as numbers."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return round(value, 1) if abs(round(value, 1)) < 10 else float(round(value))
