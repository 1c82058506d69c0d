// The compiler's pass switches (every pass can be off, with the same result), and the passes that
// drop work: dead nodes and constant folding.
#include <catch2/catch.hpp>

#include <algorithm>

#include "compiler_graphs.h"
#include "harness.h"

using namespace webnn;
using namespace webnn::test;

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
