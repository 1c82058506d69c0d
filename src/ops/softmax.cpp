// softmax(input, axis): float types, any rank ≥ 1, axis in [0, rank).
#include "kernels/softmax/softmax.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

// The input as [outer, len, inner] around the softmax axis.
struct SoftmaxParams : OpParams {
  size_t outer = 1, len = 1, inner = 1;
};

Status validateSoftmax(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  // axis is a required argument (the JS layer always sends it); a native caller omitting it gets -1.
  int64_t axis = node.attrs.getInt("axis", -1);
  if (axis < 0 || size_t(axis) >= input.rank())
    return opError(node, "axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(input.rank()));
  const Shape& s = input.shape;
  SoftmaxParams p;
  p.outer = product(s, 0, size_t(axis));
  p.len = s[size_t(axis)];
  p.inner = product(s, size_t(axis) + 1, s.size());
  storeParams(params, p);
  outputs->push_back(input);
  return Status::ok();
}

Status lowerSoftmax(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const SoftmaxParams& p = node.paramsAs<SoftmaxParams>();
  size_t outer = p.outer, len = p.len, inner = p.inner;
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
    softmaxF32(c.pool, c.get<float>(in), c.get<float>(out), outer, len, inner);
  });
  return Status::ok();
}

}  // namespace

void registerSoftmaxOps(OpRegistry& r) {
  r.add(OpType::Softmax, validateSoftmax, lowerSoftmax);
}

}  // namespace webnn
