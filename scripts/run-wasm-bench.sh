#!/bin/sh
# Builds the kernel benchmark with em++ (SIMD128 + pthreads) and runs it under node.
# It links the engine libraries of build/wasm-simd-threads (shared with scripts/build-wasm.sh).
# Usage: scripts/run-wasm-bench.sh [maxThreads]   (also: build/native/webnn_native_bench for the host)
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BUILD="$ROOT/build/wasm-simd-threads"
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWEBNN_WASM_TESTS=ON \
  -DWEBNN_SIMD=ON -DWEBNN_THREADS=ON -DWEBNN_VARIANT=simd-threads >/dev/null
cmake --build "$BUILD" --target webnn_wasm_bench -j2
# The repo root says "type": "module"; the Emscripten glue is CommonJS.
echo '{"type": "commonjs"}' > "$BUILD/package.json"
cd "$BUILD" && node webnn_wasm_bench.js "$@"
