"""The shipped server files agree with the dashboard's own settings (no nginx needed; the running proxy is
tested in tests/system/test_behind_nginx.py)."""

from __future__ import annotations

import re
import tomllib

from tests.conftest import PROJECT_ROOT

SITE = (PROJECT_ROOT / "deploy" / "nginx" / "making-our-move.conf").read_text(encoding="utf-8")
UNIT = (PROJECT_ROOT / "deploy" / "making-our-move.service").read_text(encoding="utf-8")
CONFIG = tomllib.loads((PROJECT_ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))


def directive(name: str) -> list[str]:
    """The values of an nginx directive, comments left out."""
    text = "\n".join(line.split("#", 1)[0] for line in SITE.splitlines())
    return re.findall(rf"^\s*{name}\s+([^;{{]+);", text, flags=re.MULTILINE)


def test_nginx_lets_through_exactly_the_uploads_the_dashboard_accepts():
    (limit,) = directive("client_max_body_size")
    assert limit.lower() == f"{CONFIG['server']['maxUploadSize']}m"


def test_the_service_serves_serve_py_on_loopback_behind_the_site_upstream():
    start = " ".join(UNIT.split("ExecStart=", 1)[1].split("\\\n"))
    host, port = re.search(r"--server\.address (\S+) --server\.port (\d+)", start).groups()
    assert "run serve.py" in start and host == "127.0.0.1"
    assert f"{host}:{port}" in directive("server")
    assert "Environment=STRATEGY_MODE=signin" in UNIT.splitlines()


def test_the_websocket_headers_and_forwarded_scheme_reach_every_location():
    headers = {value.split()[0]: value.split(None, 1)[1] for value in directive("proxy_set_header")}
    assert headers["Upgrade"] == "$http_upgrade" and headers["Connection"] == "$making_our_move_connection"
    assert headers["X-Forwarded-Proto"] == "$scheme"
    # a location with a proxy_set_header of its own would inherit none of the server's
    locations = re.findall(r"location[^{]*\{([^}]*)\}", SITE)
    assert locations and all("proxy_set_header" not in body for body in locations)
    assert any("/_stcore/stream" in line and "location" in line for line in SITE.splitlines())
