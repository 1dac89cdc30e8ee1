"""A lightweight Streamlit client: one session speaking the websocket protocol the browser speaks.

It connects to /_stcore/stream (subprotocol "streamlit"), sends a BackMsg rerun_script with the page and the
query string (as the browser does when a link is opened), and reads ForwardMsgs until script_finished, keeping the
elements drawn (metrics, markdown, exceptions) so the caller can check what this session was shown.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import websockets
from streamlit.proto.BackMsg_pb2 import BackMsg
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

FINISHED = {ForwardMsg.FINISHED_SUCCESSFULLY}


@dataclass
class PageRun:
    seconds: float
    finished: bool
    metrics: dict[str, str] = field(default_factory=dict)
    markdown: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    exceptions: list[str] = field(default_factory=list)
    charts: int = 0
    elements: int = 0  # every element drawn (the sidebar's too)
    blocks: int = 0  # every container, column, expander and form opened


class StreamlitSession:
    """One browser-like session: open it, run pages by name with a query string, close it."""

    def __init__(self, base_url: str):
        self.url = base_url.replace("http://", "ws://").rstrip("/") + "/_stcore/stream"
        self.pages: dict[str, str] = {}  # url_pathname -> page_script_hash
        self.socket = None

    async def __aenter__(self) -> "StreamlitSession":
        self.socket = await websockets.connect(
            self.url, subprotocols=["streamlit"], max_size=None, open_timeout=120, ping_interval=None
        )
        return self

    async def __aexit__(self, *exc) -> None:
        await self.socket.close()

    async def run_page(self, url_pathname: str, query_string: str, timeout: float = 300) -> PageRun:
        """Run one page as opening /url_pathname?query_string would; the time to script_finished and what it drew."""
        message = BackMsg()
        state = message.rerun_script
        state.query_string = query_string
        state.page_name = url_pathname
        if url_pathname in self.pages:
            state.page_script_hash = self.pages[url_pathname]
        started = time.perf_counter()
        await self.socket.send(message.SerializeToString())
        run = PageRun(seconds=0.0, finished=False)
        deadline = started + timeout
        while time.perf_counter() < deadline:
            data = await self.socket.recv()
            forward = ForwardMsg()
            forward.ParseFromString(data)
            kind = forward.WhichOneof("type")
            if kind == "new_session":
                self.pages = {p.url_pathname: p.page_script_hash for p in forward.new_session.app_pages}
            elif kind == "delta" and forward.delta.WhichOneof("type") == "new_element":
                _collect(run, forward.delta.new_element)
            elif kind == "delta" and forward.delta.WhichOneof("type") == "add_block":
                run.blocks += 1
            elif kind == "script_finished":
                if forward.script_finished in FINISHED:
                    run.finished = True
                    break
                if forward.script_finished == ForwardMsg.FINISHED_WITH_COMPILE_ERROR:
                    break
        run.seconds = time.perf_counter() - started
        return run


def _collect(run: PageRun, element) -> None:
    run.elements += 1
    kind = element.WhichOneof("type")
    if kind == "metric":
        run.metrics[element.metric.label] = element.metric.body
    elif kind == "markdown":
        run.markdown.append(element.markdown.body)
    elif kind == "heading":
        run.titles.append(element.heading.body)
    elif kind == "exception":
        run.exceptions.append(f"{element.exception.type}: {element.exception.message}")
    elif kind == "plotly_chart":
        run.charts += 1
