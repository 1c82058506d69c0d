// Kernels split their range themselves (runSplit, kernels/task_split.h), not the op: whatever the thread count and size (below, at and well above the split threshold, odd
// lengths), the threaded kernel must give exactly what one call over the whole range gives.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>

#include "harness.h"
#include "kernels/activation.h"
#include "kernels/elementwise/binary.h"
#include "kernels/elementwise/broadcast.h"
#include "kernels/elementwise/cast.h"
#include "kernels/elementwise/unary.h"
#include "kernels/elementwise/where.h"
#include "kernels/layout/index_map.h"
#include "kernels/layout/transpose.h"
#include "core/thread_pool.h"

using namespace webnn;
using namespace webnn::test;

namespace {
const size_t kSizes[] = {1, 1000, 40000, 60001, 200003};
size_t elements(const Shape& s) {
  size_t n = 1;
  for (uint32_t d : s) n *= d;
  return n;
}
}

TEST_CASE("unary, cast and activation kernels split over the pool give the single-call result", "[threads]") {
  uint32_t seed = 41;
  for (size_t threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    for (size_t n : kSizes) {
      INFO("threads=" << threads << " n=" << n);
      std::vector<float> x = randomFloats(n, seed++, -4.f, 4.f);
      for (UnaryOp op : {UnaryOp::Neg, UnaryOp::Exp, UnaryOp::Identity}) {
        std::vector<float> want(n), got(n);
        unaryKernel(op, DataType::Float32, x.data(), want.data(), n);
        unaryKernel(&pool, op, DataType::Float32, x.data(), got.data(), n);
        REQUIRE(std::memcmp(want.data(), got.data(), n * sizeof(float)) == 0);
      }
      std::vector<int64_t> xi(n), wantI(n), gotI(n);
      for (size_t i = 0; i < n; ++i) xi[i] = int64_t(x[i] * 1000) - 7;
      unaryKernel(UnaryOp::Abs, DataType::Int64, xi.data(), wantI.data(), n);
      unaryKernel(&pool, UnaryOp::Abs, DataType::Int64, xi.data(), gotI.data(), n);
      REQUIRE(wantI == gotI);
      // a cast that changes the element size (offsets differ on each side)
      std::vector<int8_t> want8(n), got8(n);
      castKernel(DataType::Float32, DataType::Int8, x.data(), want8.data(), n);
      castKernel(&pool, DataType::Float32, DataType::Int8, x.data(), got8.data(), n);
      REQUIRE(want8 == got8);
      for (ActivationKind kind : allActivationKinds()) {
        INFO("activation " << int(kind));
        Activation act = makeActivation(kind);
        std::vector<float> want(n), got(n);
        activationF32(act, x.data(), want.data(), n);
        activationF32(&pool, act, x.data(), got.data(), n);
        REQUIRE(std::memcmp(want.data(), got.data(), n * sizeof(float)) == 0);
      }
    }
  }
}

// Binary ops and where split their output in element ranges that may start and end inside a row
// (a same-shape or scalar operation is a single row); data movement splits in whole output rows,
// each task with its own odometer. Every split must give the single-call result, in every
// broadcast case, with the threshold's normal sizes and with splitAllWork (single-element blocks).
TEST_CASE("binary, where, transpose and index-map copies split over the pool give the single-call result",
          "[threads]") {
  uint32_t seed = 77;
  struct Case { Shape a, b, out; };
  const Case cases[] = {
      {{200003}, {200003}, {200003}},               // same shape: one row
      {{8, 4, 64, 64}, {}, {8, 4, 64, 64}},         // a scalar operand: one row
      {{300, 257}, {257}, {300, 257}},              // a row
      {{300, 257}, {300, 1}, {300, 257}},           // a column
      {{3, 1, 5000}, {1, 7, 1}, {3, 7, 5000}},      // both sides broadcast
      {{17, 13}, {13}, {17, 13}},                   // small (split only when splitting all work)
  };
  for (bool splitAll : {false, true}) {
    for (size_t threads : {2, 3}) {
      ThreadPool pool(threads);
      pool.setSplitAllWork(splitAll);
      for (const Case& c : cases) {
        INFO("threads=" << threads << " splitAll=" << splitAll << " out=" << shapeToString(c.out));
        const BroadcastPlan plan = makeBroadcastPlan(c.a, c.b, c.out);
        const size_t na = elements(c.a), nb = elements(c.b), n = elements(c.out);
        std::vector<float> a = randomFloats(na, seed++), b = randomFloats(nb, seed++), want(n), got(n);
        for (BinaryOp op : {BinaryOp::Sub, BinaryOp::Pow}) {  // the SIMD row kernel; a per-element loop
          binaryKernel(nullptr, op, DataType::Float32, plan, a.data(), b.data(), want.data());
          binaryKernel(&pool, op, DataType::Float32, plan, a.data(), b.data(), got.data());
          REQUIRE(std::memcmp(want.data(), got.data(), n * sizeof(float)) == 0);
        }
        std::vector<int32_t> ai(na), bi(nb), wantI(n), gotI(n);
        for (size_t i = 0; i < na; ++i) ai[i] = int32_t(a[i] * 1000);
        for (size_t i = 0; i < nb; ++i) bi[i] = int32_t(b[i] * 1000);
        binaryKernel(nullptr, BinaryOp::Sub, DataType::Int32, plan, ai.data(), bi.data(), wantI.data());
        binaryKernel(&pool, BinaryOp::Sub, DataType::Int32, plan, ai.data(), bi.data(), gotI.data());
        REQUIRE(wantI == gotI);
        // where(a > 0, a, b) over the same broadcast
        std::vector<uint8_t> cond(na);
        for (size_t i = 0; i < na; ++i) cond[i] = a[i] > 0;
        const WherePlan wp = makeWherePlan(c.a, c.a, c.b, c.out, sizeof(float));
        whereKernel(nullptr, wp, cond.data(), a.data(), b.data(), want.data());
        whereKernel(&pool, wp, cond.data(), a.data(), b.data(), got.data());
        REQUIRE(std::memcmp(want.data(), got.data(), n * sizeof(float)) == 0);
      }
      // transpose: a gather along the innermost output dim, and memcpy rows
      for (const std::vector<size_t>& perm : {std::vector<size_t>{0, 2, 3, 1}, std::vector<size_t>{0, 2, 1, 3}}) {
        const Shape in{8, 64, 4, 17};
        const size_t n = elements(in);
        std::vector<float> x = randomFloats(n, seed++), want(n), got(n);
        transposeKernel(nullptr, sizeof(float), in, perm.data(), x.data(), want.data());
        transposeKernel(&pool, sizeof(float), in, perm.data(), x.data(), got.data());
        REQUIRE(std::memcmp(want.data(), got.data(), n * sizeof(float)) == 0);
      }
      // an index-map copy: tile [64, 1, 3] x [1, 33, 2] -> [64, 33, 6] (rows of one repeated
      // element, repeated rows) and a fill where an offset is -1
      IndexMaps m;
      m.elementSize = sizeof(float);
      m.outShape = {64, 33, 6};
      m.offsets.resize(3);
      for (int64_t i = 0; i < 64; ++i) m.offsets[0].push_back(i == 5 ? -1 : i * 3 * 4);
      m.offsets[1].assign(33, 0);
      for (int64_t i = 0; i < 6; ++i) m.offsets[2].push_back((i % 3) * 4);
      m.fill.assign(4, 0x7f);
      std::vector<float> x = randomFloats(64 * 3, seed++), want(64 * 33 * 6), got(64 * 33 * 6);
      indexMapCopy(nullptr, m, x.data(), want.data());
      indexMapCopy(&pool, m, x.data(), got.data());
      REQUIRE(std::memcmp(want.data(), got.data(), want.size() * sizeof(float)) == 0);
      for (auto& o : m.offsets[2]) o = 8;  // every row one repeated element
      indexMapCopy(nullptr, m, x.data(), want.data());
      indexMapCopy(&pool, m, x.data(), got.data());
      REQUIRE(std::memcmp(want.data(), got.data(), want.size() * sizeof(float)) == 0);
    }
  }
}
