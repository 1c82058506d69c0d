#include "compiler/pad_folding.h"

#include "ops/conv2d.h"
#include "ops/op_registry.h"
#include "ops/pad.h"

namespace webnn {

Status foldPadsIntoConvs(Graph& g, const std::vector<bool>& keep, std::vector<std::string>* report) {
  const Readers readers(g);
  const OpDef* conv2d = OpRegistry::instance().find(OpType::Conv2d);
  for (size_t pi = 0; pi < g.nodes.size(); ++pi) {
    const Node& pad = g.nodes[pi];
    std::vector<int64_t> begin;
    if (pad.removed || pad.type != OpType::Pad || keep[pad.outputs[0]] || !padsWithZeros(pad, &begin)) continue;
    int padded = pad.outputs[0];
    int ci = soleConsumer(readers, padded);
    if (ci < 0 || g.nodes[ci].type != OpType::Conv2d || g.nodes[ci].input("input") != padded ||
        g.nodes[ci].input("filter") == padded)
      continue;
    Node& conv = g.nodes[ci];
    const Shape& in = g.desc(pad.input("input")).shape;
    const Shape& out = g.desc(padded).shape;
    const bool nhwc = conv2dChannelDims(conv).output == 3;
    const size_t hDim = nhwc ? 1 : 2, wDim = nhwc ? 2 : 3;
    bool spatialOnly = true;
    for (size_t d = 0; d < in.size(); ++d)
      if (d != hDim && d != wDim && out[d] != in[d]) spatialOnly = false;
    if (!spatialOnly) continue;
    auto endOf = [&](size_t d) { return int64_t(out[d]) - int64_t(in[d]) - begin[d]; };
    std::vector<double> padding = conv.attrs.getNumbers("padding", {0, 0, 0, 0});
    const double added[4] = {double(begin[hDim]), double(endOf(hDim)), double(begin[wDim]), double(endOf(wDim))};
    Node folded = conv;
    for (int k = 0; k < 4; ++k) padding[k] += added[k];
    folded.attrs.set("padding", padding);
    folded.setInput("input", pad.input("input"));
    // Re-derive conv2d's geometry (its Params) from the new padding; the output must not change.
    std::vector<OperandDesc> outputs;
    if (!conv2d->validate(g, folded, &outputs, &folded.params).isOk() || outputs.size() != 1 ||
        outputs[0].shape != g.desc(conv.outputs[0]).shape)
      continue;
    conv = std::move(folded);
    g.nodes[pi].removed = true;
    report->push_back("pad-folding: " + g.nodes[pi].op + "#" + std::to_string(pi) + " into " + conv.op + "#" +
                      std::to_string(ci));
  }
  return Status::ok();
}

}  // namespace webnn
