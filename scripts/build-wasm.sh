#!/usr/bin/env bash
# Builds the Wasm variants into dist/: simd-threads, simd and scalar (two at a time on 2 cores), and
# dist/webnn-wasm.bundle.min.mjs (scripts/build-cdn.mjs).
set -euo pipefail
cd "$(dirname "$0")/.."
export NODE_PATH=${NODE_PATH:-/usr/share/nodejs}   # Debian's emcc finds acorn there
JOBS=${JOBS:-2}
variants=${WEBNN_VARIANTS:-"simd-threads simd scalar"}

build_variant() {
  local name=$1 simd=ON threads=ON
  case $name in
    simd-threads) ;;
    simd) threads=OFF ;;
    scalar) simd=OFF; threads=OFF ;;
  esac
  # WEBNN_WASM_TESTS=ON only declares the Catch2 programs (scripts/run-wasm-native-tests.sh builds them
  # here, on the engine libraries this build compiled).
  local dir=build/wasm-$name
  emcmake cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DWEBNN_SIMD=$simd -DWEBNN_THREADS=$threads \
    -DWEBNN_VARIANT=$name -DWEBNN_WASM_TESTS=ON > "$dir.log" 2>&1
  cmake --build "$dir" --target webnn_wasm -j"$JOBS" >> "$dir.log" 2>&1 || { tail -40 "$dir.log"; return 1; }
  cp "$dir"/webnn-wasm-$name.wasm dist/
  # Parcel bundles the glue files as app code (it treats every `new URL('….js', import.meta.url)` as a
  # JS entry; dist/package.json's "alias" maps the glue's Node-only modules to nothing): the wrapper
  # it adds hides the top-level name the pthread workers call, and drops the .mjs's export. So the
  # classic glue also sets that name on a worker's global, and the module glue leaves its factory
  # under a registered symbol, where the loader looks when the import has no default export.
  { cat "$dir/webnn-wasm-$name.js"
    printf '\n// (webnn-wasm) for pthread workers when a bundler wrapped this file\n'
    printf 'if (typeof importScripts === "function") self.createWebnnModule = createWebnnModule;\n'
  } > dist/webnn-wasm-$name.js
  if [ -f "$dir/webnn-wasm-$name.worker.js" ]; then
    # Under Node, Emscripten 3.1.6's pthread worker loads the glue with an indirect eval, which
    # `node --disallow-code-generation-from-strings` turns into an EvalError that kills the process.
    # vm.runInThisContext runs the same text in the same global scope and is not code generation.
    local eval_load='(0,eval)(fs.readFileSync(f,"utf8"))'
    local vm_load='require("vm").runInThisContext(fs.readFileSync(f,"utf8"),{filename:f})'
    local worker; worker=$(cat "$dir/webnn-wasm-$name.worker.js")
    [[ $worker == *"$eval_load"* ]] || { echo "$dir/webnn-wasm-$name.worker.js: the eval to replace is gone"; return 1; }
    printf '%s\n' "${worker/"$eval_load"/"$vm_load"}" > dist/webnn-wasm-$name.worker.js
  fi
  # The browser glue: the same glue as an ES module (js/loader.js imports it in pages and workers).
  { cat "$dir/webnn-wasm-$name.js"
    printf '\n// (webnn-wasm) for js/loader.js when a bundler dropped the export\n'
    printf 'globalThis[Symbol.for("webnn-wasm.factory")] = createWebnnModule;\n'
    printf 'export default createWebnnModule;\n'
  } > dist/webnn-wasm-$name.mjs
  echo "built dist/webnn-wasm-$name.wasm ($(stat -c %s dist/webnn-wasm-$name.wasm) bytes)"
}

mkdir -p build dist
pids=()
for v in $variants; do
  build_variant "$v" &
  pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
# The CDN build (one ES module: API + loader + polyfill) that finds these files next to itself.
node scripts/build-cdn.mjs || status=1
exit $status
