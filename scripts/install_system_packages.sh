#!/usr/bin/env bash
# What the tests and exports need outside Python, from Debian and npm (never a downloaded browser):
#   chromium             browser tests and chart images (kaleido finds /usr/bin/chromium)
#   libreoffice-impress  converts the board pack from PPTX to PDF
#   poppler-utils        pdftoppm: the PDF board pack's pages as pictures (make screenshots)
#   nodejs, npm          install axe-core (pinned in package.json / package-lock.json) for the accessibility tests
#   nginx-light          the reverse-proxy test (tests/system/test_behind_nginx.py) runs the shipped nginx site
set -euo pipefail
cd "$(dirname "$0")/.."

missing=()
[ -x /usr/bin/chromium ] || missing+=(chromium)
command -v soffice >/dev/null || command -v libreoffice >/dev/null || missing+=(libreoffice-impress)
command -v pdftoppm >/dev/null || missing+=(poppler-utils)
command -v npm >/dev/null || missing+=(nodejs npm)
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || missing+=(nginx-light)

if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "Installing Debian packages: ${missing[*]} ..."
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "These Debian packages are needed: ${missing[*]}" >&2
    echo "Install them as an administrator:  sudo apt-get install ${missing[*]}   then run the tests again." >&2
    exit 1
  fi
fi

if [ ! -f node_modules/axe-core/axe.min.js ]; then
  echo "Installing axe-core for the accessibility tests (npm, pinned in package-lock.json) ..."
  npm ci --no-audit --no-fund --silent
fi
