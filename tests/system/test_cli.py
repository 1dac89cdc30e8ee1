"""The command line: the same functions as the pages, JSON for scripts, exit codes 0 / 1 / 2."""

import json
import subprocess
import sys

import pytest

from strategy import analysis
from strategy.__main__ import main
from strategy.filters import Filters
from tests.conftest import PROJECT_ROOT


def run_cli(*args):
    """Run python -m strategy in a real process; (exit status, stdout, stderr)."""
    done = subprocess.run([sys.executable, "-m", "strategy", *args], cwd=PROJECT_ROOT, capture_output=True, text=True)
    return done.returncode, done.stdout, done.stderr


def test_init_demo_builds_a_database_and_says_what_it_did(tmp_path):
    status, out, _ = run_cli("--db", str(tmp_path / "new.duckdb"), "init", "--demo", "--activities", "200")
    assert status == 0
    assert "Demo data loaded: 200 activities" in out and "001_initial_schema" in out
    status, out, _ = run_cli("--db", str(tmp_path / "new.duckdb"), "init")
    assert status == 0 and "already up to date" in out


def test_heatmap_json_has_the_same_numbers_as_the_page(demo_db_file, demo_con, framework, capsys):
    assert (
        main(
            [
                "--db",
                str(demo_db_file),
                "heatmap",
                "--place",
                "Mansfield",
                "--rows",
                "aim",
                "--cols",
                "way",
                "--measure",
                "investment",
                "--json",
            ]
        )
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    page = analysis.heatmap(demo_con, framework, Filters(places=("E07000174",)), "aim", "way")
    assert len(printed["cells"]) == 30
    assert {(c["row"], c["column"]): c["activities"] for c in printed["cells"]} == {
        (r.row_code, r.column_code): r.activities for r in page.itertuples()
    }
    assert sum(c["value"] for c in printed["cells"]) == pytest.approx(page.investment.sum())


def test_filters_accept_names_codes_and_counties(demo_db_file, capsys):
    assert (
        main(
            [
                "--db",
                str(demo_db_file),
                "heatmap",
                "--place",
                "Nottinghamshire",
                "--sector",
                "Sport",
                "--aim",
                "2",
                "--json",
            ]
        )
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    assert printed["filters"] == "Places: Nottinghamshire; Sectors: Sport; Aims: A2 Enabling children and young people"


@pytest.mark.parametrize(
    "args, message",
    [
        (["heatmap", "--place", "Narnia"], "not a place of the partnership"),
        (["heatmap", "--aim", "A9"], "--aim 'A9' is not known"),
        (["heatmap", "--from", "31/12/2025"], "write it as YYYY-MM-DD"),
        (["export", "out.pdf"], "must end in .csv or .xlsx"),
    ],
)
def test_usage_mistakes_exit_2_with_a_message_that_says_what_to_change(demo_db_file, capsys, args, message):
    assert main(["--db", str(demo_db_file), *args]) == 2
    assert message in capsys.readouterr().err


def test_export_writes_the_filtered_activities(demo_db_copy, tmp_path, capsys):
    target = tmp_path / "mansfield.csv"
    assert main(["--db", str(demo_db_copy), "export", str(target), "--place", "E07000174"]) == 0
    lines = target.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0].startswith("activity_id,title")
    assert f"Wrote {len(lines) - 1:,} activities" in capsys.readouterr().out


def test_a_missing_database_is_reported_not_a_traceback(tmp_path):
    status, _, err = run_cli("--db", str(tmp_path / "none.duckdb"), "heatmap")
    assert status == 1 and "python -m strategy init --demo" in err and "Traceback" not in err
