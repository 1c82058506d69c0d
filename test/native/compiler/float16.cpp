// The float16 pass: float32-only lowerings (conv2d, matmul, softmax, add, normalization, resample2d,
// convTranspose2d, the recurrent ops, ...) run on float16 graphs, compared with the same graph in
// float32 on the same (float16-rounded) inputs; data movement moves float16 bits natively.
#include <catch2/catch.hpp>

#include <cmath>

#include "harness.h"
#include "kernels/elementwise/float16.h"
#include "nd_reference.h"

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

namespace {

std::vector<uint16_t> toHalf(const std::vector<float>& v) {
  std::vector<uint16_t> h(v.size());
  convertF32ToF16(v.data(), h.data(), v.size());
  return h;
}
std::vector<float> roundToHalf(const std::vector<float>& v) {
  std::vector<uint16_t> h = toHalf(v);
  std::vector<float> f(v.size());
  convertF16ToF32(h.data(), f.data(), v.size());
  return f;
}

struct Operand {
  std::string arg;
  Shape shape;
  bool constant;
};

// Builds `op` twice (float32 / float16 operands), runs both; checks every output within float16 tolerance.
void compareHalf(const std::string& op, const std::vector<Operand>& operands, const Attributes& attrs, uint32_t seed,
                 float atol = 2e-3f, float rtol = 2e-3f) {
  std::vector<std::vector<float>> data;
  for (size_t i = 0; i < operands.size(); ++i) data.push_back(roundToHalf(randomFloats(count(operands[i].shape), seed + i)));
  std::vector<std::vector<float>> results[2];
  for (int half = 0; half < 2; ++half) {
    GraphHarness h(2);
    DataType t = half ? DataType::Float16 : DataType::Float32;
    std::vector<std::pair<std::string, int>> ins;
    for (size_t i = 0; i < operands.size(); ++i) {
      const Operand& o = operands[i];
      int id;
      if (half) {
        std::vector<uint16_t> hv = toHalf(data[i]);
        id = o.constant ? h.constant<uint16_t>(o.shape, hv, t) : h.input(o.arg, o.shape, packBytes(hv), t);
      } else {
        id = o.constant ? h.constant(o.shape, data[i]) : h.input(o.arg, o.shape, data[i]);
      }
      ins.push_back({o.arg, id});
    }
    std::vector<int> outs = h.builder.addOperation(op, ins, attrs, "");
    INFO(op << ": " << h.builder.errorMessage());
    REQUIRE(!outs.empty());
    std::vector<size_t> counts;
    for (int o : outs) {
      REQUIRE(h.builder.operandDesc(o)->dataType == t);
      counts.push_back(count(h.builder.operandDesc(o)->shape));
    }
    auto r = h.run(outs);
    for (size_t k = 0; k < r.size(); ++k) {
      if (half) {
        std::vector<uint16_t> hv = unpackBytes<uint16_t>(r[k], counts[k]);
        std::vector<float> f(hv.size());
        convertF16ToF32(hv.data(), f.data(), hv.size());
        results[1].push_back(f);
      } else {
        r[k].resize(counts[k]);
        results[0].push_back(r[k]);
      }
    }
  }
  REQUIRE(results[0].size() == results[1].size());
  for (size_t k = 0; k < results[0].size(); ++k) {
    INFO(op << " output " << k);
    requireClose(results[1][k], results[0][k], atol, rtol);
  }
}

}  // namespace

TEST_CASE("float16: data movement is exact", "[float16][data_movement]") {
  compareHalf("slice", {{"input", {4, 6}, false}}, attrs({{"starts", nums({1, 1})}, {"sizes", nums({3, 4})}, {"strides", nums({2, 3})}}), 1, 0, 0);
  compareHalf("pad", {{"input", {3, 4}, false}}, attrs({{"beginningPadding", nums({1, 2})}, {"endingPadding", nums({2, 0})}, {"value", 0.3}}), 2, 1e-3f, 0);
  compareHalf("pad", {{"input", {3, 4}, false}}, attrs({{"beginningPadding", nums({2, 3})}, {"endingPadding", nums({2, 3})}, {"mode", std::string("reflection")}}), 3, 0, 0);
  compareHalf("tile", {{"input", {2, 3}, false}}, attrs({{"repetitions", nums({3, 2})}}), 4, 0, 0);
  compareHalf("expand", {{"input", {3, 1}, true}}, attrs({{"newShape", nums({2, 3, 5})}}), 5, 0, 0);
  compareHalf("reverse", {{"input", {2, 3, 4}, false}}, {}, 6, 0, 0);
  compareHalf("triangular", {{"input", {4, 5}, false}}, attrs({{"diagonal", 1.0}}), 7, 0, 0);
  compareHalf("split", {{"input", {6, 4}, false}}, attrs({{"splits", 3.0}}), 8, 0, 0);
}

TEST_CASE("float16: normalization, resample2d, convTranspose2d, gru, lstm through the float16 pass", "[float16]") {
  compareHalf("batchNormalization", {{"input", {2, 3, 4}, false}, {"mean", {3}, true}, {"variance", {3}, false}}, {}, 10, 2e-2f, 1e-2f);
  compareHalf("instanceNormalization", {{"input", {1, 2, 3, 4}, false}, {"scale", {2}, true}}, {}, 11, 2e-2f, 1e-2f);
  compareHalf("layerNormalization", {{"input", {2, 3, 4}, false}, {"bias", {3, 4}, true}}, {}, 12, 2e-2f, 1e-2f);
  compareHalf("resample2d", {{"input", {1, 2, 3, 4}, false}}, attrs({{"mode", std::string("linear")}, {"scales", nums({2, 1.5})}}), 13);
  compareHalf("convTranspose2d", {{"input", {1, 2, 3, 3}, false}, {"filter", {2, 3, 2, 2}, true}, {"bias", {3}, true}},
              attrs({{"strides", nums({2, 2})}}), 14, 5e-3f, 5e-3f);
  compareHalf("gru", {{"input", {2, 2, 3}, false}, {"weight", {1, 12, 3}, true}, {"recurrentWeight", {1, 12, 4}, true}},
              attrs({{"steps", 2.0}, {"hiddenSize", 4.0}, {"returnSequence", true}}), 15, 5e-3f, 5e-3f);
  compareHalf("lstm", {{"input", {2, 2, 3}, false}, {"weight", {2, 16, 3}, true}, {"recurrentWeight", {2, 16, 4}, false}},
              attrs({{"steps", 2.0}, {"hiddenSize", 4.0}, {"direction", std::string("both")}}), 16, 5e-3f, 5e-3f);
}
