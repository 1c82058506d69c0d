// Robustness of the C++ face against callers that skip the JS layer's checks (what the libFuzzer
// target test/fuzz/graph_builder_fuzzer.cpp found): malformed operand arguments, non-finite or
// out-of-range attributes, window geometry past 32-bit arithmetic, sizes that would wrap in Wasm.
// Also: build() rejects bad outputs and a spent builder.
#include <limits>

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

TEST_CASE("build rejects bad outputs and a spent builder", "[api][errors]") {
  GraphHarness h;
  int x = h.input("x", {2}, {1, 2});
  CHECK(h.builder.build({{"y", x}}) == nullptr);  // an input as output
  CHECK(h.builder.error().kind() == ErrorKind::TypeError);
  int y = h.op("relu", {{"input", x}});
  CHECK(h.builder.build({{"y", y}, {"y", y}}) == nullptr);  // duplicate name
  CHECK(h.builder.build({{"y", y}, {"z", y}}) != nullptr);  // one operand, two names: fine
  CHECK(h.builder.addOperation("relu", {{"input", x}}, {}, "").empty());
  CHECK(h.builder.error().kind() == ErrorKind::InvalidStateError);
  CHECK(h.builder.input("q", {DataType::Float32, {0}}) == -1);
}
