// The softmaxF32 kernel against double precision (column blocks, -inf and NaN columns, thread counts),
// and its SIMD128 path against its scalar twin: one algorithm (kernels/softmax/softmax.cpp), so they
// must agree to the bit. Natively both are the scalar code; the Wasm SIMD Catch2 run
// (scripts/run-wasm-native-tests.sh) is where the two differ in code and the twin test bites.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

#include "harness.h"
#include "kernels/softmax/softmax.h"
#include "core/thread_pool.h"

using namespace webnn;
using namespace webnn::test;

// The SIMD128 path for inner > 1 works on column blocks of up to 256 (narrower when a few slices are
// shared by threads) with the exp approximation; checked against double precision.
TEST_CASE("softmaxF32 kernel: inner > 1 column blocks, -inf and NaN columns, thread counts", "[softmax]") {
  struct Case {
    size_t outer, axis, inner;
  };
  const std::vector<Case> cases{{1, 5, 3}, {2, 7, 4}, {3, 4, 17}, {1, 33, 64}, {2, 3, 300}, {1, 9, 1031}, {5, 1, 6}, {4, 50, 1}};
  uint32_t seed = 90;
  for (const Case& c : cases)
    for (size_t threads : {1, 2, 3}) {
      std::vector<float> in = randomFloats(c.outer * c.axis * c.inner, seed++, -20.f, 20.f);
      if (c.inner > 2) {
        for (size_t a = 0; a < c.axis; ++a) in[a * c.inner + 1] = -INFINITY;  // column 1 of slice 0: all -inf
        in[(c.axis - 1) * c.inner + 2] = NAN;                               // column 2 of slice 0: a NaN
        in[c.inner] = 1e30f;                                                // large: max subtraction
      }
      std::vector<float> got(in.size());
      ThreadPool pool(threads);
      softmaxF32(&pool, in.data(), got.data(), c.outer, c.axis, c.inner);
      for (size_t o = 0; o < c.outer; ++o)
        for (size_t j = 0; j < c.inner; ++j) {
          const float* x = in.data() + o * c.axis * c.inner + j;
          double m = -INFINITY, sum = 0;
          bool nan = false;
          for (size_t a = 0; a < c.axis; ++a) m = std::max(m, double(x[a * c.inner])), nan = nan || std::isnan(x[a * c.inner]);
          for (size_t a = 0; a < c.axis; ++a) sum += std::exp(double(x[a * c.inner]) - m);
          for (size_t a = 0; a < c.axis; ++a) {
            size_t i = (o * c.axis + a) * c.inner + j;
            INFO("outer=" << c.outer << " axis=" << c.axis << " inner=" << c.inner << " threads=" << threads << " o=" << o
                          << " a=" << a << " j=" << j);
            if (nan || std::isinf(m)) {
              REQUIRE(std::isnan(got[i]));  // NaN in the column, or every value -inf (0 / 0)
            } else {
              double want = std::exp(double(in[i]) - m) / sum;
              REQUIRE(std::fabs(got[i] - want) <= 1e-6 + 1e-5 * want);
            }
          }
        }
    }
}

TEST_CASE("softmaxF32 and softmaxF32Scalar agree bit for bit", "[softmax][simd]") {
  struct Case {
    size_t outer, axis, inner;
  };
  // Axis lengths off and on multiples of 4 (the row path's lanes and tail), column blocks with and
  // without a tail, and widths split across threads.
  const std::vector<Case> cases{{3, 1, 1},  {2, 3, 1},  {4, 4, 1},   {2, 7, 1},  {1, 1000, 1}, {5, 33, 1},
                                {1, 5, 3},  {2, 7, 4},  {3, 4, 17},  {1, 33, 64}, {2, 3, 300}, {1, 9, 1031}};
  uint32_t seed = 700;
  for (const Case& c : cases)
    for (size_t threads : {1, 2, 3}) {
      std::vector<float> in = randomFloats(c.outer * c.axis * c.inner, seed++, -30.f, 30.f);
      if (in.size() > 8) {
        in[1] = -INFINITY;
        in[in.size() / 2] = NAN;
        in[in.size() - 2] = 1e30f;
      }
      if (c.inner == 1 && c.outer > 1)  // a slice of all -inf: NaN
        for (size_t a = 0; a < c.axis; ++a) in[c.axis + a] = -INFINITY;
      std::vector<float> simd(in.size()), scalar(in.size());
      ThreadPool pool(threads);
      softmaxF32(&pool, in.data(), simd.data(), c.outer, c.axis, c.inner);
      softmaxF32Scalar(in.data(), scalar.data(), c.outer, c.axis, c.inner);
      INFO("outer=" << c.outer << " axis=" << c.axis << " inner=" << c.inner << " threads=" << threads);
      for (size_t i = 0; i < in.size(); ++i) {
        INFO("i=" << i << " simd=" << simd[i] << " scalar=" << scalar[i]);
        if (std::isnan(scalar[i])) {
          REQUIRE(std::isnan(simd[i]));  // (a NaN's sign and payload are not specified by Wasm)
          continue;
        }
        uint32_t a, b;
        std::memcpy(&a, &simd[i], 4);
        std::memcpy(&b, &scalar[i], 4);
        REQUIRE(a == b);
      }
    }
}
