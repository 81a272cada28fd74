#!/bin/sh
# The browser tests drive Debian's Chromium (Playwright never downloads a browser
# here). Install it when it is missing and we can (root with apt); otherwise say so.
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  echo "installing Debian's chromium for the browser tests..."
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null && exit 0
fi
echo "warning: /usr/bin/chromium is missing and could not be installed; browser tests will fail" >&2
