"""Static chart images (PNG, SVG) through plotly's kaleido, which drives Debian's Chromium (no browser download).

One kaleido server is started per process on first use and kept: a one-shot export relaunches Chromium every
time (~1.7 s an image), the kept server answers in ~0.1 s.

Chromium is an outside program, so nothing here waits for it without a limit: starting it, and drawing each
batch of images, has a timeout, and a browser that is missing, will not start or stops answering is reported as
ImageExportUnavailable with a plain message (kaleido's own kept server starts in a thread and, when the browser
fails to start, waits forever for an answer that never comes).
"""

from __future__ import annotations

import asyncio
import atexit
import concurrent.futures
import json
import os
import signal
import tempfile
import threading
import time
from functools import lru_cache
from pathlib import Path

import kaleido
import plotly.graph_objects as go

# Slide images: 16:9 at a size that reads well, scaled up for print and projectors.
SLIDE_WIDTH, SLIDE_HEIGHT, SLIDE_SCALE = 1280, 620, 2
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}
# Chromium starts in 1-3 s on a busy two-core machine; a browser that has not answered in this long never will.
START_SECONDS = float(os.environ.get("STRATEGY_CHROMIUM_START_SECONDS", 20))
# Drawing: a few tenths of a second an image; this long for a batch means the browser has stopped answering.
DRAW_SECONDS, DRAW_SECONDS_PER_IMAGE = 30.0, 10.0
INSTALL = (
    "Chart images and board packs need Chromium (Debian package 'chromium'): install it with "
    "`sudo apt-get install chromium` (or run `make test` as root). Set BROWSER_PATH to use another "
    "Chromium or Chrome."
)

_server_lock = threading.Lock()  # one start at a time
_draw_lock = threading.Lock()  # one batch at a time through the one browser
_loop: asyncio.AbstractEventLoop | None = None
_server: kaleido.Kaleido | None = None
_last_failure: str | None = None
_last_failure_at = 0.0
_stop_registered = False
# a failed start is reported (buttons disabled) for this long, then tried again: it may have been passing trouble
FAILURE_REMEMBERED_SECONDS = 300


class ImageExportUnavailable(RuntimeError):
    """Chart images cannot be made here (Chromium missing or failing); the message says what to install."""


def browser_path() -> str | None:
    """The Chromium kaleido would start (BROWSER_PATH, else the first Chromium or Chrome on the PATH), if any."""
    from choreographer.browsers.chromium import Chromium

    try:
        return Chromium.find_browser(skip_local=False)
    except Exception:  # noqa: BLE001 - a failed search is the same as none found
        return None


def unavailable_reason() -> str | None:
    """Why chart images cannot be made here, found without starting anything (None if they may be): no browser
    at the configured path, or the browser failed when it was last started in this process (for five minutes)."""
    missing = _missing_browser()
    if missing:
        return missing
    if _last_failure and time.monotonic() - _last_failure_at < FAILURE_REMEMBERED_SECONDS:
        return _last_failure
    return None


# Whether Chromium is there, found at most once a minute for each BROWSER_PATH and PATH: every chart on every page
# run asks, and searching the PATH each time was a twentieth of a warm Places run. A Chromium installed while the
# server runs is found within the minute.
BROWSER_CHECK_SECONDS = 60
_browser_checks: dict[tuple[str | None, str | None], tuple[float, str | None]] = {}


def _missing_browser() -> str | None:
    settings = (os.environ.get("BROWSER_PATH"), os.environ.get("PATH"))
    checked = _browser_checks.get(settings)
    if checked and time.monotonic() - checked[0] < BROWSER_CHECK_SECONDS:
        return checked[1]
    path = browser_path()
    missing = None
    if not path or not Path(path).is_file() or not os.access(path, os.X_OK):
        where = f" (BROWSER_PATH is {os.environ['BROWSER_PATH']!r})" if os.environ.get("BROWSER_PATH") else ""
        missing = f"Chromium was not found{where}. {INSTALL}"
    _browser_checks[settings] = (time.monotonic(), missing)
    return missing


def _event_loop() -> asyncio.AbstractEventLoop:
    """The one event loop the browser is driven from, in its own thread (kept for the process's life)."""
    global _loop
    if _loop is None:
        loop = asyncio.new_event_loop()
        threading.Thread(target=loop.run_forever, name="chart-images", daemon=True).start()
        _loop = loop
    return _loop


def _run(coroutine, seconds: float):
    """Run a coroutine on the browser's loop and wait at most `seconds` (TimeoutError after, the work cancelled)."""
    future = asyncio.run_coroutine_threadsafe(_outcome(coroutine), _event_loop())
    try:
        value, problem = future.result(timeout=seconds)
    except concurrent.futures.TimeoutError:
        future.cancel()  # the coroutine closes what it opened; give it a moment, so no browser is left behind
        concurrent.futures.wait([future], timeout=3)
        raise TimeoutError from None
    if problem is not None:
        raise problem
    return value


async def _outcome(coroutine) -> tuple:
    """(value, None) or (None, the exception): a failure that comes after the caller stopped waiting is dropped
    quietly rather than logged as never retrieved."""
    try:
        return await coroutine, None
    except BaseException as problem:  # noqa: BLE001 - handed to the waiting caller
        return None, problem


async def _open() -> kaleido.Kaleido:
    server = kaleido.Kaleido(n=1)
    try:
        await server.open()
    except BaseException:
        _kill(server)  # a browser that failed to start is not asked politely: it may not be listening
        await _close(server)
        raise
    return server


def _kill(server: kaleido.Kaleido) -> None:
    """End the browser process (and its children) at once, if it was started and is still running."""
    process = getattr(server, "subprocess", None)
    if process is None or process.poll() is not None:
        return
    try:
        os.killpg(process.pid, signal.SIGKILL)  # choreographer starts the browser in its own process group
    except (AttributeError, ProcessLookupError, PermissionError):  # no process groups (Windows), or gone
        process.kill()


async def _close(server: kaleido.Kaleido, seconds: float = 2) -> None:
    try:
        await asyncio.wait_for(server.close(), seconds)
    except BaseException:  # noqa: BLE001 - the browser is being discarded anyway
        pass


def _discard_server() -> None:
    """Forget the kept browser and close it in the background (a browser that stopped answering is replaced)."""
    global _server
    server, _server = _server, None
    if server is not None and _loop is not None:
        asyncio.run_coroutine_threadsafe(_close(server), _loop)


def _ensure_server() -> kaleido.Kaleido:
    global _server, _last_failure, _last_failure_at, _stop_registered
    with _server_lock:
        if _server is not None:
            return _server
        missing = _missing_browser()
        if missing:
            raise ImageExportUnavailable(missing)
        try:
            _server = _run(_open(), START_SECONDS)
        except TimeoutError:
            _last_failure = (
                f"Chromium ({browser_path()}) did not start within {START_SECONDS:g} seconds, so "
                f"chart images cannot be made. Check that it runs (`chromium --version`). {INSTALL}"
            )
        except Exception as problem:  # noqa: BLE001 - kaleido and choreographer report failures in several ways
            said = problem.args[0] if problem.args and isinstance(problem.args[0], str) else str(problem)
            first_line = (said.strip().splitlines() or [type(problem).__name__])[0][:300]
            _last_failure = (
                f"Chromium ({browser_path()}) could not be started, so chart images cannot be made "
                f"({first_line}). {INSTALL}"
            )
        else:
            _last_failure = None
            if not _stop_registered:
                atexit.register(_stop_server)
                _stop_registered = True
            return _server
        _last_failure_at = time.monotonic()
        raise ImageExportUnavailable(_last_failure)


def _stop_server() -> None:
    global _server
    with _server_lock:
        server, _server = _server, None
        if server is not None:
            try:
                _run(_close(server, 8), 10)
            except Exception:  # noqa: BLE001 - leaving anyway
                pass


def figure_images(
    figures: list[go.Figure],
    file_format: str = "png",
    width: int = SLIDE_WIDTH,
    height: int | None = None,
    scale: float = SLIDE_SCALE,
) -> list[bytes]:
    """Images of several figures in one batch, in order; height None keeps each figure's own height.

    ImageExportUnavailable, within seconds, if Chromium is missing, will not start or stops answering."""
    if file_format not in FORMATS:
        raise ValueError(f"image format must be one of {', '.join(FORMATS)}")
    if not figures:
        return []
    seconds = DRAW_SECONDS + DRAW_SECONDS_PER_IMAGE * len(figures)
    server = _ensure_server()
    with tempfile.TemporaryDirectory(prefix="chart-images-") as folder:
        paths = [Path(folder) / f"figure-{n}.{file_format}" for n in range(len(figures))]
        jobs = [
            {
                "fig": fig,
                "path": str(path),
                "opts": {
                    "format": file_format,
                    "width": width,
                    "height": height or fig.layout.height or 500,
                    "scale": scale,
                },
            }
            for fig, path in zip(figures, paths)
        ]
        if not _draw_lock.acquire(timeout=seconds):
            raise ImageExportUnavailable("Chart images are busy being made for someone else; try again shortly.")
        try:
            _run(server.write_fig_from_object(jobs, cancel_on_error=True), seconds)
        except TimeoutError:
            with _server_lock:
                _discard_server()
            raise ImageExportUnavailable(
                f"Chromium did not draw the chart images within {seconds:g} seconds; "
                "try again (it is restarted for the next attempt)."
            ) from None
        except Exception as problem:
            raise ImageExportUnavailable(f"A chart image could not be made: {problem}") from problem
        finally:
            _draw_lock.release()
        return [path.read_bytes() for path in paths]


@lru_cache(maxsize=64)
def _image_from_json(figure_json: str, file_format: str, width: int, scale: float) -> bytes:
    return figure_images([go.Figure(json.loads(figure_json))], file_format, width=width, scale=scale)[0]


def figure_image(fig: go.Figure, file_format: str = "png", width: int = 1200, scale: float = 2) -> bytes:
    """One figure as PNG or SVG bytes, cached by the figure's JSON (the same chart is not drawn twice)."""
    return _image_from_json(fig.to_json(), file_format, width, scale)
