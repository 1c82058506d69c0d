// reverse(input, {axes}) and triangular(input, {upper, diagonal}): type-agnostic.
#include <cstring>

#include "ops/index_map_lowering.h"
#include "ops/op_registry.h"

namespace webnn {
namespace {

struct ReverseParams : OpParams {
  std::vector<bool> reversed;  // per dim
};

Status validateReverse(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  std::vector<double> axes = node.attrs.getNumbers("axes");
  std::vector<bool> seen(input.rank(), false);
  for (double a : axes) {
    if (a >= input.rank())
      return opError(node, "axis " + std::to_string(uint64_t(a)) + " must be less than the input's rank (" +
                               std::to_string(input.rank()) + ")");
    if (seen[size_t(a)]) return opError(node, "axes must not contain duplicates");
    seen[size_t(a)] = true;
  }
  ReverseParams p;
  p.reversed = node.attrs.has("axes") ? seen : std::vector<bool>(input.rank(), true);  // default: every axis
  storeParams(params, std::move(p));
  outputs->push_back(input);
  return Status::ok();
}

Status lowerReverse(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& id = l.graph().desc(in);
  const std::vector<bool>& rev = node.paramsAs<ReverseParams>().reversed;
  IndexMaps m = makeIndexMaps(dataTypeSize(id.dataType), id.shape);
  for (size_t d = 0; d < id.rank(); ++d)
    for (size_t o = 0; o < id.shape[d]; ++o) m.offsets[d][o] = rev[d] ? int64_t(id.shape[d] - 1 - o) : int64_t(o);
  scaleToBytes(&m, id.shape);
  addIndexMapStep(node, l, in, out, std::move(m));
  return Status::ok();
}

struct TriangularParams : OpParams {
  bool upper = true;
  int64_t diagonal = 0;
};

Status validateTriangular(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  TriangularParams p;
  p.upper = node.attrs.getBool("upper", true);
  p.diagonal = node.attrs.getInt("diagonal", 0);
  storeParams(params, p);
  outputs->push_back(input);
  return Status::ok();
}

// Keeps the elements on and above (upper) or on and below (lower) the diagonal shifted by `diagonal`
// in the last two dims; zero (all bits clear, 0 in every data type) elsewhere.
Status lowerTriangular(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& id = l.graph().desc(in);
  bool upper = node.paramsAs<TriangularParams>().upper;
  int64_t diagonal = node.paramsAs<TriangularParams>().diagonal;
  size_t es = dataTypeSize(id.dataType), rows = id.shape[id.rank() - 2], cols = id.shape[id.rank() - 1];
  size_t batches = product(id.shape, 0, id.rank() - 2);
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
    const uint8_t* src = c.get<uint8_t>(in);
    uint8_t* dst = c.get<uint8_t>(out);
    for (size_t b = 0; b < batches; ++b)
      for (size_t i = 0; i < rows; ++i) {
        const uint8_t* s = src + (b * rows + i) * cols * es;
        uint8_t* d = dst + (b * rows + i) * cols * es;
        // Kept columns: j - i >= diagonal (upper) or j - i <= diagonal (lower).
        int64_t edge = int64_t(i) + diagonal;
        size_t lo = upper ? size_t(std::min<int64_t>(std::max<int64_t>(edge, 0), int64_t(cols))) : 0;
        size_t hi = upper ? cols : size_t(std::min<int64_t>(std::max<int64_t>(edge + 1, 0), int64_t(cols)));
        std::memset(d, 0, cols * es);
        if (hi > lo) std::memcpy(d + lo * es, s + lo * es, (hi - lo) * es);
      }
  });
  return Status::ok();
}

}  // namespace

void registerReverseOps(OpRegistry& r) {
  r.add(OpType::Reverse, validateReverse, lowerReverse);
  r.add(OpType::Triangular, validateTriangular, lowerTriangular);
}

}  // namespace webnn
