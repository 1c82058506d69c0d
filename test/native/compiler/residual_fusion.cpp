// Pass "residual-add" (src/compiler/residual_fusion.h): a transformer's linear(x) + r folded into the
// matmul's epilogue. Fused and unfused plans give the same bits (same operations, same order), both
// match a float64 reference, and the pass leaves alone what it must not fuse.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>

#include "harness.h"

using namespace webnn;
using webnn::test::GraphHarness;
using webnn::test::Rng;
using webnn::test::randomVector;

namespace {

struct Residual {
  std::vector<float> y;
  std::string plan;
};

enum class Variant { Plain, ReluBetween, BroadcastRow, MatmulAlsoOutput };

// y = add(add(matmul(x, w), bias), r) with r = relu(rIn) (a computed operand), M x K times K x N.
Residual residualGraph(size_t threads, size_t M, size_t K, size_t N, bool disable, Variant v = Variant::Plain) {
  Rng rng(uint32_t(M * 131 + K * 7 + N));
  GraphHarness h(threads);
  CompileOptions options;
  if (disable) options.disabledPasses = {"residual-add"};
  REQUIRE(h.context.setCompileOptions(options));
  const uint32_t m = uint32_t(M), k = uint32_t(K), n = uint32_t(N);
  int x = h.input("x", {m, k}, randomVector(M * K, rng));
  const bool row = v == Variant::BroadcastRow;
  int rIn = h.input("r", row ? Shape{1, n} : Shape{m, n}, randomVector(row ? N : M * N, rng));
  int w = h.constant({k, n}, randomVector(K * N, rng));
  int bias = h.constant({n}, randomVector(N, rng));
  int mm = h.op("matmul", {{"a", x}, {"b", w}});
  int lin = h.op("add", {{"a", mm}, {"b", bias}});
  if (v == Variant::ReluBetween) lin = h.op("relu", {{"input", lin}});
  int r = h.op("relu", {{"input", rIn}});
  int y = h.op("add", {{"a", r}, {"b", lin}});  // the residual on the left: either side is taken
  Residual out;
  std::vector<int> outputs{y};
  if (v == Variant::MatmulAlsoOutput) outputs.push_back(lin);
  out.y = h.run(outputs, &out.plan)[0];
  return out;
}

}  // namespace

TEST_CASE("residual-add: matmul + bias + residual runs as one step, bit for bit the unfused result", "[compiler][residual]") {
  struct Case {
    size_t M, K, N;
  };
  // M = 1 and 3: the small-M kernels; 16 and 37: the 2x16 tile, K past one 256-row K block, N with a tail panel.
  for (const Case c : {Case{1, 70, 33}, Case{3, 9, 16}, Case{16, 600, 40}, Case{37, 300, 77}})
    for (size_t threads : {1, 2}) {
      INFO("M=" << c.M << " K=" << c.K << " N=" << c.N << " threads=" << threads);
      Residual fused = residualGraph(threads, c.M, c.K, c.N, false);
      Residual plain = residualGraph(threads, c.M, c.K, c.N, true);
      INFO(fused.plan);
      CHECK(fused.plan.find("residual-add: matmul#0 + add#") != std::string::npos);
      CHECK(fused.plan.find("matmul+add+add(residual)") != std::string::npos);
      CHECK(fused.plan.find("steps: 2\n") != std::string::npos);  // relu, then the matmul
      CHECK(plain.plan.find("residual-add") == std::string::npos);
      REQUIRE(fused.y.size() == plain.y.size());
      CHECK(std::memcmp(fused.y.data(), plain.y.data(), fused.y.size() * sizeof(float)) == 0);

      // The float64 reference, from the same seeded data.
      Rng rng(uint32_t(c.M * 131 + c.K * 7 + c.N));
      std::vector<float> x = randomVector(c.M * c.K, rng), r = randomVector(c.M * c.N, rng);
      std::vector<float> w = randomVector(c.K * c.N, rng), bias = randomVector(c.N, rng);
      size_t bad = 0;
      for (size_t i = 0; i < c.M; ++i)
        for (size_t j = 0; j < c.N; ++j) {
          double s = bias[j], mag = std::fabs(bias[j]);
          for (size_t kk = 0; kk < c.K; ++kk) {
            s += double(x[i * c.K + kk]) * w[kk * c.N + j];
            mag += std::fabs(double(x[i * c.K + kk]) * w[kk * c.N + j]);
          }
          const double rv = std::max(0.f, r[i * c.N + j]);
          bad += !(std::fabs(fused.y[i * c.N + j] - (s + rv)) <= (double(c.K) + 4) * 6e-8 * (mag + rv) + 1e-6);
        }
      CHECK(bad == 0);
    }
}

TEST_CASE("residual-add: not after an activation, not a broadcast operand, not when the sum is observed", "[compiler][residual]") {
  for (Variant v : {Variant::ReluBetween, Variant::BroadcastRow, Variant::MatmulAlsoOutput}) {
    INFO("variant " << int(v));
    Residual fused = residualGraph(1, 4, 20, 24, false, v);
    Residual plain = residualGraph(1, 4, 20, 24, true, v);
    INFO(fused.plan);
    CHECK(fused.plan.find("residual-add") == std::string::npos);
    CHECK(std::memcmp(fused.y.data(), plain.y.data(), fused.y.size() * sizeof(float)) == 0);
  }
}
