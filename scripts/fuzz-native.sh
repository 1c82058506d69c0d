#!/usr/bin/env bash
# Builds the libFuzzer target over the C++ GraphBuilder (test/fuzz/graph_builder_fuzzer.cpp) with
# clang + ASan + UBSan into build/fuzz and runs it for N seconds (default 60):
#   bash scripts/fuzz-native.sh [seconds] [extra libFuzzer flags...]
# The corpus lives in build/fuzz/corpus (kept between runs); crashes land in build/fuzz/artifacts/.
# Replay one: build/fuzz/graph_builder_fuzzer build/fuzz/artifacts/crash-...
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-60}
shift || true
cmake -S . -B build/fuzz -DCMAKE_BUILD_TYPE=RelWithDebInfo -DCMAKE_CXX_COMPILER=clang++ -DWEBNN_FUZZ=ON \
  > build/fuzz.log 2>&1 || { tail -30 build/fuzz.log; exit 1; }
cmake --build build/fuzz --target graph_builder_fuzzer -j"${JOBS:-2}" >> build/fuzz.log 2>&1 || { tail -30 build/fuzz.log; exit 1; }
mkdir -p build/fuzz/corpus build/fuzz/artifacts
# One worker; each input gets 10 s (a hang is a bug); memory bounded (the target itself keeps
# graphs small, so hitting this is a leak or a runaway allocation).
build/fuzz/graph_builder_fuzzer build/fuzz/corpus -max_total_time="$secs" -timeout=10 -rss_limit_mb=4096 \
  -max_len=4096 -artifact_prefix=build/fuzz/artifacts/ -print_final_stats=1 "$@"
