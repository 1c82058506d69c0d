// Engine limits (issue #19): build is linear in the node count (100k-node graphs). The memory plan's
// limits: runtime/memory_plan.cpp; the thread count's: runtime/thread_pool.cpp.
#include <ctime>
#include <vector>

#include <catch2/catch.hpp>

#include "engine_limits.h"
#include "harness.h"

using namespace webnn;
using namespace webnn::test;

namespace {

// CPU seconds (not wall time: CI machines are busy) spent in build() for the graph `make` adds to
// h, computing the outputs. The harness's context has one thread.
template <typename Make>
double buildSeconds(GraphHarness& h, Make make, std::vector<std::vector<float>>* results) {
  std::vector<int> outputs = make();
  std::clock_t t0 = std::clock();
  *results = h.run(outputs);  // build + one dispatch (microseconds here)
  return double(std::clock() - t0) / CLOCKS_PER_SEC;
}

}  // namespace

// Passes once quadratic in the node count: soleConsumer scanned every node per query (fusion,
// layout, element-wise chains), constant folding filled a pointer table over every operand per
// folded node (the memory plan: runtime/memory_plan.cpp's 200k-buffer test). 100k nodes took 30+ s;
// now well under a second each (the limit leaves room for sanitizers).
TEST_CASE("build is linear in the node count (100k-node graphs)", "[compiler][limits]") {
  const int n = kNodes;
  std::vector<std::vector<float>> out;
  SECTION("a transpose chain: 100k steps") {
    GraphHarness h;
    double s = buildSeconds(h, [&] {
      int x = h.input("x", {2, 3}, {1, 2, 3, 4, 5, 6});
      for (int i = 0; i < n; ++i) x = h.op("transpose", {{"input", x}});
      return std::vector<int>{x};
    }, &out);
    CHECK(s < kCpuSecondsLimit);
    CHECK(out[0] == std::vector<float>{1, 2, 3, 4, 5, 6});  // an even number of transposes
  }
  SECTION("a chain on constants only: 100k folded nodes") {
    GraphHarness h;
    double s = buildSeconds(h, [&] {
      int c = h.constant<float>({2}, {-1, 2});
      for (int i = 0; i < n; ++i) c = h.op("neg", {{"input", c}});
      return std::vector<int>{h.op("add", {{"a", h.input("x", {2}, {10, 20})}, {"b", c}})};
    }, &out);
    CHECK(s < kCpuSecondsLimit);
    CHECK(out[0] == std::vector<float>{9, 22});
  }
  SECTION("matmul + bias + relu, 100k times: fusion's sole-consumer queries") {
    GraphHarness h;
    double s = buildSeconds(h, [&] {
      int x = h.input("x", {1, 2}, {1, -2});
      int w = h.constant<float>({2, 2}, {1, 0, 0, 1});
      int bias = h.constant<float>({2}, {0.5f, 0.5f});
      for (int i = 0; i < n / 3; ++i) x = h.op("relu", {{"input", h.op("add", {{"a", h.op("matmul", {{"a", x}, {"b", w}})}, {"b", bias}})}});
      return std::vector<int>{x};
    }, &out);
    CHECK(s < kCpuSecondsLimit);
    CHECK(out[0][0] == 1 + 0.5f * (n / 3));
    CHECK(out[0][1] == 0.5f * (n / 3 - 1));
  }
}
