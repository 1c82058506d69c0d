#include "compiler/fusion.h"

#include "ops/activation.h"

namespace webnn {
namespace {

// Whether `bias` is a per-output-channel constant for `node`: a row of `channels` along the
// channel dim of its output, with the add not broadcasting the output any larger.
bool isChannelBias(const Graph& g, const Node& node, int bias, size_t* channels) {
  if (!g.isConstant(bias) || g.desc(bias).dataType != DataType::Float32) return false;
  const Shape& out = g.desc(node.outputs[0]).shape;
  const Shape& b = g.desc(bias).shape;
  // The channel dim is the last one, or dim 1 for an op whose layout attribute says nchw (its default).
  const char* layoutAttr = opSchema(node.type).layoutAttr;
  size_t channelDim = layoutAttr && node.attrs.getString(layoutAttr, "nchw") == "nchw" ? 1 : out.size() - 1;
  // The bias must reach the channel dim: a scalar or a row that broadcasts over the channels is
  // not a vector of `channels` values (the diff fuzzer found add(conv2d, scalar) read past it).
  if (b.size() > out.size() || out.size() - b.size() > channelDim) return false;
  for (size_t i = 0; i < b.size(); ++i) {  // aligned to the right, every dim but the channel's is 1
    size_t d = out.size() - b.size() + i;
    if (d == channelDim ? b[i] != out[d] : b[i] != 1) return false;
  }
  *channels = out[channelDim];
  return true;
}

}  // namespace

void fuseBiasAndActivation(Graph& g, const std::vector<bool>& keep, std::vector<std::string>* report) {
  const Readers readers(g);
  for (size_t ni = 0; ni < g.nodes.size(); ++ni) {
    Node& node = g.nodes[ni];
    const OpSchema& schema = opSchema(node.type);
    if (node.removed || !schema.epilogueBias) continue;  // ops with a bias and activation epilogue
    if (g.desc(node.outputs[0]).dataType != DataType::Float32) continue;
    std::string line = node.op + "#" + std::to_string(ni);

    // + add(constant per-channel bias)
    int out = node.outputs[0];
    int ci = keep[out] ? -1 : soleConsumer(readers, out, /*sameNodeTwice=*/true);
    bool hasBias = node.input(schema.epilogueBias) >= 0;
    if (ci >= 0 && g.nodes[ci].type == OpType::Add && !hasBias) {
      Node& add = g.nodes[ci];
      int other = add.input("a") == out ? add.input("b") : add.input("a");
      size_t channels = 0;
      if (g.desc(add.outputs[0]).shape == g.desc(out).shape && isChannelBias(g, node, other, &channels)) {
        // A 1-D view of the same constant data as the op's bias.
        Operand biasOperand = g.operands[other];
        biasOperand.desc.shape = {uint32_t(channels)};
        g.operands.push_back(biasOperand);
        int biasId = int(g.operands.size()) - 1;
        node.inputs.push_back({schema.epilogueBias, biasId});
        if (schema.epilogueBiasScale) node.attrs.set(schema.epilogueBiasScale, 1.0);
        node.outputs[0] = add.outputs[0];
        node.lowerAt = ci;
        add.removed = true;
        node.fusedName += "+add";
        line += " + add#" + std::to_string(ci);
        out = node.outputs[0];
      }
    }

    // + activation
    ci = keep[out] ? -1 : soleConsumer(readers, out, /*sameNodeTwice=*/true);
    Activation act;
    // A clamp after a clamp (relu then clamp(0, 6): how TF.js's Keras ReLU(maxValue) runs) folds too,
    // when their ranges intersect: clamping to one range and then to the other is clamping to the
    // intersection.
    Activation next;
    while (ci >= 0 && activationOf(g.nodes[ci], &next)) {
      if (node.fusedActivations.empty()) act = next;
      else if (!composeClamps(act, next, &act)) break;
      Node& actNode = g.nodes[ci];
      node.fusedActivations.push_back(ci);
      node.outputs[0] = actNode.outputs[0];
      node.lowerAt = ci;
      actNode.removed = true;
      node.fusedName += "+" + actNode.op;
      line += " + " + actNode.op + "#" + std::to_string(ci);
      out = node.outputs[0];
      ci = keep[out] ? -1 : soleConsumer(readers, out, /*sameNodeTwice=*/true);
    }
    if (!node.fusedName.empty()) report->push_back("fused " + line);
  }
}

}  // namespace webnn
