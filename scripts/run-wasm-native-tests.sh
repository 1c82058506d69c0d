#!/bin/sh
# Builds the Catch2 kernel tests with em++ (SIMD128 + pthreads) and runs them under node.
# Usage: scripts/run-wasm-native-tests.sh [catch2 args...]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build/wasm-tests"
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWEBNN_WASM_TESTS=ON >/dev/null
cmake --build "$BUILD" --target webnn_wasm_tests -j2
cd "$BUILD" && node webnn_wasm_tests.js "$@"
