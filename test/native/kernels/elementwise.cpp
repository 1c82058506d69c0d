// The element-wise kernels: the binary row kernel against its scalar twin, the element-wise chain
// interpreter against op-by-op evaluation, and the float16 conversions (exact, round to nearest even).
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "core/thread_pool.h"
#include "harness.h"
#include "kernels/elementwise/binary_row.h"
#include "kernels/elementwise/chain.h"
#include "kernels/elementwise/float16.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("binary row kernel matches its scalar twin for every op and stride", "[perf][elementwise]") {
  // Rows of up to 67 read from offsets 1 and 2: room for 67 + 2 elements.
  auto a = randomFloats(69, 1, -3.f, 3.f), b = randomFloats(69, 2, 0.5f, 3.f);
  a[5] = NAN;
  for (BinaryOp op : {BinaryOp::Add, BinaryOp::Sub, BinaryOp::Mul, BinaryOp::Div, BinaryOp::Max, BinaryOp::Min,
                      BinaryOp::Pow}) {
    for (size_t as : {0, 1})
      for (size_t bs : {0, 1})
        for (size_t n : {0, 1, 3, 4, 7, 8, 13, 67}) {
          std::vector<float> got(n + 1, -7.f), want(n + 1, -7.f);
          binaryRowF32(op, a.data() + 1, as, b.data() + 2, bs, got.data(), n);
          binaryRowF32Scalar(op, a.data() + 1, as, b.data() + 2, bs, want.data(), n);
          INFO("op " << int(op) << " strides " << as << "," << bs << " n " << n);
          for (size_t i = 0; i <= n; ++i) {
            if (std::isnan(want[i])) CHECK(std::isnan(got[i]));
            else CHECK(got[i] == want[i]);  // exact (±0 compare equal)
          }
        }
  }
}

TEST_CASE("element-wise chain interpreter equals op-by-op evaluation", "[perf][chain]") {
  const size_t rows = 37, row = 96, n = rows * row;  // several tiles, a ragged last one
  auto src = randomFloats(n, 4, -2.f, 2.f), full = randomFloats(n, 5, 0.5f, 2.f), rowData = randomFloats(row, 6);
  float scalar = 0.75f;
  auto column = randomFloats(rows, 7, 0.5f, 2.f);  // one value per row of `row` outputs
  std::vector<ChainOp> ops(6);
  ops[0].isBinary = true, ops[0].op = BinaryOp::Add, ops[0].side = ChainSide::Row, ops[0].rowLength = row;
  ops[1].act.kind = ActivationKind::Sigmoid;
  ops[2].isBinary = true, ops[2].op = BinaryOp::Sub, ops[2].valueIsLeft = false, ops[2].side = ChainSide::Scalar;
  ops[3].isBinary = true, ops[3].op = BinaryOp::Div, ops[3].side = ChainSide::Full;
  ops[4].act.kind = ActivationKind::Clamp, ops[4].act.minValue = 0.f;
  ops[5].isBinary = true, ops[5].op = BinaryOp::Sub, ops[5].side = ChainSide::Column, ops[5].rowLength = row;
  const float* sides[6] = {rowData.data(), nullptr, &scalar, full.data(), nullptr, column.data()};
  // Op-by-op with naive loops.
  std::vector<float> want(n);
  for (size_t i = 0; i < n; ++i) {
    float v = src[i] + rowData[i % row];
    v = 1.f / (1.f + std::exp(-v));
    v = scalar - v;
    v = v / full[i];
    want[i] = std::max(v, 0.f) - column[i / row];
  }
  std::vector<float> ref(n);
  runElementwiseChainReference(ops, src.data(), sides, ref.data(), n);
  requireClose(ref, want, 1e-6f, 1e-5f);
  for (size_t threads : {1, 2}) {
    ThreadPool pool(threads);
    std::vector<float> got(n);
    runElementwiseChain(&pool, ops, src.data(), sides, got.data(), n);
    requireClose(got, want, 1e-6f, 1e-5f);
    std::vector<float> inplace = src;  // out == src
    runElementwiseChain(&pool, ops, inplace.data(), sides, inplace.data(), n);
    requireClose(inplace, want, 1e-6f, 1e-5f);
  }
}

TEST_CASE("float16 conversion is exact both ways and rounds to nearest even", "[float16]") {
  for (uint32_t h = 0; h < 65536; ++h) {
    float f = halfToFloat(uint16_t(h));
    uint16_t back = floatToHalf(f);
    bool nan = (h & 0x7c00) == 0x7c00 && (h & 0x3ff);
    if (nan) {
      CHECK(std::isnan(f));
      CHECK((back & 0x7c00) == 0x7c00);
      CHECK((back & 0x3ff) != 0);
    } else {
      REQUIRE(back == h);
    }
  }
  CHECK(halfToFloat(0x0001) == std::ldexp(1.f, -24));  // smallest subnormal
  CHECK(halfToFloat(0x7bff) == 65504.f);
  CHECK(floatToHalf(65519.f) == 0x7bff);
  CHECK(floatToHalf(65520.f) == 0x7c00);               // ties to even -> overflow to Inf
  CHECK(floatToHalf(1.f + std::ldexp(1.f, -11)) == 0x3c00);  // tie, even stays
  CHECK(floatToHalf(1.f + 3 * std::ldexp(1.f, -11)) == 0x3c02);  // tie, odd rounds up
  CHECK(floatToHalf(std::ldexp(1.f, -25)) == 0x0000);   // tie with 0 -> 0
  CHECK(floatToHalf(std::ldexp(1.5f, -25)) == 0x0001);
  CHECK(floatToHalf(std::ldexp(3.f, -25)) == 0x0002);   // 1.5 subnormal ulps: tie -> even 2
  CHECK(floatToHalf(-0.f) == 0x8000);
  CHECK(floatToHalf(-INFINITY) == 0xfc00);
}
