"""The production entry point: `streamlit run serve.py` serves the dashboard (app.py and pages/) plus

- GET /healthz: a real query against the main tables; 200 {"status": "ok"} when healthy, 503
  {"status": "unavailable"} when not (for a reverse proxy or monitor; /_stcore/health only says the web server is
  up). The reason is written to the server log, never to the visitor; `python -m strategy health` shows it too;
- the backup-request watcher, so `python -m strategy backup DIR` works while the dashboard runs;
- the shared answers (the unfiltered view, each county and place, then each place with each aim) computed into
  the pages' caches as it starts, in the background; "Shared answers warmed: N answers in S s" in its log when done.

It refuses to start, with a plain message, when the mode is in doubt (STRATEGY_MODE unknown, secrets unreadable or
incomplete for sign-in), when local mode (no sign-in, everyone an admin) would listen beyond this computer, and
when STRATEGY_FRAMEWORK or STRATEGY_REFERENCE names a file or folder that is not there.
Every answer carries anti-framing headers, and files it writes are readable by its own account only.
"""

import gc
import logging
import sys
import threading
from contextlib import asynccontextmanager

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.middleware import Middleware
from starlette.responses import JSONResponse
from starlette.routing import Route

from strategy import access
from strategy.build.reference import ReferenceDataError, reference_dir
from strategy.framework import FrameworkError, load_framework
from strategy.private_files import keep_files_private
from strategy.safekeeping import backup_beside_server as backup_requests
from strategy.safekeeping import health
from strategy.ui import data_changed, database_file, open_connection
from strategy.ui.data import WARMING, WARMING_SETTING
from strategy.ui.warming import warm_shared_answers

LOG = logging.getLogger("strategy.serve")

# No page of the dashboard may be shown inside another site's frame (clickjacking a signed-in admin).
ANTI_FRAMING_HEADERS = [(b"x-frame-options", b"DENY"), (b"content-security-policy", b"frame-ancestors 'none'")]


def refuse_unsafe_start() -> str:
    """The mode this server runs in; exits with a plain message (status 2) when it cannot run safely."""
    try:
        mode = access.dashboard_mode()
        access.refuse_local_mode_on_network(mode, st.get_option("server.address"))
    except access.ModeProblem as problem:
        print(f"The dashboard will not start: {problem}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    try:  # the strategy this install serves: a typo in its settings stops the start, with what to fix
        load_framework()
        reference_dir()
    except (FrameworkError, ReferenceDataError) as problem:
        print(f"The dashboard will not start: {problem}", file=sys.stderr, flush=True)
        raise SystemExit(2) from None
    for file in access.secrets_readable_by_others():
        print(
            f"Warning: other accounts on this computer can read the secrets file {file}; run chmod 600 {file}",
            file=sys.stderr,
            flush=True,
        )
    return mode


class AntiFramingHeaders:
    """ASGI middleware: X-Frame-Options DENY and CSP frame-ancestors 'none' on every HTTP answer."""

    def __init__(self, app):
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def send_with_headers(message):
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _value in message.get("headers", [])}
                message = {
                    **message,
                    "headers": [*message.get("headers", []), *[h for h in ANTI_FRAMING_HEADERS if h[0] not in names]],
                }
            await send(message)

        await self.app(scope, receive, send_with_headers)


async def healthz(request):
    report = await run_in_threadpool(health_of_running_dashboard)
    if not report.ok:
        LOG.warning("GET /healthz: unavailable: %s", report.message)
    response = JSONResponse({"status": "ok" if report.ok else "unavailable"}, status_code=200 if report.ok else 503)
    response.headers["Cache-Control"] = "no-store"
    return response


def health_of_running_dashboard() -> health.Health:
    try:
        return health.check(open_connection())
    except Exception as problem:  # an unusable file is an answer (503), never a crash
        return health.Health(False, str(problem))


WARMED = "Shared answers warmed"  # the start of the line the server logs when warming is done (the load test waits)


def warm_in_background() -> None:
    """Warm the shared answers (strategy.ui.warming.warm_shared_answers) beside the server: it answers from the
    start, and a page that asks before its answer is warm computes it itself. A failure is logged, never fatal."""

    def warm():
        if not WARMING:
            print(f"{WARMING_SETTING}=off: nothing warmed at start-up", file=sys.stderr, flush=True)
            return
        try:
            open_connection()
            answers, figures, seconds = warm_shared_answers()
            # Leave what is alive now (the libraries and the warmed answers and figures: about 800,000 objects) out
            # of the garbage collector's full passes, each of which took 0.4 s instead of 0.07 s with them, holding
            # every session up. data_changed() hands them back when the caches are cleared.
            gc.freeze()
        except Exception as problem:  # the pages show the maintenance message; warming is only a head start
            LOG.warning("Warming the shared answers failed: %s", problem)
            print(f"Warming the shared answers failed: {problem}", file=sys.stderr, flush=True)
        else:
            print(f"{WARMED}: {answers} answers and {figures} figures in {seconds:.1f} s", file=sys.stderr, flush=True)

    threading.Thread(target=warm, name="warm-shared-answers", daemon=True).start()


@asynccontextmanager
async def lifespan(app):
    backup_requests.start_watcher(open_connection, database_file(), after_write=data_changed)
    warm_in_background()
    yield


keep_files_private()
MODE = refuse_unsafe_start()

app = st.App(
    "app.py",
    routes=[Route("/healthz", healthz, methods=["GET", "HEAD"])],
    lifespan=lifespan,
    middleware=[Middleware(AntiFramingHeaders)],
)
