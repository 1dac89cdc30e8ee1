"""The real server refuses to start in a mode that could fall open: local mode on every interface, an unknown mode,
a secrets file with a typo."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.browser.conftest import free_port
from tests.conftest import PROJECT_ROOT, SIGN_IN_SECRETS


def start_serve(address: str, database: Path, environment: dict, log: Path) -> subprocess.Popen:
    env = {**os.environ, "STRATEGY_DB": str(database), **environment}
    env.pop("STRATEGY_AUTH", None)
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.headless",
            "true",
            "--server.port",
            str(free_port()),
            "--server.address",
            address,
            "--browser.gatherUsageStats",
            "false",
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )


def test_the_real_server_refuses_local_mode_on_every_interface(demo_db_copy, tmp_path):
    log = tmp_path / "serve.log"
    process = start_serve("0.0.0.0", demo_db_copy, {"STRATEGY_MODE": "local"}, log)
    try:
        status = process.wait(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    output = log.read_text()
    assert status != 0, output
    assert "The dashboard will not start: Local mode" in output and "--server.address 127.0.0.1" in output


def test_the_real_server_refuses_an_unknown_mode(demo_db_copy, tmp_path):
    log = tmp_path / "serve.log"
    process = start_serve("127.0.0.1", demo_db_copy, {"STRATEGY_MODE": "loacl"}, log)
    try:
        status = process.wait(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    assert status != 0 and "STRATEGY_MODE='loacl' is not a mode" in log.read_text()


def test_the_real_server_refuses_to_start_when_its_secrets_file_has_a_typo(demo_db_copy, tmp_path):
    broken = tmp_path / "secrets.toml"
    broken.write_text(SIGN_IN_SECRETS.replace("[auth]", "[auth"))
    log = tmp_path / "serve.log"
    environment = {key: value for key, value in os.environ.items() if key != "STRATEGY_MODE"}
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.headless",
            "true",
            "--server.port",
            str(free_port()),
            "--server.address",
            "127.0.0.1",
            "--browser.gatherUsageStats",
            "false",
            "--secrets.files",
            str(broken),
        ],
        cwd=PROJECT_ROOT,
        env={**environment, "STRATEGY_DB": str(demo_db_copy)},
        stdout=log.open("wb"),
        stderr=subprocess.STDOUT,
    )
    try:
        status = process.wait(timeout=90)
    finally:
        if process.poll() is None:
            process.kill()
    output = log.read_text()
    assert status != 0 and "The dashboard will not start" in output and "is not valid TOML" in output, output
