"""A streamlit server in its own process for the load test and the CPU measurements, with its resident memory
sampled from /proc while it runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

from tests.conftest import PROJECT_ROOT, SERVER_FLAGS

TICKS = os.sysconf("SC_CLK_TCK")


class Server:
    """A streamlit server in its own process, with its resident memory sampled while it runs."""

    def __init__(self, script: str, database: Path, log: Path):
        with __import__("socket").socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.process = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", script, "--server.port", str(self.port), *SERVER_FLAGS],
            cwd=PROJECT_ROOT,
            env={**os.environ, "STRATEGY_DB": str(database)},
            stdout=log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.samples: list[int] = []
        self._sampling = False
        deadline = time.time() + 90
        while time.time() < deadline:
            try:
                urllib.request.urlopen(self.url + "/_stcore/health", timeout=2)
                return
            except OSError:
                time.sleep(0.3)
        raise RuntimeError(f"{script} did not start; see {log}")

    def wait_for_log(self, prefix: str, timeout: float = 300) -> str:
        """The first line of the server's log that starts with prefix, once it is there."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            found = [line for line in self.log.read_text(errors="replace").splitlines() if line.startswith(prefix)]
            if found:
                return found[0]
            time.sleep(0.5)
        raise RuntimeError(f"no line starting {prefix!r} in {self.log} after {timeout} s")

    def cpu_seconds(self) -> float:
        """The server's user + system CPU so far (every thread, DuckDB's included), from /proc."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / TICKS

    def rss_mb(self) -> float:
        text = Path(f"/proc/{self.process.pid}/status").read_text()
        return int(re.search(r"VmRSS:\s+(\d+)", text).group(1)) / 1024

    def sample(self) -> None:
        self._sampling = True

        def loop():
            while self._sampling:
                self.samples.append(self.rss_mb())
                time.sleep(0.2)

        threading.Thread(target=loop, daemon=True).start()

    def stop(self) -> None:
        self._sampling = False
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
