// The optimized paths of the "Fast" work against references: the SIMD row kernels against their
// scalar twins, the exp/sigmoid/tanh approximations against std::, the element-wise chain
// interpreter against op-by-op evaluation, and each compiler pass (element-wise chains, reshape
// aliasing, constant folding, NCHW layout) against the same graph without it.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "harness.h"
#include "kernels/activation.h"
#include "kernels/elementwise/binary_row.h"
#include "kernels/elementwise/chain.h"
#include "core/thread_pool.h"

using namespace webnn;
using namespace webnn::test;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

}  // namespace

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

TEST_CASE("exp, sigmoid and tanh approximations stay within a few ulp", "[perf][activation]") {
  int64_t worstExp = 0, worstSigmoid = 0, worstTanh = 0;
  for (int i = -200000; i <= 200000; ++i) {
    float x = float(i) * 4.4e-4f;  // [-88, 88]
    worstExp = std::max(worstExp, ulpDistance(expApprox(x), std::exp(x)));
    float xs = float(i) * 1e-4f;  // [-20, 20]
    worstSigmoid = std::max(worstSigmoid, ulpDistance(sigmoidApprox(xs), 1.f / (1.f + std::exp(-xs))));
    worstTanh = std::max(worstTanh, ulpDistance(tanhApprox(xs), std::tanh(xs)));
  }
  CHECK(worstExp <= 4);
  CHECK(worstSigmoid <= 8);   // WPT allows 34 ulp for sigmoid
  CHECK(worstTanh <= 8);      // WPT: 1/1024 absolute (we stay near ulp-exact)
  CHECK(std::isinf(expApprox(89.f)));
  CHECK(expApprox(-200.f) == 0.f);
  CHECK(std::isnan(expApprox(NAN)));
  CHECK(sigmoidApprox(-200.f) == 0.f);
  CHECK(sigmoidApprox(200.f) == 1.f);
  CHECK(tanhApprox(-50.f) == -1.f);
  CHECK(std::isnan(tanhApprox(NAN)));
  CHECK(std::isnan(sigmoidApprox(NAN)));
  CHECK(tanhApprox(1e-30f) == 1e-30f);
}

TEST_CASE("activation kernel matches its scalar twin for every kind", "[perf][activation]") {
  auto x = randomFloats(103, 3, -8.f, 8.f);
  x[0] = 0.f;
  x[1] = -0.f;
  for (int k = 0; k <= int(ActivationKind::Softsign); ++k) {
    Activation act;
    act.kind = ActivationKind(k);
    act.minValue = -1.5f;
    act.maxValue = 2.5f;
    act.alpha = 0.3f;
    act.beta = 0.4f;
    std::vector<float> got(x.size()), want(x.size());
    activationF32(act, x.data(), got.data(), x.size());
    activationF32Scalar(act, x.data(), want.data(), x.size());
    INFO("kind " << k);
    requireClose(got, want, 1e-6f, 1e-5f);
  }
}

TEST_CASE("element-wise chain interpreter equals op-by-op evaluation", "[perf][chain]") {
  const size_t rows = 37, row = 96, n = rows * row;  // several tiles, a ragged last one
  auto src = randomFloats(n, 4, -2.f, 2.f), full = randomFloats(n, 5, 0.5f, 2.f), rowData = randomFloats(row, 6);
  float scalar = 0.75f;
  std::vector<ChainOp> ops(5);
  ops[0].isBinary = true, ops[0].op = BinaryOp::Add, ops[0].side = ChainSide::Row, ops[0].rowLength = row;
  ops[1].act.kind = ActivationKind::Sigmoid;
  ops[2].isBinary = true, ops[2].op = BinaryOp::Sub, ops[2].valueIsLeft = false, ops[2].side = ChainSide::Scalar;
  ops[3].isBinary = true, ops[3].op = BinaryOp::Div, ops[3].side = ChainSide::Full;
  ops[4].act.kind = ActivationKind::Clamp, ops[4].act.minValue = 0.f;
  const float* sides[5] = {rowData.data(), nullptr, &scalar, full.data(), nullptr};
  // Op-by-op with naive loops.
  std::vector<float> want(n);
  for (size_t i = 0; i < n; ++i) {
    float v = src[i] + rowData[i % row];
    v = 1.f / (1.f + std::exp(-v));
    v = scalar - v;
    v = v / full[i];
    want[i] = std::max(v, 0.f);
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

TEST_CASE("compiler: element-wise chains fuse into one in-place step with the same result", "[perf][compiler]") {
  auto xv = randomFloats(4 * 5 * 6, 7), cv = randomFloats(6, 8), fv = randomFloats(4 * 5 * 6, 9, 0.5f, 1.f);
  std::vector<float> results[2];
  for (int variant = 0; variant < 2; ++variant) {
    GraphHarness h(2);
    int x = h.input("x", {4, 5, 6}, xv);
    int f = h.input("f", {4, 5, 6}, fv);
    int c = h.constant({6}, cv);
    int s = h.constant({}, std::vector<float>{2.f});
    int pre = h.op("mul", {{"a", x}, {"b", f}});           // not constant-fed: starts the chain
    int a1 = h.op("add", {{"a", pre}, {"b", c}});
    int a2 = h.op("tanh", {{"input", a1}});
    int a3 = h.op("sub", {{"a", s}, {"b", a2}});             // running value on the right
    int a4 = h.op("max", {{"a", a3}, {"b", f}});             // a full-shape side
    int a5 = h.op("leakyRelu", {{"input", a4}}, attrs({{"alpha", 0.2}}));
    std::string plan;
    // variant 1 also outputs a2, which splits the chain.
    auto got = variant == 0 ? h.run({a5}, &plan) : h.run({a5, a2}, &plan);
    results[variant] = got[0];
    INFO(plan);
    if (variant == 0) {
      CHECK(contains(plan, "steps: 1\n"));
      CHECK(contains(plan, "elementwise-chains: mul#0 + add#1 + tanh#2 + sub#3 + max#4 + leakyRelu#5"));
    } else {
      CHECK(contains(plan, "steps: 2\n"));
    }
  }
  std::vector<float> want(xv.size());
  for (size_t i = 0; i < xv.size(); ++i) {
    float v = std::tanh(xv[i] * fv[i] + cv[i % 6]);
    v = std::max(2.f - v, fv[i]);
    want[i] = v < 0 ? 0.2f * v : v;
  }
  requireClose(results[0], want, 1e-5f, 1e-5f);
  requireClose(results[1], want, 1e-5f, 1e-5f);
}

// add(pow(x, 2), pow(relu(x), 2)): the chain pow#0 + add reads the second pow, computed after its
// head, so its step must run after that pow's (found by onnxruntime-web's audio front-end; issue #13).
TEST_CASE("compiler: an element-wise chain never reads a value computed after its head", "[perf][compiler]") {
  auto xv = randomFloats(40, 11);
  GraphHarness h;
  int x = h.input("x", {40}, xv);
  int two = h.constant({}, std::vector<float>{2.f});
  int p1 = h.op("pow", {{"a", x}, {"b", two}});
  int r = h.op("relu", {{"input", x}});
  int p2 = h.op("pow", {{"a", r}, {"b", two}});
  int sum = h.op("add", {{"a", p1}, {"b", p2}});
  std::string plan;
  auto got = h.run({sum}, &plan);
  INFO(plan);
  size_t chain = plan.find(": pow+add"), side = plan.find(": relu+pow");
  REQUIRE(chain != std::string::npos);
  REQUIRE(side != std::string::npos);
  CHECK(side < chain);  // steps are listed in the order they run
  std::vector<float> want(xv.size());
  for (size_t i = 0; i < xv.size(); ++i) want[i] = xv[i] * xv[i] + std::max(xv[i], 0.f) * std::max(xv[i], 0.f);
  requireClose(got[0], want, 1e-6f, 1e-6f);
}

TEST_CASE("compiler: 100 chained adds run as one step", "[perf][compiler]") {
  GraphHarness h;
  auto xv = randomFloats(16, 10);
  int x = h.input("x", {1, 16}, xv);
  std::vector<std::vector<float>> consts;
  int y = x;
  for (int i = 0; i < 100; ++i) {
    consts.push_back(randomFloats(16, 100 + i));
    y = h.op("add", {{"a", y}, {"b", h.constant({16}, consts.back())}});
  }
  std::string plan;
  auto got = h.run({y}, &plan);
  CHECK(contains(plan, "steps: 1\n"));
  std::vector<float> want = xv;
  for (auto& c : consts)
    for (size_t i = 0; i < 16; ++i) want[i] += c[i];
  requireClose(got[0], want, 1e-4f, 1e-5f);
}

TEST_CASE("compiler: reshape is a view unless it must be a copy", "[perf][compiler]") {
  auto xv = randomFloats(2 * 3 * 4, 11);
  SECTION("views of intermediates, inputs and constants") {
    GraphHarness h;
    int x = h.input("x", {2, 3, 4}, xv);
    int c = h.constant({2, 3, 4}, xv);
    int r0 = h.op("reshape", {{"input", x}}, attrs({{"newShape", std::vector<double>{6, 4}}}));  // views the input
    int rc = h.op("reshape", {{"input", c}}, attrs({{"newShape", std::vector<double>{6, 4}}}));  // views a constant
    int t = h.op("transpose", {{"input", r0}});                                                 // [4, 6]
    int r1 = h.op("reshape", {{"input", t}}, attrs({{"newShape", std::vector<double>{24}}}));   // views an intermediate
    int r2 = h.op("reshape", {{"input", r1}}, attrs({{"newShape", std::vector<double>{4, 6}}}));
    int y = h.op("transpose", {{"input", r2}});                                                 // back to [6, 4]
    int z = h.op("mul", {{"a", y}, {"b", rc}});                                                 // x * x
    std::string plan;
    auto got = h.run({z, r2}, &plan);  // r2 is also an output: that reshape stays a copy
    INFO(plan);
    CHECK(contains(plan, "view, step removed"));
    size_t reshapeSteps = 0;
    for (size_t at = 0; (at = plan.find(": reshape\n", at)) != std::string::npos; ++at) ++reshapeSteps;
    CHECK(reshapeSteps == 1);  // only the one writing a graph output copies
    std::vector<float> want(xv.size());
    for (size_t i = 0; i < xv.size(); ++i) want[i] = xv[i] * xv[i];
    requireClose(got[0], want);
    std::vector<float> tr(24);
    for (size_t i = 0; i < 6; ++i)
      for (size_t j = 0; j < 4; ++j) tr[j * 6 + i] = xv[i * 4 + j];
    requireClose(got[1], tr);
  }
}

TEST_CASE("compiler: an element-wise chain on a view of an input or constant never runs in place", "[perf][compiler]") {
  auto xv = randomFloats(24, 19), cv = randomFloats(24, 20);
  GraphHarness h;
  int x = h.input("x", {2, 12}, xv);
  int c = h.constant({2, 12}, cv);
  int rx = h.op("reshape", {{"input", x}}, attrs({{"newShape", std::vector<double>{4, 6}}}));
  int rc = h.op("reshape", {{"input", c}}, attrs({{"newShape", std::vector<double>{4, 6}}}));
  int a = h.op("relu", {{"input", h.op("add", {{"a", rx}, {"b", h.constant({}, std::vector<float>{1.f})}})}});
  int b = h.op("relu", {{"input", h.op("sigmoid", {{"input", rc}})}});
  std::string plan;
  auto got = h.run({a, b}, &plan);
  INFO(plan);
  CHECK(!contains(plan, "in place"));
  std::vector<float> wa(24), wb(24);
  for (size_t i = 0; i < 24; ++i) {
    wa[i] = std::max(xv[i] + 1.f, 0.f);
    wb[i] = 1.f / (1.f + std::exp(-cv[i]));
  }
  requireClose(got[0], wa);
  requireClose(got[1], wb, 1e-6f, 1e-5f);
  requireClose(h.inputData[0], xv, 0.f, 0.f);  // the bound input is untouched
}

TEST_CASE("compiler: constant subgraphs are folded at build", "[perf][compiler]") {
  GraphHarness h;
  auto xv = randomFloats(8, 12), av = randomFloats(8, 13), bv = randomFloats(8, 14);
  int x = h.input("x", {8}, xv);
  int a = h.constant({8}, av);
  int b = h.constant({8}, bv);
  int ab = h.op("mul", {{"a", a}, {"b", b}});
  int r = h.op("relu", {{"input", ab}});
  int y = h.op("add", {{"a", x}, {"b", r}});
  std::string plan;
  auto got = h.run({y}, &plan);
  INFO(plan);
  CHECK(contains(plan, "constant-folding: mul#0"));
  CHECK(contains(plan, "constant-folding: relu#1"));
  CHECK(contains(plan, "steps: 1\n"));
  std::vector<float> want(8);
  for (size_t i = 0; i < 8; ++i) want[i] = xv[i] + std::max(av[i] * bv[i], 0.f);
  requireClose(got[0], want);
}

TEST_CASE("compiler: consecutive NCHW conv/pool keep NHWC between them", "[perf][compiler][conv2d]") {
  auto xv = randomFloats(1 * 3 * 9 * 9, 15), w1 = randomFloats(5 * 3 * 3 * 3, 16), w2 = randomFloats(4 * 5 * 3 * 3, 17);
  auto b1 = randomFloats(5, 18);
  std::vector<float> results[2];
  for (int variant = 0; variant < 2; ++variant) {
    GraphHarness h(variant + 1);
    int x = h.input("x", {1, 3, 9, 9}, xv);
    Attributes pad = attrs({{"padding", std::vector<double>{1, 1, 1, 1}}});
    int c1 = h.op("conv2d", {{"input", x}, {"filter", h.constant({5, 3, 3, 3}, w1)}, {"bias", h.constant({5}, b1)}}, pad);
    int r1 = h.op("relu", {{"input", c1}});
    int p = h.op("maxPool2d", {{"input", r1}}, attrs({{"windowDimensions", std::vector<double>{2, 2}},
                                                       {"strides", std::vector<double>{2, 2}}}));
    int c2 = h.op("conv2d", {{"input", p}, {"filter", h.constant({4, 5, 3, 3}, w2)}}, pad);
    std::string plan;
    // variant 1 outputs every intermediate: no conversion can be skipped.
    auto got = variant == 0 ? h.run({c2}, &plan) : h.run({c2, r1, p}, &plan);
    INFO(plan);
    CHECK(contains(plan, "nchw-layout") == (variant == 0));
    if (variant == 0) {
      CHECK(contains(plan, "nchw-layout: conv2d#0 -> maxPool2d#2"));
      CHECK(contains(plan, "nchw-layout: maxPool2d#2 -> conv2d#3"));
    }
    results[variant] = got[0];
  }
  requireClose(results[0], results[1], 1e-5f, 1e-4f);
}
