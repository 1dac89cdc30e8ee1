#!/usr/bin/env bash
# What the running dashboard needs outside Python, checked without root and without installing anything:
# a warning (never a failure) naming the Debian package for each one that is missing.
#   chromium             chart images (PNG/SVG downloads) and board packs; BROWSER_PATH may name another Chromium
#   libreoffice-impress  PDF board packs (PowerPoint packs work without it)
browser="${BROWSER_PATH:-}"
if [ -n "$browser" ]; then
  [ -x "$browser" ] || echo "Warning: BROWSER_PATH=$browser is not a program; chart images and board packs will" \
    "not work. Point it at Chromium, or unset it and install Debian's 'chromium' (sudo apt-get install chromium)." >&2
elif ! command -v chromium >/dev/null && ! command -v chromium-browser >/dev/null \
    && ! command -v google-chrome >/dev/null; then
  echo "Warning: Chromium is not installed, so chart images and board packs will not work" \
    "(the dashboard runs without them). Install Debian's 'chromium': sudo apt-get install chromium" >&2
fi
if ! command -v soffice >/dev/null && ! command -v libreoffice >/dev/null; then
  echo "Warning: LibreOffice is not installed, so board packs cannot be made as PDF (PowerPoint packs still" \
    "work). Install Debian's 'libreoffice-impress': sudo apt-get install libreoffice-impress" >&2
fi
exit 0
