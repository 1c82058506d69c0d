// Twin tests: the float32 reductions' row primitives (kernels/reduce/reduce.h) in SIMD128 against
// their scalar twins: row sums / products of a term in double, row max / min, and their column
// (element-wise accumulate) forms. Same partial results in the same order: bit-for-bit agreement,
// including which zero a max of -0 and +0 keeps.
#include <catch2/catch.hpp>

#include "kernels/reduce/reduce.h"
#include "twins.h"

using namespace webnn;
using namespace webnn::test;
using namespace webnn::test::twins;

TEST_CASE("reduce row primitives: SIMD128 and scalar twins agree bit for bit", "[twins][reduce]") {
  uint32_t seed = 900;
  for (size_t n : tailSizes())
    for (uint32_t every : {0u, 3u, 17u})
      for (auto [lo, hi] : {std::pair{-2.f, 2.f}, {0.9f, 1.1f}}) {
        const std::vector<float> x = twinInput(n, seed++, lo, hi, every);
        INFO("n=" << n << " edges=" << every << " range [" << lo << ", " << hi << ")");
        for (ReduceTerm term : {ReduceTerm::Value, ReduceTerm::Abs, ReduceTerm::Square})
          for (bool product : {false, true}) {
            INFO("term " << int(term) << " product " << product);
            const std::vector<double> simd = {reduceRowF32(term, product, x.data(), n)};
            const std::vector<double> scalar = {reduceRowF32Scalar(term, product, x.data(), n)};
            REQUIRE_TWINS(simd, scalar);
            std::vector<double> acc0(n);  // earlier rows' partial results
            for (size_t i = 0; i < n; ++i) acc0[i] = double(i % 7) - 3.0;
            std::vector<double> accSimd = acc0, accScalar = acc0;
            accumulateColumnsF32(term, product, x.data(), accSimd.data(), n);
            accumulateColumnsF32Scalar(term, product, x.data(), accScalar.data(), n);
            REQUIRE_TWINS(accSimd, accScalar);
          }
        for (bool isMax : {true, false}) {
          INFO((isMax ? "max" : "min"));
          const std::vector<float> simd = {pickRowF32(isMax, x.data(), n)};
          const std::vector<float> scalar = {pickRowF32Scalar(isMax, x.data(), n)};
          REQUIRE_TWINS(simd, scalar);
          std::vector<float> ySimd = twinInput(n, seed + 1, -2.f, 2.f, 5), yScalar = ySimd;
          pickColumnsF32(isMax, x.data(), ySimd.data(), n);
          pickColumnsF32Scalar(isMax, x.data(), yScalar.data(), n);
          REQUIRE_TWINS(ySimd, yScalar);
        }
      }
}

TEST_CASE("reduce row primitives: NaN wins, infinities and zeros", "[twins][reduce]") {
  for (bool simd : {true, false}) {
    auto pickRow = simd ? pickRowF32 : pickRowF32Scalar;
    auto sumRow = simd ? reduceRowF32 : reduceRowF32Scalar;
    INFO((simd ? "pickRowF32 / reduceRowF32" : "scalar twins"));
    std::vector<float> x(19, 1.f);
    x[11] = NAN;
    CHECK(std::isnan(pickRow(true, x.data(), x.size())));
    CHECK(std::isnan(pickRow(false, x.data(), x.size())));
    CHECK(std::isnan(sumRow(ReduceTerm::Value, false, x.data(), x.size())));
    x[11] = INFINITY;
    CHECK(pickRow(true, x.data(), x.size()) == INFINITY);
    CHECK(sumRow(ReduceTerm::Square, false, x.data(), x.size()) == INFINITY);
    x[3] = -INFINITY;
    CHECK(std::isnan(sumRow(ReduceTerm::Value, false, x.data(), x.size())));
    CHECK(pickRow(false, x.data(), x.size()) == -INFINITY);
    CHECK(pickRow(true, x.data(), 0) == -INFINITY);
    CHECK(sumRow(ReduceTerm::Value, true, x.data(), 0) == 1.0);
  }
}
