"""The shipped nginx site (deploy/nginx/making-our-move.conf) in front of serve.py, as on the partnership's server:
TLS ends at nginx, the websocket comes through (the page renders), /healthz answers through it, a partner signs in
through the local OpenID Connect provider (the callback comes back through nginx over https) and uploads a file
larger than nginx's default 1 MB limit.

nginx runs as this test's own process (its own prefix, configuration, pid file and logs in a temporary folder,
loopback ports only, a self-signed certificate made here). Nothing is installed: without nginx or openssl the test
is skipped, saying so; scripts/install_system_packages.sh installs nginx where the tests run.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import secrets
import shutil
import ssl
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import browser, free_port, wait_for_app  # noqa: F401 (fixture)
from tests.browser.test_oidc_signin import OWN, PEOPLE, provider, signin_db  # noqa: F401 (fixtures)
from tests.conftest import PROJECT_ROOT, SERVER_FLAGS

pytestmark = pytest.mark.browser

SITE = PROJECT_ROOT / "deploy" / "nginx" / "making-our-move.conf"
NGINX_DEFAULT_LIMIT = 1024 * 1024  # nginx's own client_max_body_size when a site sets none


def nginx_binary() -> str | None:
    return shutil.which("nginx") or next((p for p in ("/usr/sbin/nginx",) if os.access(p, os.X_OK)), None)


def site_for_test(app_port: int, https_port: int, certificate: Path, key: Path) -> str:
    """The shipped site with its placeholders filled for this test: loopback only, this test's certificate and
    the dashboard's port. Every replacement must match, so a changed site file cannot slip past unchecked."""
    site = SITE.read_text(encoding="utf-8")
    replacements = [
        (r"server 127\.0\.0\.1:8501;", f"server 127.0.0.1:{app_port};"),
        (r"\n    listen 80;\n    listen \[::\]:80;\n", "\n    listen 127.0.0.1:" + str(free_port()) + ";\n"),
        (
            r"\n    listen 443 ssl http2;\n    listen \[::\]:443 ssl http2;\n",
            f"\n    listen 127.0.0.1:{https_port} ssl http2;\n",
        ),
        (r"ssl_certificate     \S+;", f"ssl_certificate     {certificate};"),
        (r"ssl_certificate_key \S+;", f"ssl_certificate_key {key};"),
    ]
    for pattern, value in replacements:
        site, found = re.subn(pattern, lambda _m, v=value: v, site)
        assert found, f"{SITE.name} no longer has {pattern!r}: update this test with the site file"
    return site


def https_get(url: str) -> tuple[int, bytes]:
    context = ssl.create_default_context()
    context.check_hostname, context.verify_mode = False, ssl.CERT_NONE  # the test's own self-signed certificate
    try:
        with urllib.request.urlopen(url, timeout=10, context=context) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def wait_until(check, what: str, log: Path, seconds: float = 60) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            if check():
                return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"{what} did not start; see {log}")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="module")
def proxied(provider, signin_db, tmp_path_factory, test_output):  # noqa: F811
    """serve.py in sign-in mode on a loopback port, and nginx with the shipped site in front of it over https;
    the https base URL."""
    nginx = nginx_binary()
    if nginx is None:
        pytest.skip(
            "nginx is not installed: run scripts/install_system_packages.sh as root "
            "(or apt-get install nginx-light) to run the reverse-proxy test"
        )
    if shutil.which("openssl") is None:
        pytest.skip("openssl is not installed, so the test cannot make its TLS certificate: apt-get install openssl")
    folder = tmp_path_factory.mktemp("nginx")
    app_port, https_port = free_port(), free_port()
    url = f"https://127.0.0.1:{https_port}"

    certificate, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        [
            "openssl",
            "req",
            "-x509",
            "-newkey",
            "rsa:2048",
            "-nodes",
            "-days",
            "2",
            "-subj",
            "/CN=127.0.0.1",
            "-addext",
            "subjectAltName=IP:127.0.0.1",
            "-keyout",
            str(key),
            "-out",
            str(certificate),
        ],
        check=True,
        capture_output=True,
        timeout=60,
    )

    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(f"""[auth]
redirect_uri = "{url}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "making-our-move-dashboard"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{provider}/.well-known/openid-configuration"
""")
    env = {**os.environ, "STRATEGY_DB": str(signin_db), "STRATEGY_MODE": "signin", "STRATEGY_WARMING": "off"}
    env.pop("STRATEGY_AUTH", None)
    app_log = test_output / "serve-behind-nginx.log"
    app = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            "serve.py",
            "--server.port",
            str(app_port),
            *SERVER_FLAGS,
            "--secrets.files",
            str(secrets_file),
        ],
        cwd=PROJECT_ROOT,
        env=env,
        stdout=app_log.open("wb"),
        stderr=subprocess.STDOUT,
    )

    prefix = folder / "prefix"
    for sub in ("logs", "client_body", "proxy"):
        (prefix / sub).mkdir(parents=True)
    conf = prefix / "nginx.conf"
    # As root nginx would hand its workers to `nobody`, who cannot enter the test's private temporary folder.
    user = "user root root;\n" if os.geteuid() == 0 else ""
    conf.write_text(f"""{user}daemon off;
worker_processes 1;
pid {prefix / "nginx.pid"};
error_log {prefix / "logs" / "error.log"} info;
events {{ worker_connections 64; }}
http {{
    access_log {prefix / "logs" / "access.log"};
    client_body_temp_path {prefix / "client_body"};
    proxy_temp_path {prefix / "proxy"};
    fastcgi_temp_path {prefix / "proxy"};
    uwsgi_temp_path {prefix / "proxy"};
    scgi_temp_path {prefix / "proxy"};
    include {folder / "site.conf"};
}}
""")
    (folder / "site.conf").write_text(site_for_test(app_port, https_port, certificate, key))
    checked = subprocess.run(
        [nginx, "-t", "-p", str(prefix), "-c", str(conf)], capture_output=True, text=True, timeout=30
    )
    assert checked.returncode == 0, f"nginx -t refused the shipped site: {checked.stderr}"
    nginx_log = test_output / "nginx-behind.log"
    proxy = subprocess.Popen(
        [nginx, "-p", str(prefix), "-c", str(conf)], stdout=nginx_log.open("wb"), stderr=subprocess.STDOUT
    )
    try:
        wait_until(
            lambda: urllib.request.urlopen(f"http://127.0.0.1:{app_port}/healthz", timeout=2).status == 200,
            "serve.py",
            app_log,
        )
        wait_until(lambda: https_get(url + "/_stcore/health")[0] == 200, "nginx", prefix / "logs" / "error.log")
        yield url
    finally:
        stop(proxy)
        stop(app)
        for name in ("error.log", "access.log"):
            if (prefix / "logs" / name).exists():
                shutil.copy(prefix / "logs" / name, test_output / f"nginx-behind-{name}")


@pytest.fixture
def visitor(browser):  # noqa: F811
    """A browser of its own that accepts the test's self-signed certificate."""
    context = browser.new_context(viewport={"width": 1440, "height": 1000}, ignore_https_errors=True)
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def large_activity_file(rows: int, description_chars: int) -> bytes:
    """A valid partner CSV whose long descriptions make it larger than nginx's default limit."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(["activity_id", "title", "sector", "places", "aims", "start_date", "description"])
    for number in range(1, rows + 1):
        description = (f"Led walk {number} for people with long-term conditions. " * 200)[:description_chars]
        writer.writerow(
            [f"MCT-N{number}", f"Mansfield health walk {number}", "Sport", "Mansfield", "A1", "2025-04-01", description]
        )
    return text.getvalue().encode()


def test_healthz_answers_through_the_proxy_over_https(proxied):
    status, body = https_get(proxied + "/healthz")
    assert status == 200
    assert json.loads(body) == {"status": "ok"}


def test_a_partner_signs_in_through_the_proxy_and_uploads_a_file_over_nginxs_default_limit(
    proxied, provider, visitor, test_output
):  # noqa: F811
    with visitor.expect_websocket() as stream:
        visitor.goto(proxied + "/")
    assert stream.value.url == proxied.replace("https://", "wss://") + "/_stcore/stream"
    wait_for_app(visitor)
    # the button is drawn by the script, which reaches the browser only over that websocket, through nginx
    visitor.get_by_role("button", name="Sign in").click()
    visitor.wait_for_url(provider + "/**")
    visitor.fill("input[name=sub]", PEOPLE["partner"])
    visitor.get_by_role("button", name="Authorize").click()
    visitor.wait_for_url(proxied + "/**")  # the provider sent the browser back to https, through nginx
    wait_for_app(visitor)
    visitor.wait_for_selector(f"text={OWN}")  # signed in as the partner

    data = large_activity_file(rows=120, description_chars=10_000)
    assert len(data) > NGINX_DEFAULT_LIMIT
    visitor.goto(proxied + "/Upload")
    wait_for_app(visitor)
    visitor.locator("[data-testid=stFileUploader] input[type=file]").set_input_files(
        files=[{"name": "large.csv", "mimeType": "text/csv", "buffer": data}]
    )
    wait_for_app(visitor)
    visitor.get_by_role("button", name="Load 120 activities").click()
    visitor.get_by_text("See them in the Alignment heatmap").wait_for()
    visitor.screenshot(path=str(test_output / "behind-nginx-uploaded.png"), full_page=True)
