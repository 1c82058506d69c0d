// The float16 pass: float32-only lowerings (conv2d, matmul, softmax, add, ...) run on float16 graphs,
// compared with the same graph in float32; and opSupportLimits reports float16 for them.
#include <catch2/catch.hpp>

#include <cmath>

#include "api/support_limits.h"
#include "harness.h"

using namespace webnn;
using namespace webnn::test;

namespace {

// Values exactly representable in float16, so both graphs see the same inputs.
std::vector<double> halfValues(size_t n, Rng& rng) {
  std::vector<double> v(n);
  for (auto& x : v) x = halfToFloat(floatToHalf(rng.uniform(-1.f, 1.f)));
  return v;
}

// Runs `build` once with float32 and once with float16 inputs; compares with f16 tolerances.
void compareF16(const std::vector<std::pair<std::string, Shape>>& args, std::vector<bool> constant,
                const std::function<std::vector<int>(GraphBuilder&, const std::vector<int>&)>& build, double atol,
                std::string* plan = nullptr) {
  Rng rng(12);
  std::vector<OpInput> in32, in16;
  for (size_t i = 0; i < args.size(); ++i) {
    std::vector<double> v = halfValues(OperandDesc{DataType::Float32, args[i].second}.elementCount(), rng);
    in32.push_back({args[i].first, fromDoubles(DataType::Float32, args[i].second, v), constant[i]});
    in16.push_back({args[i].first, fromDoubles(DataType::Float16, args[i].second, v), constant[i]});
  }
  RunResult r32 = runGraph(in32, build), r16 = runGraph(in16, build);
  REQUIRE(r32.status.isOk());
  INFO(r16.status.message());
  REQUIRE(r16.status.isOk());
  REQUIRE(r16.outputs[0].desc.dataType == DataType::Float16);
  REQUIRE(r16.outputs[0].desc.shape == r32.outputs[0].desc.shape);
  for (size_t i = 0; i < r32.outputs[0].count(); ++i) {
    double e = r32.outputs[0].value(i);
    CHECK(close(r16.outputs[0].value(i), e, atol, 1.0 / 1024));
  }
  if (plan) *plan = r16.plan;
}

std::vector<int> op(GraphBuilder& b, const std::string& name, std::vector<std::pair<std::string, int>> in, Attributes a = {}) {
  return b.addOperation(name, in, a, "");
}

}  // namespace

TEST_CASE("float16 conv2d (constant filter and bias) + relu matches float32 and still fuses", "[float16]") {
  std::string plan;
  compareF16({{"input", {1, 5, 5, 3}}, {"filter", {4, 3, 3, 3}}, {"bias", {4}}}, {false, true, true},
             [](GraphBuilder& b, const std::vector<int>& ids) {
               Attributes a = attrs({{"inputLayout", std::string("nhwc")}, {"filterLayout", std::string("ohwi")},
                                     {"padding", std::vector<double>{1, 1, 1, 1}}});
               std::vector<int> c = op(b, "conv2d", {{"input", ids[0]}, {"filter", ids[1]}, {"bias", ids[2]}}, a);
               return op(b, "relu", {{"input", c[0]}});
             },
             2e-3, &plan);
  CHECK(plan.find("conv2d+relu") != std::string::npos);
  CHECK(plan.find("cast") != std::string::npos);
}

TEST_CASE("float16 matmul with a non-constant b, and gemm", "[float16]") {
  compareF16({{"a", {2, 3, 8}}, {"b", {8, 5}}}, {false, false},
             [](GraphBuilder& b, const std::vector<int>& ids) { return op(b, "matmul", {{"a", ids[0]}, {"b", ids[1]}}); }, 4e-3);
  compareF16({{"a", {4, 6}}, {"b", {6, 3}}, {"c", {3}}}, {false, true, true},
             [](GraphBuilder& b, const std::vector<int>& ids) {
               return op(b, "gemm", {{"a", ids[0]}, {"b", ids[1]}, {"c", ids[2]}}, attrs({{"alpha", 0.5}}));
             },
             4e-3);
}

TEST_CASE("float16 softmax, add and a chain mixing native and converted ops", "[float16]") {
  compareF16({{"input", {3, 7}}}, {false},
             [](GraphBuilder& b, const std::vector<int>& ids) { return op(b, "softmax", {{"input", ids[0]}}, attrs({{"axis", 1.0}})); },
             1e-3);
  compareF16({{"a", {2, 3}}, {"b", {3}}}, {false, true},
             [](GraphBuilder& b, const std::vector<int>& ids) { return op(b, "add", {{"a", ids[0]}, {"b", ids[1]}}); }, 1e-3);
  // exp -> reshape (native float16) -> mul -> reduceSum -> sqrt, and an intermediate float16 output.
  std::string plan;
  compareF16({{"x", {2, 6}}}, {false},
             [](GraphBuilder& b, const std::vector<int>& ids) {
               int e = op(b, "exp", {{"input", ids[0]}})[0];
               int r = op(b, "reshape", {{"input", e}}, attrs({{"newShape", std::vector<double>{3, 4}}}))[0];
               int m = op(b, "mul", {{"a", r}, {"b", r}})[0];
               int s = op(b, "reduceSum", {{"input", m}}, attrs({{"axes", std::vector<double>{1}}}))[0];
               return op(b, "sqrt", {{"input", s}});
             },
             1e-2, &plan);
}

TEST_CASE("a float16 graph input feeding only float32-only ops converts once", "[float16]") {
  std::vector<OpInput> in{{"input", fromDoubles(DataType::Float16, {4}, {1, 2, 3, 4})}};
  RunResult r = runGraph(in, [](GraphBuilder& b, const std::vector<int>& ids) {
    int e = op(b, "exp", {{"input", ids[0]}})[0];
    int l = op(b, "log", {{"input", e}})[0];
    return op(b, "neg", {{"input", l}});
  });
  REQUIRE(r.status.isOk());
  for (size_t i = 0; i < 4; ++i) CHECK(r.outputs[0].value(i) == -double(i + 1));
  // cast in, exp, log, neg, cast out: the intermediate casts back to float16 are dropped.
  CHECK(r.plan.find("steps: 5") == 0);
}

TEST_CASE("opSupportLimits reports float16 for ops the pass covers, and exactly the spec's types", "[float16][limits]") {
  std::string json = opSupportLimitsJson();
  auto limitsOf = [&](const std::string& op) {
    size_t at = json.find("\"" + op + "\":{");
    REQUIRE(at != std::string::npos);
    return json.substr(at, json.find("}}", json.find("\"output\"", at)) - at);
  };
  for (const char* op : {"conv2d", "matmul", "gemm", "softmax", "averagePool2d", "relu", "sigmoid", "add", "exp", "reduceMean",
                         "quantizeLinear", "prelu", "isNaN"})
    CHECK(limitsOf(op).find("float16") != std::string::npos);
  CHECK(limitsOf("relu").find("uint8") == std::string::npos);
  CHECK(limitsOf("reduceSum").find("int64") == std::string::npos);
  CHECK(limitsOf("abs").find("uint32") == std::string::npos);
  CHECK(limitsOf("clamp").find("uint64") != std::string::npos);
}

TEST_CASE("float16 through ops-b's float32 lowerings: layerNormalization, batchNormalization, resample2d, convTranspose2d",
          "[float16]") {
  compareF16({{"input", {2, 3, 4}}}, {false},
             [](GraphBuilder& b, const std::vector<int>& ids) {
               return op(b, "layerNormalization", {{"input", ids[0]}}, attrs({{"axes", std::vector<double>{2}}}));
             },
             4e-3);
  compareF16({{"input", {1, 2, 3, 3}}, {"mean", {2}}, {"variance", {2}}}, {false, true, true},
             [](GraphBuilder& b, const std::vector<int>& ids) {
               // variance in [-1, 1) would be invalid for sqrt; square it through mul first.
               int v = op(b, "mul", {{"a", ids[2]}, {"b", ids[2]}})[0];
               return op(b, "batchNormalization", {{"input", ids[0]}, {"mean", ids[1]}, {"variance", v}},
                         attrs({{"epsilon", 0.1}}));
             },
             1e-2);
  compareF16({{"input", {1, 2, 3, 4}}}, {false},
             [](GraphBuilder& b, const std::vector<int>& ids) {
               return op(b, "resample2d", {{"input", ids[0]}},
                         attrs({{"mode", std::string("linear")}, {"sizes", std::vector<double>{6, 8}}}));
             },
             2e-3);
  compareF16({{"input", {1, 2, 3, 3}}, {"filter", {2, 3, 2, 2}}}, {false, true},
             [](GraphBuilder& b, const std::vector<int>& ids) {
               return op(b, "convTranspose2d", {{"input", ids[0]}, {"filter", ids[1]}}, attrs({{"strides", std::vector<double>{2, 2}}}));
             },
             4e-3);
}
