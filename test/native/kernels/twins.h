// Shared helpers of the twin tests (test/native/kernels/*_twins.cpp): every SIMD128 kernel against
// its scalar twin on the same seeded inputs (tails, edge values), see README-twins.md.
//
// In the Wasm SIMD128 Catch2 build (scripts/run-wasm-native-tests.sh) the two sides are different
// code and the tests bite. In builds without SIMD128 (native, scalar Wasm) the SIMD side does not
// exist: WEBNN_SIMD_TWIN names the scalar twin instead and the tests compare it with itself (the
// "[twins]" build test says so with a warning); the semantics checks still run.
#pragma once
#include <cmath>
#include <cstdint>
#include <cstring>
#include <sstream>
#include <string>
#include <vector>

#include "harness.h"

#ifdef __wasm_simd128__
#define WEBNN_SIMD_TWIN(simdFn, scalarFn) simdFn
#else
#define WEBNN_SIMD_TWIN(simdFn, scalarFn) scalarFn
#endif

namespace webnn::test::twins {

#ifdef __wasm_simd128__
constexpr bool kSimdBuild = true;
#else
constexpr bool kSimdBuild = false;
#endif

// Values that take kernels off their common path: signed zeros, NaN, infinities, denormals, the
// edges of the normal range, magnitudes that overflow a sum or an exp.
inline const std::vector<float>& edgeValues() {
  static const std::vector<float> v = {0.f,     -0.f,      NAN,       -NAN,     INFINITY, -INFINITY,
                                       1e-45f,  -1e-45f,   3e-39f,    -3e-39f,  1.17549435e-38f, -1.17549435e-38f,
                                       3.4e38f, -3.4e38f,  1e30f,     -1e30f,   88.8f,    -104.f,
                                       1.f,     -1.f,      0.625f,    -0.625f,  1e-7f,    -1e-7f};
  return v;
}

// n floats uniform in [lo, hi) from the harness's portable generator, about one in `every` replaced
// by an edge value (every == 0: none).
inline std::vector<float> twinInput(size_t n, uint32_t seed, float lo, float hi, uint32_t every = 8) {
  Rng rng(seed);
  const std::vector<float>& edges = edgeValues();
  std::vector<float> v(n);
  for (float& x : v) {
    x = rng.uniform(lo, hi);
    if (every && rng.next() % every == 0) x = edges[rng.next() % edges.size()];
  }
  return v;
}

// Lengths around the SIMD widths (4 lanes, 8 and 16-float blocks) and their tails.
inline const std::vector<size_t>& tailSizes() {
  static const std::vector<size_t> v = {0, 1, 2, 3, 4, 5, 7, 8, 9, 12, 15, 16, 17, 23, 31, 32, 33, 63, 64, 65, 100, 257};
  return v;
}

// a and b agree: the same bits (so -0 differs from +0), or both NaN (Wasm does not specify a NaN's
// sign and payload); with maxUlp > 0, within that many ulp and of the same sign.
inline bool twinEqual(float a, float b, int64_t maxUlp = 0) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  uint32_t ia, ib;
  std::memcpy(&ia, &a, 4);
  std::memcpy(&ib, &b, 4);
  if (ia == ib) return true;
  return maxUlp > 0 && std::signbit(a) == std::signbit(b) && ulpDistance(a, b) <= maxUlp;
}
inline bool twinEqual(double a, double b) {
  if (std::isnan(a) || std::isnan(b)) return std::isnan(a) && std::isnan(b);
  uint64_t ia, ib;
  std::memcpy(&ia, &a, 8);
  std::memcpy(&ib, &b, 8);
  return ia == ib;
}

// One assertion per comparison: the first index where the SIMD and scalar results disagree, or n.
template <typename T>
size_t firstMismatch(const T* simd, const T* scalar, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (!twinEqual(simd[i], scalar[i])) return i;
  return n;
}

template <typename T>
std::string describeMismatch(const T* simd, const T* scalar, size_t n, size_t i) {
  std::ostringstream s;
  s.precision(9);
  if (i < n) s << "first mismatch at " << i << " of " << n << ": simd " << simd[i] << ", scalar " << scalar[i];
  return s.str();
}

// REQUIRE that two result buffers agree bit for bit (NaN matching NaN).
#define REQUIRE_TWINS(simdVec, scalarVec)                                                                     \
  do {                                                                                                        \
    REQUIRE((simdVec).size() == (scalarVec).size());                                                          \
    const size_t twinAt_ = ::webnn::test::twins::firstMismatch((simdVec).data(), (scalarVec).data(), (simdVec).size()); \
    INFO(::webnn::test::twins::describeMismatch((simdVec).data(), (scalarVec).data(), (simdVec).size(), twinAt_)); \
    REQUIRE(twinAt_ == (simdVec).size());                                                                     \
  } while (0)

}  // namespace webnn::test::twins
