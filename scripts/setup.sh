#!/usr/bin/env bash
# Installs what building and testing need on a fresh Debian machine (as root), then npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
need=()
command -v em++ >/dev/null 2>&1 || need+=(emscripten)
command -v cmake >/dev/null 2>&1 || need+=(cmake)
command -v g++ >/dev/null 2>&1 || need+=(g++)
[ -f /usr/include/eigen3/Eigen/Core ] || need+=(libeigen3-dev)
[ -f /usr/include/catch2/catch.hpp ] || need+=(catch2)
command -v chromium >/dev/null 2>&1 || need+=(chromium)   # the browser tests (test/browser/, playwright-core)
command -v firefox-esr >/dev/null 2>&1 || need+=(firefox-esr)   # the browser tests in Firefox (puppeteer-core, WebDriver BiDi)
if [ ${#need[@]} -gt 0 ]; then
  echo "setup: installing ${need[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}" > /tmp/webnn-apt.log 2>&1 || { tail -20 /tmp/webnn-apt.log; exit 1; }
fi
if [ -f package-lock.json ]; then npm ci --no-audit --no-fund --loglevel=error; else npm install --no-audit --no-fund --loglevel=error; fi
