// add, sub, mul, div, max, min, pow: same data type, bidirectional broadcasting.
#include "kernels/elementwise/binary.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

// Every data type; float16 computes in float32 between conversion steps (src/compiler/float16.cpp).
constexpr DataTypeSet kBinaryTypes = kAllTypes;

Status validateBinary(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs) {
  const OperandDesc& a = g.desc(node.input("a"));
  const OperandDesc& b = g.desc(node.input("b"));
  WEBNN_RETURN_IF_ERROR(checkDataType(node, "a", a, kBinaryTypes));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "b", b, "a", a));
  Shape out;
  if (!broadcastShapes(a.shape, b.shape, &out))
    return opError(node, "the shapes of a " + shapeToString(a.shape) + " and b " + shapeToString(b.shape) +
                             " are not broadcastable");
  outputs->push_back({a.dataType, out});
  return Status::ok();
}

BinaryOp binaryOpOf(const std::string& name) {
  if (name == "add") return BinaryOp::Add;
  if (name == "sub") return BinaryOp::Sub;
  if (name == "mul") return BinaryOp::Mul;
  if (name == "div") return BinaryOp::Div;
  if (name == "max") return BinaryOp::Max;
  if (name == "min") return BinaryOp::Min;
  return BinaryOp::Pow;
}

Status lowerBinary(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int a = node.input("a"), b = node.input("b"), out = node.outputs[0];
  BroadcastPlan plan = makeBroadcastPlan(g.desc(a).shape, g.desc(b).shape, g.desc(out).shape);
  BinaryOp op = binaryOpOf(node.op);
  DataType type = g.desc(out).dataType;
  l.addStep(node.op, {a, b}, {out}, [=](const StepContext& c) {
    binaryKernel(c.pool, op, type, plan, c.ptrs[a], c.ptrs[b], c.ptrs[out]);
  });
  return Status::ok();
}

}  // namespace

void registerElementwiseBinaryOps(OpRegistry& r) {
  for (const char* name : {"add", "sub", "mul", "div", "max", "min", "pow"}) {
    r.add({name, validateBinary, lowerBinary,
           {{"a", kBinaryTypes, 0, 8}, {"b", kBinaryTypes, 0, 8}, {"output", kBinaryTypes, 0, 8}}});
  }
}

}  // namespace webnn
