// reshape(input, newShape): same element count; a view: the memory plan aliases it (a copy only where it cannot).
#include <cstring>

#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

Status validateReshape(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  OperandDesc out{input.dataType, node.attrs.getInts<uint32_t>("newShape")};
  for (double d : node.attrs.getNumbers("newShape"))
    if (d <= 0) return opError(node, "every dimension of newShape must be greater than 0, got " + shapeToString(out.shape));
  if (out.elementCount() != input.elementCount())
    return opError(node, "newShape " + shapeToString(out.shape) + " has " + std::to_string(out.elementCount()) +
                             " elements but the input " + shapeToString(input.shape) + " has " +
                             std::to_string(input.elementCount()));
  outputs->push_back(out);
  return Status::ok();
}

Status lowerReshape(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  size_t bytes = l.graph().desc(in).byteLength();
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
    if (c.ptrs[in] != c.ptrs[out]) std::memmove(c.ptrs[out], c.ptrs[in], bytes);
  });
  l.allowAlias(in, out, /*view=*/true);  // the memory plan usually makes this step a no-op
  return Status::ok();
}

}  // namespace

void registerReshapeOps(OpRegistry& r) {
  r.add(OpType::Reshape, validateReshape, lowerReshape);
}

}  // namespace webnn
