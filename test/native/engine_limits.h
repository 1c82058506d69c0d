// The sizes and time limits of the engine-limit tests (issue #19): api/engine_limits.cpp (build time)
// and runtime/memory_plan.cpp (planning time).
#pragma once

namespace webnn::test {

#if defined(__EMSCRIPTEN__)
// The Wasm Catch2 build (scripts/run-wasm-native-tests.sh) uses Emscripten's JS-based exceptions,
// which route calls through JS: its times say nothing about the engine (test/js/engine-limits.test.mjs
// times the real Wasm builds), so there the graphs are smaller and only the results are checked.
constexpr int kNodes = 20000;
constexpr double kCpuSecondsLimit = 1e9;
#else
constexpr int kNodes = 100000;
constexpr double kCpuSecondsLimit = 5.0;
#endif

}  // namespace webnn::test
