// Shared by the compiler-pass tests (test/native/compiler/): a check on the plan report, a result
// with its plan, and the graph of issue #13 that every pass switch is tried on.
#pragma once
#include <catch2/catch.hpp>

#include <string>
#include <vector>

#include "compiler/compiler.h"
#include "harness.h"

namespace webnn::test {

inline bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

// A graph's first output and its plan report (MLGraph.debugPlan()).
struct PlanRun {
  std::vector<float> y;
  std::string plan;
};

// Issue #13: y = pow(a, 2) + pow(c, 2); the chain pass fused add into pow(a)'s step.
inline std::vector<float> powAddGraph(const CompileOptions& options, std::string* plan = nullptr) {
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

}  // namespace webnn::test
