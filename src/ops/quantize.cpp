// quantizeLinear(input, scale, zeroPoint), dequantizeLinear(input, scale, zeroPoint).
#include "kernels/elementwise/quantize.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

bool blockwiseBroadcastable(const Shape& from, const Shape& to) {
  if (from.size() != to.size()) return false;
  for (size_t i = 0; i < to.size(); ++i)
    if (to[i] % from[i] != 0) return false;
  return true;
}

Status validateQuantize(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  bool quantize = node.type == OpType::QuantizeLinear;
  const OperandDesc& input = g.desc(node.input("input"));
  const OperandDesc& scale = g.desc(node.input("scale"));
  const OperandDesc& zeroPoint = g.desc(node.input("zeroPoint"));
  // The data types of each operand are the schema's; these are the relations between them.
  if (quantize) WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "scale", scale, "input", input));
  else WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "zeroPoint", zeroPoint, "input", input));
  if (scale.rank() != input.rank() || zeroPoint.rank() != input.rank())
    return opError(node, "the ranks of scale " + shapeToString(scale.shape) + " and zeroPoint " +
                             shapeToString(zeroPoint.shape) + " must equal the rank of input " + shapeToString(input.shape));
  if (scale.shape != zeroPoint.shape)
    return opError(node, "the shape of scale " + shapeToString(scale.shape) + " must equal that of zeroPoint " +
                             shapeToString(zeroPoint.shape));
  if (!blockwiseBroadcastable(scale.shape, input.shape))
    return opError(node, "scale " + shapeToString(scale.shape) + " is not blockwise broadcastable to input " +
                             shapeToString(input.shape) + " (each input dimension must be a multiple of scale's)");
  outputs->push_back({quantize ? zeroPoint.dataType : scale.dataType, input.shape});
  return Status::ok();
}

Status lowerQuantize(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), scale = node.input("scale"), zp = node.input("zeroPoint"), out = node.outputs[0];
  BlockwisePlan plan = makeBlockwisePlan(g.desc(in).shape, g.desc(scale).shape);
  DataType intType = g.desc(zp).dataType;
  if (node.type == OpType::QuantizeLinear) {
    l.addStep(node.op, {in, scale, zp}, {out}, [=](const StepContext& c) {
      quantizeKernel(intType, plan, c.get<float>(in), c.get<float>(scale), c.ptrs[zp], c.ptrs[out]);
    });
  } else {
    l.addStep(node.op, {in, scale, zp}, {out}, [=](const StepContext& c) {
      dequantizeKernel(intType, plan, c.ptrs[in], c.get<float>(scale), c.ptrs[zp], c.get<float>(out));
    });
  }
  return Status::ok();
}

}  // namespace

void registerQuantizeOps(OpRegistry& r) {
  r.add(OpType::QuantizeLinear, validateQuantize, lowerQuantize);
  r.add(OpType::DequantizeLinear, validateQuantize, lowerQuantize);
}

}  // namespace webnn
