// Twin tests: binaryRowF32 (SIMD128 add/sub/mul/div/max/min) against binaryRowF32Scalar for every
// stride case and tail, with edge values dense enough that signed zeros meet (max(-0, +0)) and NaNs
// and infinities meet each other. Bit-for-bit agreement (NaN payloads aside); max/min are IEEE
// maximum/minimum in every path, the broadcast kernel included.
#include <catch2/catch.hpp>

#include "core/thread_pool.h"
#include "kernels/elementwise/binary.h"
#include "kernels/elementwise/binary_row.h"
#include "twins.h"

using namespace webnn;
using namespace webnn::test;
using namespace webnn::test::twins;

namespace {

const BinaryOp kOps[] = {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div,
                         BinaryOp::Max, BinaryOp::Min, BinaryOp::Pow};

}  // namespace

TEST_CASE("binaryRowF32 and binaryRowF32Scalar agree bit for bit", "[twins][binary]") {
  uint32_t seed = 1000;
  for (BinaryOp op : kOps)
    for (size_t n : tailSizes())
      for (auto [as, bs] : {std::pair{size_t(1), size_t(1)}, {1, 0}, {0, 1}, {0, 0}})
        for (uint32_t every : {0u, 2u}) {
          const std::vector<float> a = twinInput(std::max<size_t>(n, 1), seed++, -3.f, 3.f, every);
          const std::vector<float> b = twinInput(std::max<size_t>(n, 1), seed++, -3.f, 3.f, every);
          std::vector<float> simd(n, 7.f), scalar(n, 7.f);
          binaryRowF32(op, a.data(), as, b.data(), bs, simd.data(), n);
          binaryRowF32Scalar(op, a.data(), as, b.data(), bs, scalar.data(), n);
          INFO("op " << int(op) << " n=" << n << " strides " << as << "," << bs << " edges=" << every);
          REQUIRE_TWINS(simd, scalar);
        }
}

TEST_CASE("binary max/min are IEEE maximum/minimum in the row twins and the broadcast kernel",
          "[twins][binary]") {
  // Every pair of these, a row of 8 (the SIMD body) and tails.
  const std::vector<float> v = {-0.f, 0.f, NAN, 1.f, -1.f, INFINITY, -INFINITY, 3e-39f};
  std::vector<float> a, b;
  for (float x : v)
    for (float y : v) a.push_back(x), b.push_back(y);
  const size_t n = a.size();
  auto expectMax = [](float x, float y) {
    if (std::isnan(x) || std::isnan(y)) return float(NAN);
    if (x == 0.f && y == 0.f) return (std::signbit(x) && std::signbit(y)) ? -0.f : 0.f;
    return x > y ? x : y;
  };
  auto expectMin = [](float x, float y) {
    if (std::isnan(x) || std::isnan(y)) return float(NAN);
    if (x == 0.f && y == 0.f) return (std::signbit(x) || std::signbit(y)) ? -0.f : 0.f;
    return x < y ? x : y;
  };
  std::vector<float> wantMax(n), wantMin(n);
  for (size_t i = 0; i < n; ++i) wantMax[i] = expectMax(a[i], b[i]), wantMin[i] = expectMin(a[i], b[i]);
  for (int path = 0; path < 3; ++path) {
    INFO((path == 0 ? "binaryRowF32" : path == 1 ? "binaryRowF32Scalar" : "binaryKernel"));
    for (bool isMax : {true, false}) {
      const BinaryOp op = isMax ? BinaryOp::Max : BinaryOp::Min;
      std::vector<float> got(n);
      if (path == 0) binaryRowF32(op, a.data(), 1, b.data(), 1, got.data(), n);
      if (path == 1) binaryRowF32Scalar(op, a.data(), 1, b.data(), 1, got.data(), n);
      if (path == 2) {
        const Shape s{uint32_t(n)};
        binaryKernel(nullptr, op, DataType::Float32, makeBroadcastPlan(s, s, s), a.data(), b.data(), got.data());
      }
      INFO((isMax ? "max" : "min"));
      REQUIRE_TWINS(got, isMax ? wantMax : wantMin);
    }
  }
}
