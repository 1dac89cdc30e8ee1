"""The command line starts quickly: `--help` imports none of the heavy libraries (they load inside the command
that needs them)."""

import subprocess
import sys

import pytest

from strategy import analysis
from strategy.commands import views

HEAVY = ("pandas", "plotly", "duckdb", "pptx", "pyarrow", "kaleido", "streamlit")

PROBE = """
import runpy, sys
sys.argv = ["strategy", *{argv!r}]
try:
    runpy.run_module("strategy", run_name="__main__", alter_sys=True)
except SystemExit:
    pass
print("LOADED:" + ",".join(name for name in {heavy!r} if name in sys.modules), file=sys.stderr)
"""


@pytest.mark.parametrize(
    "argv",
    [
        ["--help"],
        ["heatmap", "--help"],
        ["import", "activities", "--help"],
        ["users", "add", "--help"],
        ["board-pack", "--help"],
        ["init", "--help"],
    ],
)
def test_help_imports_no_heavy_library(argv):
    done = subprocess.run(
        [sys.executable, "-c", PROBE.format(argv=argv, heavy=HEAVY)], capture_output=True, text=True, timeout=60
    )
    assert "usage:" in done.stdout
    loaded = done.stderr.rsplit("LOADED:", 1)[1].strip()
    assert loaded == "", f"`python -m strategy {' '.join(argv)}` imported {loaded}"


def test_the_heatmap_command_offers_every_measure_the_analysis_knows():
    assert set(views.MEASURE_CHOICES) == set(analysis.MEASURES)
