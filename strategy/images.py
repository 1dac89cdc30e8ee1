"""Static chart images (PNG, SVG) through plotly's kaleido, which drives Debian's Chromium (no browser download).

One kaleido server is started per process on first use and kept: a one-shot export relaunches Chromium every
time (~1.7 s an image), the kept server answers in ~0.1 s.
"""

from __future__ import annotations

import atexit
import json
import tempfile
import threading
from functools import lru_cache
from pathlib import Path

import kaleido
import plotly.graph_objects as go

# Slide images: 16:9 at a size that reads well, scaled up for print and projectors.
SLIDE_WIDTH, SLIDE_HEIGHT, SLIDE_SCALE = 1280, 620, 2
FORMATS = {"png": "image/png", "svg": "image/svg+xml"}

_server_lock = threading.Lock()
_server_started = False


class ImageExportUnavailable(RuntimeError):
    """Chart images cannot be made here (Chromium missing or failing); the message says what to install."""


def _ensure_server() -> None:
    global _server_started
    with _server_lock:
        if not _server_started:
            try:
                kaleido.start_sync_server(silence_warnings=True)
            except Exception as problem:  # kaleido reports a missing browser in several ways
                raise ImageExportUnavailable(
                    "Chart images need Chromium (Debian package 'chromium'); run `make test` as root or "
                    f"`sudo apt-get install chromium`. Details: {problem}") from problem
            _server_started = True
            atexit.register(_stop_server)


def _stop_server() -> None:
    global _server_started
    with _server_lock:
        if _server_started:
            kaleido.stop_sync_server(silence_warnings=True)
            _server_started = False


def figure_images(figures: list[go.Figure], file_format: str = "png", width: int = SLIDE_WIDTH,
                  height: int | None = None, scale: float = SLIDE_SCALE) -> list[bytes]:
    """Images of several figures in one batch, in order; height None keeps each figure's own height."""
    if file_format not in FORMATS:
        raise ValueError(f"image format must be one of {', '.join(FORMATS)}")
    if not figures:
        return []
    _ensure_server()
    with tempfile.TemporaryDirectory(prefix="chart-images-") as folder:
        paths = [Path(folder) / f"figure-{n}.{file_format}" for n in range(len(figures))]
        jobs = [{"fig": fig, "path": str(path),
                 "opts": {"format": file_format, "width": width, "height": height or fig.layout.height or 500,
                          "scale": scale}} for fig, path in zip(figures, paths)]
        try:
            kaleido.write_fig_from_object_sync(jobs, cancel_on_error=True)
        except Exception as problem:
            raise ImageExportUnavailable(f"A chart image could not be made: {problem}") from problem
        return [path.read_bytes() for path in paths]


@lru_cache(maxsize=64)
def _image_from_json(figure_json: str, file_format: str, width: int, scale: float) -> bytes:
    return figure_images([go.Figure(json.loads(figure_json))],
                         file_format, width=width, scale=scale)[0]


def figure_image(fig: go.Figure, file_format: str = "png", width: int = 1200, scale: float = 2) -> bytes:
    """One figure as PNG or SVG bytes, cached by the figure's JSON (the same chart is not drawn twice)."""
    return _image_from_json(fig.to_json(), file_format, width, scale)
