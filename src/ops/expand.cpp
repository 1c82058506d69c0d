// expand(input, newShape) (unidirectional broadcast of the input to newShape) and
// tile(input, repetitions): type-agnostic copies through index maps.
#include "ops/index_map_lowering.h"
#include "ops/op_registry.h"

namespace webnn {
namespace {

Status validateExpand(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  std::vector<double> raw = node.attrs.getNumbers("newShape");
  Shape newShape;
  for (double v : raw) newShape.push_back(uint32_t(v));
  if (!broadcastsTo(input.shape, newShape))
    return opError(node, "the input shape " + shapeToString(input.shape) + " is not broadcastable to newShape " +
                             shapeToString(newShape));
  outputs->push_back({input.dataType, newShape});
  return Status::ok();
}

Status lowerExpand(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& id = l.graph().desc(in);
  const OperandDesc& od = l.graph().desc(out);
  // The input aligned right against the output: leading output dims have no input dim (offset 0).
  size_t lead = od.rank() - id.rank();
  std::vector<int64_t> st = elementStrides(id.shape);
  size_t es = dataTypeSize(id.dataType);
  IndexMaps m = makeIndexMaps(es, od.shape);
  for (size_t d = lead; d < od.rank(); ++d)
    if (id.shape[d - lead] != 1)
      for (size_t o = 0; o < od.shape[d]; ++o) m.offsets[d][o] = int64_t(o) * st[d - lead] * int64_t(es);
  addIndexMapStep(node, l, in, out, std::move(m));
  return Status::ok();
}

Status validateTile(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  std::vector<double> reps = node.attrs.getNumbers("repetitions");
  if (reps.size() != input.rank())
    return opError(node, "the length of repetitions (" + std::to_string(reps.size()) + ") must equal the input's rank (" +
                             std::to_string(input.rank()) + ")");
  OperandDesc out{input.dataType, Shape(input.rank())};
  for (size_t d = 0; d < reps.size(); ++d) {
    if (reps[d] == 0) return opError(node, "repetitions must not contain 0");
    double size = reps[d] * input.shape[d];
    if (size > UINT32_MAX) return opError(node, "the tiled dimension " + std::to_string(d) + " is too large");
    out.shape[d] = uint32_t(size);
  }
  outputs->push_back(out);
  return Status::ok();
}

Status lowerTile(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& id = l.graph().desc(in);
  const OperandDesc& od = l.graph().desc(out);
  IndexMaps m = makeIndexMaps(dataTypeSize(id.dataType), od.shape);
  for (size_t d = 0; d < od.rank(); ++d)
    for (size_t o = 0; o < od.shape[d]; ++o) m.offsets[d][o] = int64_t(o % id.shape[d]);
  scaleToBytes(&m, id.shape);
  addIndexMapStep(node, l, in, out, std::move(m));
  return Status::ok();
}

}  // namespace

void registerExpandOps(OpRegistry& r) {
  r.add(OpType::Expand, validateExpand, lowerExpand);
  r.add(OpType::Tile, validateTile, lowerTile);
}

}  // namespace webnn
