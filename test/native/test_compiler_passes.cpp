// The compiled-plan verifier (src/compiler/plan_verifier.h) on hand-made plans, the compiler pass
// switches, and regression tests for the miscompiles of issue #13 and the differential fuzzer.
#include <catch2/catch.hpp>

#include "compiler/plan_verifier.h"
#include "harness.h"

using namespace webnn;
using webnn::test::GraphHarness;

namespace {

Step step(const std::string& name, std::vector<int> reads, std::vector<int> writes) {
  return Step{name, std::move(reads), std::move(writes), nullptr};
}

// Operands 0 (input) and 1 (constant); 2, 3, 4 in a 256-byte arena at the given offsets; 5 the output.
struct HandPlan {
  alignas(64) unsigned char arena[256];
  float constant[4] = {1, 2, 3, 4};
  PlanLayout layout;
  HandPlan(size_t off2, size_t off3, size_t off4) {
    layout.arena = arena;
    layout.arenaBytes = sizeof arena;
    layout.pointers = {nullptr, constant, arena + off2, arena + off3, arena + off4, nullptr};
    layout.bytes.assign(6, 16);
    layout.inputs = {0};
    layout.outputs = {5};
  }
  Status verify(const std::vector<Step>& steps) const { return verifyPlan(steps, layout); }
};

void requireRejected(const Status& s, const std::string& what) {
  INFO(s.message());
  REQUIRE_FALSE(s.isOk());
  CHECK(s.kind() == ErrorKind::UnknownError);
  CHECK(s.message().find(what) != std::string::npos);
}

}  // namespace

TEST_CASE("plan verifier: a well-formed plan passes", "[verifier]") {
  HandPlan p(0, 64, 0);  // 4 reuses 2's bytes once 2 is dead
  CHECK(p.verify({step("a", {0, 1}, {2}), step("b", {2}, {3}), step("c", {3}, {4}), step("d", {4}, {5})}).isOk());
}

TEST_CASE("plan verifier: a step reading an operand no earlier step wrote is rejected", "[verifier]") {
  HandPlan p(0, 64, 128);
  // Issue #13's shape: the fused step runs before its side operand (3) is computed.
  requireRejected(p.verify({step("a", {0}, {2}), step("pow+add", {2, 3}, {5}), step("pow", {0}, {3})}),
                  "step 1 (pow+add) reads operand 3 before it is written");
}

TEST_CASE("plan verifier: bytes reused while a later step needs them are rejected", "[verifier]") {
  HandPlan p(0, 0, 128);  // 2 and 3 share bytes, but 2 is read after 3 is written
  requireRejected(p.verify({step("a", {0}, {2}), step("b", {0}, {3}), step("c", {2, 3}, {5})}),
                  "step 2 (c) reads operand 2");
}

Step inPlace(const std::string& name, std::vector<int> reads, int in, int out) {
  Step s = step(name, std::move(reads), {out});
  s.aliasIn = in;
  s.aliasOut = out;
  return s;
}

TEST_CASE("plan verifier: reading the input of an in-place step afterwards is rejected", "[verifier]") {
  HandPlan p(0, 0, 128);  // step b writes 3 over 2 in place; step c still reads 2
  CHECK(p.verify({step("a", {0}, {2}), inPlace("b", {2}, 2, 3), step("c", {3}, {5})}).isOk());
  requireRejected(p.verify({step("a", {0}, {2}), inPlace("b", {2}, 2, 3), step("c", {2}, {5})}),
                  "step 2 (c) reads operand 2");
  // A scratch buffer (written by its step) clobbers a live operand the same way.
  requireRejected(p.verify({step("a", {0}, {2}), step("b+scratch", {0}, {4, 3}), step("c", {2}, {5})}),
                  "step 2 (c) reads operand 2");
}

TEST_CASE("plan verifier: a step writing over bytes it reads is rejected unless declared in place", "[verifier]") {
  HandPlan p(0, 0, 128);  // 2 and 3 share bytes; 4 is an elided view of 2
  p.layout.views = {{2, 4}};
  p.layout.pointers[4] = p.arena;
  requireRejected(p.verify({step("a", {0}, {2}), step("b", {2}, {3}), step("c", {3}, {5})}),
                  "step 1 (b) writes operand 3 over operand 2, which it also reads");
  // In place over 2, but 2 is also read through its view 4 (a chain's side): rejected.
  requireRejected(p.verify({step("a", {0}, {2}), inPlace("b", {2, 4}, 2, 3), step("c", {3}, {5})}),
                  "step 1 (b) writes operand 3 over operand 4, which it also reads");
  requireRejected(p.verify({step("a", {0}, {2}), inPlace("b", {2, 2}, 2, 3), step("c", {3}, {5})}),
                  "writes operand 3 over operand 2, which it also reads");
}

TEST_CASE("plan verifier: a view reads its source's current bytes", "[verifier]") {
  HandPlan p(0, 0, 128);  // 3 is an elided view of 2
  p.layout.views = {{2, 3}};
  CHECK(p.verify({step("a", {0}, {2}), step("b", {3}, {5})}).isOk());
  // 4 overwrites... nothing here; but a step writing 2's bytes through another id invalidates the view.
  p.layout.pointers[4] = p.arena;
  requireRejected(p.verify({step("a", {0}, {2}), step("x", {0}, {4}), step("b", {3}, {5})}),
                  "step 2 (b) reads operand 3");
  requireRejected(p.verify({step("a", {0}, {2}), step("b", {0}, {3}), step("c", {3}, {5})}), "is a constant, an input or a view");
}

TEST_CASE("plan verifier: bad writes, unbound operands and unwritten outputs are rejected", "[verifier]") {
  HandPlan p(0, 64, 128);
  requireRejected(p.verify({step("a", {0}, {1}), step("b", {1}, {5})}), "writes operand 1, which is a constant");
  requireRejected(p.verify({step("a", {1}, {0}), step("b", {0}, {5})}), "writes operand 0");
  requireRejected(p.verify({step("a", {0}, {2})}), "no step writes output operand 5");
  requireRejected(p.verify({step("a", {5}, {2}), step("b", {2}, {5})}), "step 0 (a) reads operand 5 before it is written");
  requireRejected(p.verify({step("a", {0, 7}, {5})}), "reads operand 7, which has no buffer");
  p.layout.pointers[3] = p.arena + 8;  // not on the plan's 64-byte grid
  requireRejected(p.verify({step("a", {0}, {5})}), "misplaced in the arena");
}

namespace {

// Issue #13: y = pow(a, 2) + pow(c, 2); the chain pass fused add into pow(a)'s step.
std::vector<float> powAddGraph(const CompileOptions& options, std::string* plan = nullptr) {
  GraphHarness h;
  REQUIRE(h.context.setCompileOptions(options));
  int a = h.input("a", {4}, {1, 2, 3, 4});
  int c = h.input("c", {4}, {1, 1, 1, 1});
  int two = h.constant<float>({}, {2.f});
  int pa = h.op("pow", {{"a", a}, {"b", two}});
  int pc = h.op("pow", {{"a", c}, {"b", two}});
  int y = h.op("add", {{"a", pa}, {"b", pc}});
  return h.run({y}, plan)[0];
}

}  // namespace

TEST_CASE("element-wise chains: a chain runs after its side operands are computed (issue #13)", "[verifier][compiler]") {
  std::string plan;
  CHECK(powAddGraph(CompileOptions(), &plan) == std::vector<float>{2, 5, 10, 17});
  INFO(plan);
  CHECK(plan.find("elementwise-chains") != std::string::npos);  // still fused
  CHECK(plan.find("0: pow\n") != std::string::npos);              // pow(c) first, then pow+add
  CHECK(plan.find("1: pow+add\n") != std::string::npos);
}

TEST_CASE("compiler: every pass can be switched off, and the result does not change", "[compiler]") {
  for (const std::string& pass : compilerPassNames()) {
    INFO(pass);
    CompileOptions options;
    options.disabledPasses = {pass};
    std::string plan;
    CHECK(powAddGraph(options, &plan) == std::vector<float>{2, 5, 10, 17});
    if (pass == "elementwise-chains") CHECK(plan.find("elementwise-chains") == std::string::npos);
  }
  Context context(1);
  CompileOptions bad;
  bad.disabledPasses = {"no-such-pass"};
  CHECK_FALSE(context.setCompileOptions(bad));
  CHECK(context.error().kind() == ErrorKind::TypeError);
  CHECK(context.errorMessage().find("no-such-pass") != std::string::npos);
}

// The dead-nodes pass (src/compiler/dead_nodes.cpp) says what it dropped; nothing of it is lowered.
TEST_CASE("compiler: dead nodes are dropped and reported", "[compiler]") {
  GraphHarness h;
  int x = h.input("x", {4}, {1, -2, 3, -4});
  int unused = h.input("u", {4}, {0, 0, 0, 0});
  h.op("relu", {{"input", unused}});  // node 0: nothing reads it, nor its input
  h.op("neg", {{"input", x}});        // node 1: reads a live input, but no output needs it
  int y = h.op("abs", {{"input", x}});
  std::string plan;
  CHECK(h.run({y}, &plan)[0] == std::vector<float>{1, 2, 3, 4});
  INFO(plan);
  CHECK(plan.find("steps: 1\n") != std::string::npos);
  CHECK(plan.find("dead-nodes: neg#1 removed") != std::string::npos);
  CHECK(plan.find("dead-nodes: relu#0 removed") != std::string::npos);
}

// Found by the differential fuzzer (seed 1395): fusion took add(conv2d, scalar constant) for a
// per-channel bias and read `channels` floats from the one-float constant.
TEST_CASE("fusion: a scalar added to conv2d is not a per-channel bias", "[compiler]") {
  for (const char* layout : {"nhwc", "nchw"}) {
    INFO(layout);
    GraphHarness h;
    bool nhwc = std::string(layout) == "nhwc";
    int x = h.input("x", nhwc ? Shape{1, 2, 2, 1} : Shape{1, 1, 2, 2}, {1, 2, 3, 4});
    int w = h.constant<float>({3, 1, 1, 1}, {1, 10, 100});  // oihw = ohwi for 1x1: O=3 copies of x, scaled
    Attributes a;
    a.set("inputLayout", std::string(layout));
    a.set("filterLayout", std::string("ohwi"));
    int conv = h.op("conv2d", {{"input", x}, {"filter", w}}, a);
    int half = h.constant<float>(nhwc ? Shape{} : Shape{1, 1}, {0.5f});
    int y = h.op("add", {{"a", conv}, {"b", half}});
    std::vector<float> want;
    if (nhwc) {
      for (float v : {1.f, 2.f, 3.f, 4.f})
        for (float s : {1.f, 10.f, 100.f}) want.push_back(v * s + 0.5f);
    } else {
      for (float s : {1.f, 10.f, 100.f})
        for (float v : {1.f, 2.f, 3.f, 4.f}) want.push_back(v * s + 0.5f);
    }
    CHECK(h.run({y})[0] == want);
  }
}

// Found by the differential fuzzer (seed 778566): an element-wise chain written in place over its
// running value while a side operand was a view (reshape) of that value; the chain kernel reads a
// tile's sides after writing the tile, so it added tanh(t) instead of t.
TEST_CASE("memory-aliasing: no in-place chain when a side operand views the running value", "[compiler]") {
  GraphHarness h;
  int x = h.input("x", {2, 3}, {1, 2, 3, 4, 5, 6});
  Attributes perm;
  perm.set("permutation", std::vector<double>{1, 0});
  int t = h.op("transpose", {{"input", x}}, perm);  // [[1,4],[2,5],[3,6]], an arena intermediate
  int u = h.op("tanh", {{"input", t}});
  Attributes shape;
  shape.set("newShape", std::vector<double>{3, 2});
  int view = h.op("reshape", {{"input", t}}, shape);
  int y = h.op("add", {{"a", u}, {"b", view}});  // in the arena too: a transpose reads it
  int back = h.op("transpose", {{"input", y}}, perm);
  std::string plan;
  std::vector<float> got = h.run({back}, &plan)[0];
  INFO(plan);
  std::vector<float> want;
  for (float v : {1.f, 2.f, 3.f, 4.f, 5.f, 6.f}) want.push_back(std::tanh(v) + v);
  webnn::test::requireClose(got, want, 1e-6f, 1e-6f);
  CHECK(plan.find("elementwise-chains: tanh") != std::string::npos);  // still fused, just not in place
}

// Found by the differential fuzzer (seed 9003536): mul -> sigmoid became a chain because the only
// other reader of mul's output, an add, had already been absorbed into another chain (as a side
// operand) and so did not count; mul's output was never written.
TEST_CASE("element-wise chains: a side operand of another chain is not a chain's internal value", "[compiler]") {
  GraphHarness h;
  int x = h.input("x", {3}, {2.9f, 2.7f, 3.1f});
  int k = h.constant<float>({3}, {0.1f, 0.3f, 0.7f});
  int sp = h.op("softplus", {{"input", x}});
  int m = h.op("mul", {{"a", k}, {"b", x}});
  int sg = h.op("sigmoid", {{"input", m}});
  int d = h.op("sub", {{"a", sp}, {"b", sg}});
  int y = h.op("add", {{"a", m}, {"b", d}});
  std::vector<float> want;
  for (int i = 0; i < 3; ++i) {
    double xv = std::vector<double>{2.9, 2.7, 3.1}[i], mv = float(std::vector<double>{0.1, 0.3, 0.7}[i]) * float(xv);
    want.push_back(float(mv + (std::log1p(std::exp(xv)) - 1 / (1 + std::exp(-mv)))));
  }
  webnn::test::requireClose(h.run({y})[0], want, 1e-5f, 1e-5f);
}
