// add, sub, mul, div, max, min, pow: same data type, bidirectional broadcasting.
#include "ops/elementwise_binary.h"

#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {

bool binaryOpOf(OpType type, BinaryOp* out) {
  switch (type) {
#define WEBNN_OP(...)
#define WEBNN_OPERAND(...)
#define WEBNN_RESULT(...)
#define WEBNN_BINARY(type, kind) \
  case OpType::type:             \
    *out = BinaryOp::kind;       \
    return true;
#include "graph/op_schema.inc"
#undef WEBNN_OP
#undef WEBNN_OPERAND
#undef WEBNN_RESULT
#undef WEBNN_BINARY
    default:
      return false;
  }
}

namespace {

Status validateBinary(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& a = g.desc(node.input("a"));
  const OperandDesc& b = g.desc(node.input("b"));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "b", b, "a", a));
  Shape out;
  if (!broadcastShapes(a.shape, b.shape, &out))
    return opError(node, "the shapes of a " + shapeToString(a.shape) + " and b " + shapeToString(b.shape) +
                             " are not broadcastable");
  outputs->push_back({a.dataType, out});
  return Status::ok();
}

Status lowerBinary(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int a = node.input("a"), b = node.input("b"), out = node.outputs[0];
  BroadcastPlan plan = makeBroadcastPlan(g.desc(a).shape, g.desc(b).shape, g.desc(out).shape);
  BinaryOp op;
  if (!binaryOpOf(node.type, &op))
    return Status::error(ErrorKind::UnknownError, node.displayName() + ": not an element-wise binary op");
  DataType type = g.desc(out).dataType;
  l.addStep(node.op, {a, b}, {out}, [=](const StepContext& c) {
    binaryKernel(c.pool, op, type, plan, c.ptrs[a], c.ptrs[b], c.ptrs[out]);
  });
  return Status::ok();
}

}  // namespace

void registerElementwiseBinaryOps(OpRegistry& r) {
  for (size_t i = 0; i < kOpTypeCount; ++i)  // the schema's element-wise binary ops
    if (opSchema(OpType(i)).elementwise == ElementwiseKind::Binary) r.add(OpType(i), validateBinary, lowerBinary);
}

}  // namespace webnn
