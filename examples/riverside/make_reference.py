"""Writes this example's reference folder: FICTIONAL figures for Riverside Moves' invented places.

Run from the repository root: python examples/riverside/make_reference.py. Every place, code and value is made
up (codes start with X, which no ONS code does), except England's rows, which are copied from data/reference/ so
the benchmark is the real one. Deterministic: the same files every time.
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

HERE = Path(__file__).resolve().parent
OUT = HERE / "reference"
REAL = HERE.parents[1] / "data" / "reference"
SOURCE = "fictional: examples/riverside/make_reference.py"
HEADER = ["area_code", "area_name", "indicator", "period", "value", "lower_ci", "upper_ci", "source_url"]

# (code, name, population mid-2022, latitude, longitude, inactive % in 2024/25, IMD score): all invented.
PLACES = [
    ("X07000001", "Millbank", 98_400, 52.61, -1.95, 27.9, 29.4),
    ("X07000002", "Ashwater", 71_200, 52.70, -2.10, 21.3, 14.2),
    ("X07000003", "Hollin Vale", 54_900, 52.78, -2.02, 19.8, 11.0),
    ("X07000004", "Stonebridge", 88_100, 52.55, -2.18, 24.6, 21.7),
    ("X07000005", "Kettleby", 63_300, 52.66, -1.62, 23.1, 18.3),
    ("X07000006", "Marsh Norton", 47_800, 52.74, -1.48, 29.2, 31.5),
    ("X07000007", "Fenwick Moor", 39_600, 52.59, -1.40, 20.4, 12.6),
    ("X06000001", "Riverton", 182_500, 52.63, -1.78, 26.0, 27.8),
]
COUNTIES = [("X10000001", "Wyeford", PLACES[:4]), ("X10000002", "Eastmere", PLACES[4:7])]
YEARS = ["2019/20", "2020/21", "2021/22", "2022/23", "2023/24", "2024/25"]
INACTIVE = "Percentage of physically inactive adults (aged 19+) [FICTIONAL Fingertips 93015 style]"
ACTIVE = "Percentage of physically active adults (aged 19+) [FICTIONAL Fingertips 93014 style]"
CHILDREN = "Percentage of physically active children and young people [FICTIONAL Fingertips 93570 style]"
POPULATION = "Population, all ages (ONS mid-year estimate, via Nomis NM_2002_1)"
IMD = "IMD - Average score (English Indices of Deprivation 2019 style) [FICTIONAL]"


def write(name: str, rows: list[list]) -> None:
    with open(OUT / name, "w", encoding="utf-8", newline="") as file:
        writer = csv.writer(file, lineterminator="\n")
        writer.writerow(HEADER)
        writer.writerows(rows)


def england(file_name: str, match: str, indicator: str) -> list[list]:
    """England's real rows of one series, relabelled with this folder's indicator text (source kept)."""
    with open(REAL / file_name, encoding="utf-8") as file:
        return [
            ["E92000001", "England", indicator, r["period"], r["value"], "", "", r["source_url"]]
            for r in csv.DictReader(file)
            if r["area_code"] == "E92000001" and match in r["indicator"]
        ]


def main() -> None:
    OUT.mkdir(exist_ok=True)
    rng = random.Random(20240401)
    write("population.csv", [[c, n, POPULATION, "mid-2022", p, "", "", SOURCE] for c, n, p, *_ in PLACES])
    write(
        "area_centroids.csv",
        [
            row
            for c, n, _, lat, lon, *_ in PLACES
            for row in (
                [c, n, "Latitude (WGS84) of the area's centre [FICTIONAL]", "fictional", lat, "", "", SOURCE],
                [c, n, "Longitude (WGS84) of the area's centre [FICTIONAL]", "fictional", lon, "", "", SOURCE],
            )
        ],
    )
    adults, children = [], []
    for c, n, _, _, _, inactive, _ in PLACES:
        for back, year in enumerate(reversed(YEARS)):
            value = round(inactive + back * rng.uniform(-0.6, 0.9), 1)
            adults.append([c, n, INACTIVE, year, value, "", "", SOURCE])
            adults.append([c, n, ACTIVE, year, round(100 - value - rng.uniform(9, 13), 1), "", "", SOURCE])
            if year >= "2021/22":
                children.append([c, n, CHILDREN, year, round(rng.uniform(40, 52), 1), "", "", SOURCE])
    adults += england("active_lives_adults_fingertips.csv", "Fingertips 93015", INACTIVE)
    adults += england("active_lives_adults_fingertips.csv", "Fingertips 93014", ACTIVE)
    children += england("active_lives_children_fingertips.csv", "Fingertips 93570", CHILDREN)
    write("active_lives_adults_fictional.csv", adults)
    write("active_lives_children_fictional.csv", children)
    write("deprivation_fictional.csv", [[c, n, IMD, "IoD2019", score, "", "", SOURCE] for c, n, *_, score in PLACES])


if __name__ == "__main__":
    main()
