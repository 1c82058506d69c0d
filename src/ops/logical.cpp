// equal, notEqual, greater, greaterOrEqual, lesser, lesserOrEqual (any data type, broadcasting,
// uint8 output); logicalNot, logicalAnd, logicalOr, logicalXor (uint8); isNaN, isInfinite (float
// types); where(condition, trueValue, falseValue).
#include <cmath>

#include "kernels/elementwise/binary.h"
#include "kernels/elementwise/where.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

bool isCompare(OpType op, CompareOp* out) {
  switch (op) {
    case OpType::Equal: *out = CompareOp::Equal; return true;
    case OpType::NotEqual: *out = CompareOp::NotEqual; return true;
    case OpType::Greater: *out = CompareOp::Greater; return true;
    case OpType::Lesser: *out = CompareOp::Lesser; return true;
    case OpType::GreaterOrEqual: *out = CompareOp::GreaterOrEqual; return true;
    case OpType::LesserOrEqual: *out = CompareOp::LesserOrEqual; return true;
    default: return false;
  }
}

Status validateLogical(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  if (node.type == OpType::LogicalNot) {
    outputs->push_back({DataType::Uint8, g.desc(node.input("input")).shape});
    return Status::ok();
  }
  const OperandDesc& a = g.desc(node.input("a"));
  const OperandDesc& b = g.desc(node.input("b"));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "b", b, "a", a));
  Shape out;
  if (!broadcastShapes(a.shape, b.shape, &out))
    return opError(node, "the shapes of a " + shapeToString(a.shape) + " and b " + shapeToString(b.shape) +
                             " are not broadcastable");
  outputs->push_back({DataType::Uint8, out});
  return Status::ok();
}

Status lowerLogical(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int out = node.outputs[0];
  if (node.type == OpType::LogicalNot) {
    int a = node.input("input");
    size_t n = g.desc(out).elementCount();
    l.addStep(node.op, {a}, {out}, [=](const StepContext& c) {
      const uint8_t* x = c.get<uint8_t>(a);
      uint8_t* y = c.get<uint8_t>(out);
      for (size_t i = 0; i < n; ++i) y[i] = x[i] == 0;
    });
    return Status::ok();
  }
  int a = node.input("a"), b = node.input("b");
  BroadcastPlan plan = makeBroadcastPlan(g.desc(a).shape, g.desc(b).shape, g.desc(out).shape);
  CompareOp cmp;
  if (isCompare(node.type, &cmp)) {
    DataType type = g.desc(a).dataType;
    l.addStep(node.op, {a, b}, {out}, [=](const StepContext& c) {
      compareKernel(c.pool, cmp, type, plan, c.ptrs[a], c.ptrs[b], c.get<uint8_t>(out));
    });
    return Status::ok();
  }
  LogicalOp op = node.type == OpType::LogicalAnd ? LogicalOp::And
                 : node.type == OpType::LogicalOr ? LogicalOp::Or
                                                   : LogicalOp::Xor;
  l.addStep(node.op, {a, b}, {out}, [=](const StepContext& c) {
    logicalKernel(c.pool, op, plan, c.get<uint8_t>(a), c.get<uint8_t>(b), c.get<uint8_t>(out));
  });
  return Status::ok();
}

Status validateIsNaNInf(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  outputs->push_back({DataType::Uint8, g.desc(node.input("input")).shape});
  return Status::ok();
}

Status lowerIsNaNInf(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  size_t n = l.graph().desc(out).elementCount();
  bool nan = node.type == OpType::IsNaN;
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
    const float* x = c.get<float>(in);
    uint8_t* y = c.get<uint8_t>(out);
    if (nan)
      for (size_t i = 0; i < n; ++i) y[i] = std::isnan(x[i]);
    else
      for (size_t i = 0; i < n; ++i) y[i] = std::isinf(x[i]);
  });
  return Status::ok();
}

Status validateWhere(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& cond = g.desc(node.input("condition"));
  const OperandDesc& tv = g.desc(node.input("trueValue"));
  const OperandDesc& fv = g.desc(node.input("falseValue"));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "falseValue", fv, "trueValue", tv));
  Shape values, out;
  if (!broadcastShapes(tv.shape, fv.shape, &values))
    return opError(node, "the shapes of trueValue " + shapeToString(tv.shape) + " and falseValue " +
                             shapeToString(fv.shape) + " are not broadcastable");
  if (!broadcastShapes(cond.shape, values, &out))
    return opError(node, "the shape of condition " + shapeToString(cond.shape) +
                             " is not broadcastable with that of the values " + shapeToString(values));
  outputs->push_back({tv.dataType, out});
  return Status::ok();
}

Status lowerWhere(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int cond = node.input("condition"), tv = node.input("trueValue"), fv = node.input("falseValue"), out = node.outputs[0];
  WherePlan plan = makeWherePlan(g.desc(cond).shape, g.desc(tv).shape, g.desc(fv).shape, g.desc(out).shape,
                                 dataTypeSize(g.desc(out).dataType));
  l.addStep(node.op, {cond, tv, fv}, {out}, [=](const StepContext& c) {
    whereKernel(c.pool, plan, c.get<uint8_t>(cond), c.ptrs[tv], c.ptrs[fv], c.ptrs[out]);
  });
  return Status::ok();
}

}  // namespace

void registerLogicalOps(OpRegistry& r) {
  for (OpType t : {OpType::Equal, OpType::NotEqual, OpType::Greater, OpType::GreaterOrEqual, OpType::Lesser,
                   OpType::LesserOrEqual, OpType::LogicalNot, OpType::LogicalAnd, OpType::LogicalOr, OpType::LogicalXor})
    r.add(t, validateLogical, lowerLogical);
  r.add(OpType::IsNaN, validateIsNaNInf, lowerIsNaNInf);
  r.add(OpType::IsInfinite, validateIsNaNInf, lowerIsNaNInf);
  r.add(OpType::Where, validateWhere, lowerWhere);
}

}  // namespace webnn
