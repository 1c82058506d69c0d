// float16 for the ops of ops-b: data movement moves float16 bits natively; normalization,
// resample2d, convTranspose2d and the recurrent ops compute in float32 through the float16 pass.
// Each float16 result is compared with the float32 graph on the same (float16-rounded) inputs.
#include "harness.h"
#include "kernels/elementwise/float16.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

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
