// Robustness of the C++ face against callers that skip the JS layer's checks (what the libFuzzer
// target test/fuzz/graph_builder_fuzzer.cpp found): malformed operand arguments, non-finite or
// out-of-range attributes, window geometry past 32-bit arithmetic, sizes that would wrap in Wasm.
#include <chrono>
#include <limits>

#include "compiler/memory_plan.h"
#include "harness.h"

using namespace webnn;
using namespace webnn::test;

namespace {

void expectError(GraphBuilder& b, const std::string& op, std::vector<std::pair<std::string, int>> inputs,
                 Attributes attrs = {}, const std::string& needle = "") {
  std::vector<int> outs = b.addOperation(op, inputs, attrs, "L");
  INFO(op << ": " << b.errorMessage());
  REQUIRE(outs.empty());
  CHECK(b.error().kind() == ErrorKind::TypeError);
  CHECK(b.errorMessage().find(op + " [L]") != std::string::npos);
  if (!needle.empty()) CHECK(b.errorMessage().find(needle) != std::string::npos);
}

}  // namespace

TEST_CASE("operand arguments: missing, unknown or repeated names are TypeErrors", "[api][errors][fuzz]") {
  Context ctx(1);
  GraphBuilder b(&ctx);
  int x = b.input("x", {DataType::Float32, {1, 1, 3, 3}});
  int w = b.input("w", {DataType::Float32, {1, 1, 1, 1}});
  expectError(b, "conv2d", {{"input", x}}, {}, "'filter' is required");
  expectError(b, "add", {{"a", x}}, {}, "'b' is required");
  expectError(b, "relu", {}, {}, "'input' is required");
  expectError(b, "matmul", {{"a", x}, {"b", x}, {"bias", w}}, {}, "'bias' is not an operand argument");
  expectError(b, "relu", {{"input", x}, {"input", x}}, {}, "given twice");
  expectError(b, "relu", {{"output", x}}, {}, "not an operand argument");
  // Optional ones stay optional, sequences repeat.
  Attributes one;
  CHECK(b.addOperation("conv2d", {{"input", x}, {"filter", w}}, one, "").size() == 1);
  Attributes axis;
  axis.set("axis", 1.0);
  CHECK(b.addOperation("concat", {{"inputs", x}, {"inputs", x}}, axis, "").size() == 1);
}

TEST_CASE("attributes: NaN, infinities and out-of-range numbers never reach a cast", "[api][errors][fuzz]") {
  CHECK(Attributes::saturatingCast<int64_t>(std::numeric_limits<double>::quiet_NaN()) == 0);
  CHECK(Attributes::saturatingCast<uint32_t>(-5.0) == 0);
  CHECK(Attributes::saturatingCast<uint32_t>(1e300) == UINT32_MAX);
  CHECK(Attributes::saturatingCast<int64_t>(-INFINITY) == INT64_MIN);
  CHECK(Attributes::saturatingCast<size_t>(3.7) == 3);
  Context ctx(1);
  GraphBuilder b(&ctx);
  int x = b.input("x", {DataType::Float32, {2, 3}});
  for (double bad : {std::numeric_limits<double>::quiet_NaN(), double(INFINITY), -1.0, 1e300}) {
    Attributes a;
    a.set("newShape", std::vector<double>{bad, 3});
    expectError(b, "reshape", {{"input", x}}, a);
    Attributes p;
    p.set("permutation", std::vector<double>{bad, 0});
    expectError(b, "transpose", {{"input", x}}, p);
    if (bad == bad) {  // (a NaN axis reads as 0: getInt saturates, NaN -> 0)
      Attributes s;
      s.set("axis", bad);
      expectError(b, "softmax", {{"input", x}}, s);
    }
  }
}

TEST_CASE("window ops: geometry past the engine's 32-bit limits is a TypeError", "[pool][conv2d][errors][fuzz]") {
  Context ctx(1);
  GraphBuilder b(&ctx);
  int x = b.input("x", {DataType::Float32, {1, 1, 4, 4}});
  int w = b.input("w", {DataType::Float32, {1, 1, 2, 2}});
  auto attrs = [](const char* key, std::vector<double> v) {
    Attributes a;
    a.set(key, v);
    return a;
  };
  expectError(b, "conv2d", {{"input", x}, {"filter", w}}, attrs("padding", {-1, 0, 0, 0}), "padding");
  expectError(b, "conv2d", {{"input", x}, {"filter", w}}, attrs("padding", {1e10, 0, 0, 0}), "padding");
  expectError(b, "conv2d", {{"input", x}, {"filter", w}}, attrs("padding", {2147483648.0, 0, 0, 0}), "limit");
  expectError(b, "conv2d", {{"input", x}, {"filter", w}}, attrs("dilations", {4294967295.0, 1}), "limit");
  expectError(b, "conv2d", {{"input", x}, {"filter", w}}, attrs("strides", {0, 1}), "strides");
  expectError(b, "maxPool2d", {{"input", x}}, attrs("windowDimensions", {4294967295.0, 1}), "limit");
  expectError(b, "averagePool2d", {{"input", x}}, attrs("padding", {0, 0, -3, 0}), "padding");
  expectError(b, "l2Pool2d", {{"input", x}}, attrs("dilations", {std::numeric_limits<double>::quiet_NaN(), 1}), "dilations");
  Attributes g;
  g.set("groups", 1e12);
  expectError(b, "conv2d", {{"input", x}, {"filter", w}}, g, "groups");
}

TEST_CASE("pooling cost follows the valid taps, not the window size", "[pool][fuzz]") {
  // A 2^20 x 2^20 window centred on a 2x2 input (stride 1): every output sees the whole input.
  GraphHarness h(1);
  int x = h.input("x", {1, 1, 2, 2}, {1, 2, 3, 4});
  Attributes a;
  a.set("windowDimensions", std::vector<double>{1 << 20, 1 << 20});
  a.set("padding", std::vector<double>{1 << 19, 1 << 19, 1 << 19, 1 << 19});
  int avg = h.op("averagePool2d", {{"input", x}}, a);
  int mx = h.op("maxPool2d", {{"input", x}}, a);
  REQUIRE(h.builder.operandDesc(avg)->shape == Shape{1, 1, 3, 3});
  auto t0 = std::chrono::steady_clock::now();
  auto out = h.run({avg, mx});
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  CHECK(ms < 1000);
  for (float v : out[0]) CHECK(v == 2.5f);
  for (float v : out[1]) CHECK(v == 4.f);
}

TEST_CASE("sizes saturate instead of wrapping", "[compiler][fuzz]") {
  CHECK(satMul(SIZE_MAX / 2, 3) == SIZE_MAX);
  CHECK(satMul(size_t(1) << 10, size_t(1) << 10, 4) == size_t(4) << 20);  // fits in 32-bit Wasm too
  CHECK(satAdd(SIZE_MAX, 1) == SIZE_MAX);
  // Three live buffers of SIZE_MAX / 2: the arena cannot exist; it must not wrap to something small.
  size_t arena = 0;
  placeBuffers({{SIZE_MAX / 2, 0, 2}, {SIZE_MAX / 2, 1, 2}, {SIZE_MAX / 2, 2, 2}}, &arena);
  CHECK(arena == SIZE_MAX);
  AlignedBuffer buffer;
  CHECK_FALSE(buffer.allocate(SIZE_MAX));
  CHECK_FALSE(buffer.allocate(SIZE_MAX - 10));
  CHECK(buffer.data() == nullptr);
}
