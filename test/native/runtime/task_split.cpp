// The element-wise maps split their range in the kernel (runSplit, kernels/task_split.h), not in the
// op: whatever the thread count and size (below, at and well above the split threshold, odd
// lengths), the threaded kernel must give exactly what one call over the whole range gives.
#include <catch2/catch.hpp>

#include <cstdint>
#include <cstring>

#include "harness.h"
#include "kernels/activation.h"
#include "kernels/elementwise/cast.h"
#include "kernels/elementwise/unary.h"
#include "core/thread_pool.h"

using namespace webnn;
using namespace webnn::test;

namespace {
const size_t kSizes[] = {1, 1000, 40000, 60001, 200003};
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
