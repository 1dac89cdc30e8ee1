"""The production entry point: `streamlit run serve.py` serves the dashboard (app.py and pages/) plus

- GET /healthz: a real query against the main tables; 200 with figures when healthy, 503 with the reason when not
  (for a reverse proxy or monitor; /_stcore/health only says the web server is up);
- the backup-request watcher, so `python -m strategy backup DIR` works while the dashboard runs.
"""

from contextlib import asynccontextmanager

import streamlit as st
from starlette.concurrency import run_in_threadpool
from starlette.responses import JSONResponse
from starlette.routing import Route

from strategy import backup_requests, health
from strategy.ui import database_file, open_connection


async def healthz(request):
    report = await run_in_threadpool(health_of_running_dashboard)
    response = JSONResponse(report.as_json(), status_code=200 if report.ok else 503)
    response.headers["Cache-Control"] = "no-store"
    return response


def health_of_running_dashboard() -> health.Health:
    try:
        return health.check(open_connection())
    except Exception as problem:  # an unusable file is an answer (503), never a crash
        return health.Health(False, str(problem))


@asynccontextmanager
async def lifespan(app):
    backup_requests.start_watcher(open_connection, database_file())
    yield


app = st.App("app.py", routes=[Route("/healthz", healthz, methods=["GET", "HEAD"])], lifespan=lifespan)
