#!/bin/sh
# Builds the kernel benchmark with em++ (SIMD128 + pthreads) and runs it under node.
# Usage: scripts/run-wasm-bench.sh [maxThreads]   (also: build/native/webnn_native_bench for the host)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build/wasm-tests"
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWEBNN_WASM_TESTS=ON >/dev/null
cmake --build "$BUILD" --target webnn_wasm_bench -j2
# The repo root says "type": "module"; the Emscripten glue is CommonJS.
echo '{"type": "commonjs"}' > "$BUILD/package.json"
cd "$BUILD" && node webnn_wasm_bench.js "$@"
