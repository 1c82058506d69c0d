#include "compiler/batchnorm_folding.h"

#include <cmath>
#include <memory>

#include "compiler/pattern_matching.h"
#include "ops/conv2d.h"
#include "ops/normalization.h"

namespace webnn {
namespace {

// A new float32 constant operand of `shape`, or -1 when out of memory (the fold is then skipped).
int addConstant(Graph& g, const Shape& shape, float** data) {
  Operand operand;
  operand.desc = {DataType::Float32, shape};
  operand.kind = OperandKind::Constant;
  operand.constant = std::make_shared<AlignedBuffer>();
  if (!operand.constant->allocate(operand.desc.byteLength())) return -1;
  *data = operand.constant->as<float>();
  g.operands.push_back(std::move(operand));
  return int(g.operands.size()) - 1;
}

}  // namespace

void foldBatchNormsIntoConvs(Graph& g, const std::vector<bool>& keep, std::vector<std::string>* report) {
  const Readers readers(g);
  for (size_t ni = 0; ni < g.nodes.size(); ++ni) {
    if (g.nodes[ni].removed || g.nodes[ni].type != OpType::Conv2d) continue;
    int out = g.nodes[ni].outputs[0];
    int filter = g.nodes[ni].input("filter"), bias = g.nodes[ni].input("bias");
    if (keep[out] || g.desc(out).dataType != DataType::Float32 || !isFloat32Constant(g, filter) ||
        (bias >= 0 && !isFloat32Constant(g, bias)))
      continue;
    int bi = soleConsumer(readers, out);
    if (bi < 0 || g.nodes[bi].type != OpType::BatchNormalization || g.nodes[bi].input("input") != out) continue;
    const Node& bn = g.nodes[bi];
    int mean = bn.input("mean"), variance = bn.input("variance"), scale = bn.input("scale"), bnBias = bn.input("bias");
    if (!isFloat32Constant(g, mean) || !isFloat32Constant(g, variance) || (scale >= 0 && !isFloat32Constant(g, scale)) ||
        (bnBias >= 0 && !isFloat32Constant(g, bnBias)))
      continue;
    const Conv2dChannelDims dims = conv2dChannelDims(g.nodes[ni]);
    const BatchNormAttributes attrs = batchNormAttributes(bn);
    if (attrs.axis != dims.output) continue;

    const Shape filterShape = g.desc(filter).shape;
    const size_t O = filterShape[dims.filter];
    float* newFilter = nullptr;
    float* newBias = nullptr;
    int filterId = addConstant(g, filterShape, &newFilter);
    int biasId = filterId < 0 ? -1 : addConstant(g, Shape{uint32_t(O)}, &newBias);
    if (biasId < 0) continue;
    // (g.operands may have moved: read every constant through g from here on.)
    const float* w = g.constantData<float>(filter);
    const float* b = bias >= 0 ? g.constantData<float>(bias) : nullptr;
    const float* m = g.constantData<float>(mean);
    const float* v = g.constantData<float>(variance);
    const float* sc = scale >= 0 ? g.constantData<float>(scale) : nullptr;
    const float* bb = bnBias >= 0 ? g.constantData<float>(bnBias) : nullptr;
    std::vector<double> s(O);
    for (size_t o = 0; o < O; ++o) {
      s[o] = (sc ? double(sc[o]) : 1.0) / std::sqrt(double(v[o]) + double(attrs.epsilon));
      newBias[o] = float(((b ? double(b[o]) : 0.0) - double(m[o])) * s[o] + (bb ? double(bb[o]) : 0.0));
    }
    // The filter as [outer, O, inner] around its output-channel dim.
    size_t outer = 1, inner = 1;
    for (size_t d = 0; d < dims.filter; ++d) outer *= filterShape[d];
    for (size_t d = dims.filter + 1; d < filterShape.size(); ++d) inner *= filterShape[d];
    for (size_t i = 0; i < outer; ++i)
      for (size_t o = 0; o < O; ++o)
        for (size_t k = 0; k < inner; ++k) {
          size_t at = (i * O + o) * inner + k;
          newFilter[at] = float(double(w[at]) * s[o]);
        }

    Node& conv = g.nodes[ni];
    conv.setInput("filter", filterId);
    conv.setInput("bias", biasId);
    conv.outputs[0] = g.nodes[bi].outputs[0];
    g.nodes[bi].removed = true;
    report->push_back("batchnorm-folding: " + g.nodes[bi].op + "#" + std::to_string(bi) + " into " + conv.op + "#" +
                      std::to_string(ni));
  }
}

}  // namespace webnn
