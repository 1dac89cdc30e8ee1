"""Waves of sessions opening the dashboard's pages at the same moment: websocket sessions speaking Streamlit's own
protocol, and real Chromium viewers and one uploader beside them."""

from __future__ import annotations

import asyncio
import time

from tests.perf import chromium_sessions
from tests.perf.streamlit_session import StreamlitSession


async def one_session(url: str, pages: list[tuple[str, str]], start: asyncio.Event) -> list:
    """One person opening each link in turn, each in a fresh session (as a link opened in a new tab)."""
    await start.wait()
    runs = []
    for page, query in pages:
        async with StreamlitSession(url) as session:
            runs.append(await session.run_page(page, query))
    return runs


async def wave(url: str, plans: list[list[tuple[str, str]]]) -> list:
    start = asyncio.Event()
    tasks = [asyncio.create_task(one_session(url, plan, start)) for plan in plans]
    start.set()  # all sessions open at the same moment
    return await asyncio.gather(*tasks, return_exceptions=True)


async def wave_with_chromium(
    url: str, plans: list[list[tuple[str, str]]], viewer_queries: list[str], upload: dict
) -> tuple[list, list, dict | BaseException, float]:
    """The wave while one partner upload lands: the partner's file is chosen and checked on the Upload page in
    Chromium first, then Load is pressed at the moment the sessions and the Chromium viewers open their links;
    (websocket runs, viewers, upload, seconds until the last websocket session finished)."""
    async with chromium_sessions.chromium() as browser:
        prepared = await chromium_sessions.prepare_upload(
            browser, url, upload["data"], upload["file_name"], upload["partner"], upload["rows"]
        )
        start = asyncio.Event()
        tasks = [asyncio.create_task(one_session(url, plan, start)) for plan in plans]
        viewers = [asyncio.create_task(chromium_sessions.view_pages(browser, url, q)) for q in viewer_queries]
        started = time.perf_counter()
        uploader = asyncio.create_task(prepared.load(started))
        start.set()
        runs = await asyncio.gather(*tasks, return_exceptions=True)
        wave_seconds = time.perf_counter() - started
        seen = await asyncio.gather(*viewers, return_exceptions=True)
        uploaded = (await asyncio.gather(uploader, return_exceptions=True))[0]
    return runs, seen, uploaded, wave_seconds


async def chromium_alone(url: str, query: str) -> dict:
    """One Chromium viewer with nothing else running: the floor for the Chromium times under load."""
    async with chromium_sessions.chromium() as browser:
        return await chromium_sessions.view_pages(browser, url, query)
