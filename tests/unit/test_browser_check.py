"""Whether Chromium is there to draw chart images is looked up at most once a minute for the same settings: every
chart on every page run asks (its download buttons are disabled, saying why, when it is missing)."""

from __future__ import annotations

from strategy import images


def test_the_browser_is_looked_up_once_a_minute_and_again_when_its_setting_changes(monkeypatch, tmp_path):
    searches = []
    clock = [1000.0]
    monkeypatch.setattr(images, "browser_path", lambda: searches.append(1) or None)
    monkeypatch.setattr(images.time, "monotonic", lambda: clock[0])
    monkeypatch.setattr(images, "_browser_checks", {})
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chromium"))

    first = images.unavailable_reason()
    assert "Chromium was not found" in first and "no-chromium" in first
    clock[0] += images.BROWSER_CHECK_SECONDS - 1
    assert images.unavailable_reason() == first and len(searches) == 1  # within the minute: not searched again

    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "elsewhere"))
    assert "elsewhere" in images.unavailable_reason() and len(searches) == 2  # another setting: searched at once

    chromium = tmp_path / "chromium"
    chromium.write_text("#!/bin/sh\n")
    chromium.chmod(0o755)
    monkeypatch.setattr(images, "browser_path", lambda: searches.append(1) or str(chromium))
    clock[0] += images.BROWSER_CHECK_SECONDS
    assert images.unavailable_reason() is None and len(searches) == 3  # installed meanwhile: found after the minute
