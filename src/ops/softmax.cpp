// softmax(input, axis): float types, any rank ≥ 1, axis in [0, rank).
#include "kernels/softmax/softmax.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

Status validateSoftmax(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs) {
  const OperandDesc& input = g.desc(node.input("input"));
  WEBNN_RETURN_IF_ERROR(checkDataType(node, "input", input, kFloatTypes));
  WEBNN_RETURN_IF_ERROR(checkRank(node, "input", input, 1, 8));
  int64_t axis = node.attrs.getInt("axis", -1);
  if (axis < 0 || size_t(axis) >= input.rank())
    return opError(node, "axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(input.rank()));
  outputs->push_back(input);
  return Status::ok();
}

Status lowerSoftmax(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const Shape& s = l.graph().desc(in).shape;
  size_t axis = size_t(node.attrs.getInt("axis", 0));
  size_t outer = product(s, 0, axis), len = s[axis], inner = product(s, axis + 1, s.size());
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
    softmaxF32(c.pool, c.get<float>(in), c.get<float>(out), outer, len, inner);
  });
  return Status::ok();
}

}  // namespace

void registerSoftmaxOps(OpRegistry& r) {
  DataTypeSet t = kFloatTypes;  // float16 computes in float32 (src/compiler/float16.cpp)
  r.add({"softmax", validateSoftmax, lowerSoftmax, {{"input", t, 1, 8}, {"output", t, 1, 8}}});
}

}  // namespace webnn
