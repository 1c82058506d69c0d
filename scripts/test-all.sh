#!/usr/bin/env bash
# Everything `npm test` runs: the native Catch2 suite (plain, Wasm, and under ASan + UBSan), the Node
# API tests against every Wasm variant, tfjs-core's backend suite on our TF.js backend, the package
# tests (npm pack + install into empty folders, every bundler) and the browser tests (Debian's
# Chromium and Firefox ESR). Prints one final "N passed, N failed" line.
set -uo pipefail
cd "$(dirname "$0")/.."
# Each section says when it started (CI must stay under 30 minutes on 2 cores).
section() { echo "== $* (at $((SECONDS / 60))m$((SECONDS % 60))s)"; }

# The package and browser tests need node_modules (playwright-core, puppeteer-core, the bundlers,
# typescript), Chromium and Firefox ESR:
# a fresh clone gets them from scripts/setup.sh (apt-get only what is missing, then npm ci).
if [ ! -d node_modules/playwright-core ] || [ ! -d node_modules/vite ] || ! command -v chromium >/dev/null 2>&1 || ! command -v firefox-esr >/dev/null 2>&1; then
  bash scripts/setup.sh || echo "scripts/setup.sh failed: the package/browser tests will fail"
fi

# Native and Wasm builds run side by side (2 cores).
mkdir -p build
(cmake -S . -B build/native -DCMAKE_BUILD_TYPE=Release > build/native-build.log 2>&1 && cmake --build build/native -j1 >> build/native-build.log 2>&1) &
native_pid=$!
# The same suite under ASan + UBSan (build/native-asan): built and run in the background, alongside
# the Wasm builds and the JS tests, in a process group of its own (setsid) so that, if its one-job
# build is still going when the rest is done, it can be stopped and finished with two; reported last.
asan_build() {
  cmake -S . -B build/native-asan -DCMAKE_BUILD_TYPE=Release -DWEBNN_SANITIZE=ON >> build/native-asan-build.log 2>&1 \
    && cmake --build build/native-asan -j"$1" >> build/native-asan-build.log 2>&1
}
asan_tests() {
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ./build/native-asan/webnn_native_tests > build/native-asan-tests.log 2>&1
}
export -f asan_build asan_tests
rm -f build/native-asan-build.log build/native-asan-built
setsid bash -c 'asan_build 1 && touch build/native-asan-built && asan_tests' &
asan_pid=$!
JOBS=1 bash scripts/build-wasm.sh || { echo "Wasm build failed"; echo "0 passed, 1 failed"; exit 1; }
wait $native_pid || { tail -40 build/native-build.log; echo "native build failed"; echo "0 passed, 1 failed"; exit 1; }

passed=0; failed=0
# Adds a Catch2 run's test-case counts (from its log) to passed/failed.
count_catch2() {
  local log=$1 rc=$2 summary line n_pass n_fail
  local plain; plain=$(sed 's/\x1b\[[0-9;]*m//g' "$log")  # under node, Catch2 colours its output
  if summary=$(echo "$plain" | grep -oE 'All tests passed \([0-9]+ assertions? in [0-9]+ test cases?\)'); then
    n_pass=$(echo "$summary" | grep -oE 'in [0-9]+' | grep -oE '[0-9]+'); n_fail=0
  else
    line=$(echo "$plain" | grep -E '^test cases:' | tail -1)
    n_pass=$(echo "$line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
    n_fail=$(echo "$line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 1)
  fi
  passed=$((passed + ${n_pass:-0})); failed=$((failed + ${n_fail:-0}))
  [ "$rc" -ne 0 ] && [ "${n_fail:-0}" -eq 0 ] && failed=$((failed + 1))
}
section "native tests (Catch2)"
./build/native/webnn_native_tests > build/native-tests.log 2>&1; native_rc=$?
tail -4 build/native-tests.log
count_catch2 build/native-tests.log $native_rc

# The same Catch2 suite compiled to Wasm (SIMD128 + threads): the only place the SIMD kernels are
# checked against the tests' references one by one (the host build compiles the scalar twins).
section "Wasm Catch2 tests (SIMD128 + threads, under node)"
bash scripts/run-wasm-native-tests.sh > build/wasm-catch2-tests.log 2>&1; wasm_rc=$?
grep -E "All tests passed|^test cases:|FAILED|error:" build/wasm-catch2-tests.log | sed 's/\x1b\[[0-9;]*m//g' | head -20
count_catch2 build/wasm-catch2-tests.log $wasm_rc

# Tests must never pass by skipping: the engine has to be there.
for v in simd-threads simd scalar; do
  [ -f dist/webnn-wasm-$v.wasm ] || { echo "dist/webnn-wasm-$v.wasm missing"; failed=$((failed + 1)); }
done
for v in simd-threads simd scalar; do
  section "node --test, variant $v"
  # WEBNN_VERIFY_PLANS=1: every graph the tests build has its compiled plan verified (plan_verifier.h).
  WEBNN_VERIFY_PLANS=1 WEBNN_WASM_VARIANT=$v node --test --test-reporter=spec test/js/ > build/js-tests-$v.log 2>&1; js_rc=$?
  grep -E "^ℹ (tests|pass|fail|skipped)" build/js-tests-$v.log | tr '\n' ' '; echo
  grep -B2 -A20 "✖" build/js-tests-$v.log | head -60
  j_pass=$(grep -E "^ℹ pass" build/js-tests-$v.log | grep -oE '[0-9]+' || echo 0)
  j_fail=$(grep -E "^ℹ fail" build/js-tests-$v.log | grep -oE '[0-9]+' || echo 0)
  passed=$((passed + j_pass)); failed=$((failed + j_fail))
  [ $js_rc -ne 0 ] && [ "$j_fail" -eq 0 ] && failed=$((failed + 1))
done

# tfjs-core's own backend suite (4,230 jasmine specs) against the 'webnn-wasm' TF.js backend,
# on the simd-threads variant (test/tfjs-suite/run.mjs; its exclude list is justified in docs/tfjs.md).
# Twice: as users run it, and on 2 threads that split even the smallest work (--split-all-work), so
# the specs' small tensors run the engine's threaded code paths too.
for mode in default split-all-work; do
  section "tfjs-core suite on the webnn-wasm TF.js backend (test/tfjs-suite, $mode)"
  flag=""; [ "$mode" = split-all-work ] && flag="--split-all-work"
  WEBNN_WASM_VARIANT=simd-threads node test/tfjs-suite/run.mjs $flag > build/tfjs-suite-$mode.log 2>&1; ts_rc=$?
  grep -E "^FAIL|^    " build/tfjs-suite-$mode.log | head -60
  tail -2 build/tfjs-suite-$mode.log
  ts_line=$(grep -E "^tfjs-core suite: [0-9]+ passed, [0-9]+ failed" build/tfjs-suite-$mode.log | tail -1)
  ts_pass=$(echo "$ts_line" | grep -oE '[0-9]+ passed' | grep -oE '[0-9]+' || echo 0)
  ts_fail=$(echo "$ts_line" | grep -oE '[0-9]+ failed' | grep -oE '[0-9]+' || echo 0)
  passed=$((passed + ${ts_pass:-0})); failed=$((failed + ${ts_fail:-0}))
  [ $ts_rc -ne 0 ] && [ "${ts_fail:-0}" -eq 0 ] && failed=$((failed + 1))
done

# Once, not per variant: the packed package used from a temp folder, and the pages in Chromium and Firefox.
for suite in package browser; do
  section "node --test, test/$suite"
  node --test --test-reporter=spec test/$suite/ > build/$suite-tests.log 2>&1; s_rc=$?
  grep -E "^ℹ (tests|pass|fail|skipped)" build/$suite-tests.log | tr '\n' ' '; echo
  grep -B2 -A20 "✖" build/$suite-tests.log | head -60
  s_pass=$(grep -E "^ℹ pass" build/$suite-tests.log | grep -oE '[0-9]+' || echo 0)
  s_fail=$(grep -E "^ℹ fail" build/$suite-tests.log | grep -oE '[0-9]+' || echo 0)
  passed=$((passed + s_pass)); failed=$((failed + s_fail))
  [ $s_rc -ne 0 ] && [ "$s_fail" -eq 0 ] && failed=$((failed + 1))
done

section "native tests under ASan + UBSan (build/native-asan)"
if kill -0 $asan_pid 2>/dev/null && [ ! -e build/native-asan-built ]; then
  # Still building with one job while the other core is idle: stop it (make keeps every finished
  # object) and finish with two.
  kill -TERM -- -$asan_pid 2>/dev/null; wait $asan_pid 2>/dev/null
  echo "(the ASan build continues with 2 jobs at $((SECONDS / 60))m$((SECONDS % 60))s)"
  asan_build 2 && asan_tests; asan_rc=$?
else
  wait $asan_pid; asan_rc=$?
fi
if [ $asan_rc -eq 0 ]; then
  tail -2 build/native-asan-tests.log; passed=$((passed + 1))
else
  if [ -s build/native-asan-tests.log ]; then grep -E -A30 "ERROR: AddressSanitizer|runtime error|LeakSanitizer|FAILED" build/native-asan-tests.log | head -60; tail -4 build/native-asan-tests.log
  else tail -30 build/native-asan-build.log; echo "native ASan build failed"; fi
  failed=$((failed + 1))
fi

echo "npm test took $((SECONDS / 60))m$((SECONDS % 60))s"
echo "$passed passed, $failed failed"
[ $failed -eq 0 ]
