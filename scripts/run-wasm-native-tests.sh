#!/bin/sh
# Builds the Catch2 kernel tests with em++ and runs them under node (tests the SIMD128 kernels, which
# the host build never compiles). Defaults to SIMD128 + pthreads; set WEBNN_SIMD=OFF and/or
# WEBNN_THREADS=OFF to test the plain Wasm variants (scalar kernels, single thread).
# The tests link the engine libraries of the variant's build dir (build/wasm-<variant>, shared with
# scripts/build-wasm.sh), so after a module build only the test sources compile.
# Usage: [WEBNN_SIMD=OFF] [WEBNN_THREADS=OFF] scripts/run-wasm-native-tests.sh [catch2 args...]
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SIMD=${WEBNN_SIMD:-ON}
THREADS=${WEBNN_THREADS:-ON}
case "$SIMD-$THREADS" in
  ON-ON) VARIANT=simd-threads ;;
  ON-OFF) VARIANT=simd ;;
  OFF-OFF) VARIANT=scalar ;;
  *) VARIANT=threads-nosimd ;;   # no shipped variant: a build dir of its own
esac
BUILD="$ROOT/build/wasm-$VARIANT"
export NODE_PATH=/usr/share/nodejs
emcmake cmake -S "$ROOT" -B "$BUILD" -DCMAKE_BUILD_TYPE=Release -DWEBNN_WASM_TESTS=ON \
  -DWEBNN_SIMD="$SIMD" -DWEBNN_THREADS="$THREADS" -DWEBNN_VARIANT="$VARIANT" >/dev/null
cmake --build "$BUILD" --target webnn_wasm_tests -j2
# The repo root says "type": "module"; the Emscripten glue is CommonJS.
echo '{"type": "commonjs"}' > "$BUILD/package.json"
cd "$BUILD" && node webnn_wasm_tests.js "$@"
