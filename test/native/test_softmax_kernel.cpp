// softmax's SIMD128 path and its scalar twin are one algorithm (kernels/softmax/softmax.cpp): they
// must agree to the bit. Natively both are the scalar code; the Wasm SIMD Catch2 run
// (scripts/run-wasm-native-tests.sh) is where the two differ in code and this test bites.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstdint>
#include <cstring>

#include "harness.h"
#include "kernels/softmax/softmax.h"
#include "core/thread_pool.h"

using namespace webnn;
using namespace webnn::test;

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
