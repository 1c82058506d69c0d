// Twin tests: softmaxF32 (SIMD128 rows and column blocks) against softmaxF32Scalar with edge values
// (signed zeros, denormals, huge magnitudes, infinities, NaN) and axis / inner lengths with tails.
// test_softmax_kernel.cpp covers more shapes and thread counts on ordinary data.
#include <catch2/catch.hpp>

#include "core/thread_pool.h"
#include "kernels/softmax/softmax.h"
#include "twins.h"

using namespace webnn;
using namespace webnn::test;
using namespace webnn::test::twins;

TEST_CASE("softmaxF32 and softmaxF32Scalar agree bit for bit on edge values", "[twins][softmax]") {
  ThreadPool pool(2);
  uint32_t seed = 400;
  for (size_t axis : {size_t(1), size_t(3), size_t(4), size_t(9), size_t(33), size_t(257)})
    for (size_t inner : {size_t(1), size_t(3), size_t(8), size_t(17)})
      for (uint32_t every : {0u, 3u, 11u})
        for (auto [lo, hi] : {std::pair{-5.f, 5.f}, {-200.f, 200.f}}) {
          const size_t outer = 3, n = outer * axis * inner;
          const std::vector<float> x = twinInput(n, seed++, lo, hi, every);
          std::vector<float> simd(n, 7.f), scalar(n, 7.f);
          softmaxF32(&pool, x.data(), simd.data(), outer, axis, inner);
          softmaxF32Scalar(x.data(), scalar.data(), outer, axis, inner);
          INFO("axis=" << axis << " inner=" << inner << " edges=" << every << " range " << hi);
          REQUIRE_TWINS(simd, scalar);
        }
}
