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

constexpr DataTypeSet kUint8 = bit(DataType::Uint8);

bool isCompare(const std::string& op, CompareOp* out) {
  static const std::pair<const char*, CompareOp> kOps[] = {
      {"equal", CompareOp::Equal},   {"notEqual", CompareOp::NotEqual},         {"greater", CompareOp::Greater},
      {"lesser", CompareOp::Lesser}, {"greaterOrEqual", CompareOp::GreaterOrEqual}, {"lesserOrEqual", CompareOp::LesserOrEqual}};
  for (auto& [name, c] : kOps)
    if (op == name) {
      *out = c;
      return true;
    }
  return false;
}

// logicalNot's operand is `a` in the spec's IDL (the JS layer passes isNaN/isInfinite's as `a` too);
// `input` is accepted as well (Chromium's name).
int unaryOperand(const Node& node) {
  int a = node.input("a");
  return a >= 0 ? a : node.input("input");
}

Status validateLogical(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs) {
  CompareOp cmp;
  bool compare = isCompare(node.op, &cmp);
  if (node.op == "logicalNot") {
    const OperandDesc& a = g.desc(unaryOperand(node));
    WEBNN_RETURN_IF_ERROR(checkDataType(node, "a", a, kUint8));
    outputs->push_back({DataType::Uint8, a.shape});
    return Status::ok();
  }
  const OperandDesc& a = g.desc(node.input("a"));
  const OperandDesc& b = g.desc(node.input("b"));
  if (!compare) WEBNN_RETURN_IF_ERROR(checkDataType(node, "a", a, kUint8));
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
  if (node.op == "logicalNot") {
    int a = unaryOperand(node);
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
  if (isCompare(node.op, &cmp)) {
    DataType type = g.desc(a).dataType;
    l.addStep(node.op, {a, b}, {out}, [=](const StepContext& c) {
      compareKernel(c.pool, cmp, type, plan, c.ptrs[a], c.ptrs[b], c.get<uint8_t>(out));
    });
    return Status::ok();
  }
  LogicalOp op = node.op == "logicalAnd" ? LogicalOp::And : node.op == "logicalOr" ? LogicalOp::Or : LogicalOp::Xor;
  l.addStep(node.op, {a, b}, {out}, [=](const StepContext& c) {
    logicalKernel(c.pool, op, plan, c.get<uint8_t>(a), c.get<uint8_t>(b), c.get<uint8_t>(out));
  });
  return Status::ok();
}

Status validateIsNaNInf(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs) {
  const OperandDesc& input = g.desc(unaryOperand(node));
  WEBNN_RETURN_IF_ERROR(checkDataType(node, "input", input, kFloatTypes));
  outputs->push_back({DataType::Uint8, input.shape});
  return Status::ok();
}

Status lowerIsNaNInf(const Node& node, Lowering& l) {
  int in = unaryOperand(node), out = node.outputs[0];
  size_t n = l.graph().desc(out).elementCount();
  bool nan = node.op == "isNaN";
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

Status validateWhere(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs) {
  const OperandDesc& cond = g.desc(node.input("condition"));
  const OperandDesc& tv = g.desc(node.input("trueValue"));
  const OperandDesc& fv = g.desc(node.input("falseValue"));
  WEBNN_RETURN_IF_ERROR(checkDataType(node, "condition", cond, kUint8));
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
  for (const char* name : {"equal", "notEqual", "greater", "greaterOrEqual", "lesser", "lesserOrEqual"})
    r.add({name, validateLogical, lowerLogical, {{"a", kAllTypes, 0, 8}, {"b", kAllTypes, 0, 8}, {"output", kUint8, 0, 8}}});
  r.add({"logicalNot", validateLogical, lowerLogical, {{"a", kUint8, 0, 8}, {"output", kUint8, 0, 8}}});
  for (const char* name : {"logicalAnd", "logicalOr", "logicalXor"})
    r.add({name, validateLogical, lowerLogical, {{"a", kUint8, 0, 8}, {"b", kUint8, 0, 8}, {"output", kUint8, 0, 8}}});
  for (const char* name : {"isNaN", "isInfinite"})
    r.add({name, validateIsNaNInf, lowerIsNaNInf, {{"a", kFloatTypes, 0, 8}, {"output", kUint8, 0, 8}}});
  OpDef where{"where", validateWhere, lowerWhere,
              {{"condition", kUint8, 0, 8}, {"trueValue", kAllTypes, 0, 8}, {"falseValue", kAllTypes, 0, 8},
               {"output", kAllTypes, 0, 8}}};
  where.float16Native = true;  // selects by element size
  r.add(where);
}

}  // namespace webnn
