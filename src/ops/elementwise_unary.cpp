// abs, ceil, cos, erf, exp, floor, identity, log, neg, reciprocal, roundEven, sign, sin, sqrt, tan;
// cast(input, dataType).
#include <cmath>

#include "ops/elementwise_unary.h"

#include "kernels/elementwise/cast.h"
#include "kernels/elementwise/unary.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

// Each unary op's kernel (its data types are the schema's).
struct UnaryDef {
  OpType type;
  UnaryOp op;
};

const UnaryDef kUnaryOps[] = {
    {OpType::Abs, UnaryOp::Abs},           {OpType::Ceil, UnaryOp::Ceil},     {OpType::Cos, UnaryOp::Cos},
    {OpType::Erf, UnaryOp::Erf},           {OpType::Exp, UnaryOp::Exp},       {OpType::Floor, UnaryOp::Floor},
    {OpType::Identity, UnaryOp::Identity}, {OpType::Log, UnaryOp::Log},       {OpType::Neg, UnaryOp::Neg},
    {OpType::Reciprocal, UnaryOp::Reciprocal}, {OpType::RoundEven, UnaryOp::RoundEven}, {OpType::Sign, UnaryOp::Sign},
    {OpType::Sin, UnaryOp::Sin},           {OpType::Sqrt, UnaryOp::Sqrt},     {OpType::Tan, UnaryOp::Tan},
};

UnaryOp unaryOpOf(OpType type) {
  for (const UnaryDef& d : kUnaryOps)
    if (d.type == type) return d.op;
  return UnaryOp::Identity;  // unreachable: lowerUnary is registered only for the ops above
}

Status validateUnary(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  outputs->push_back(input);
  return Status::ok();
}

Status lowerUnary(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& d = l.graph().desc(out);
  UnaryOp op = unaryOpOf(node.type);
  DataType type = d.dataType;
  size_t n = d.elementCount();
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) { unaryKernel(c.pool, op, type, c.ptrs[in], c.ptrs[out], n); });
  return Status::ok();
}

Status validateCast(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  std::string name = node.attrs.getString("dataType", "");
  DataType to;
  if (!parseDataType(name, &to)) return opError(node, "dataType '" + name + "' is not an MLOperandDataType");
  outputs->push_back({to, input.shape});
  return Status::ok();
}

Status lowerCast(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), out = node.outputs[0];
  DataType from = g.desc(in).dataType, to = g.desc(out).dataType;
  size_t n = g.desc(out).elementCount();
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) { castKernel(c.pool, from, to, c.ptrs[in], c.ptrs[out], n); });
  return Status::ok();
}

}  // namespace

bool isElementwiseUnary(OpType type) {
  for (const UnaryDef& d : kUnaryOps)
    if (d.type == type) return true;
  return false;
}

void registerElementwiseUnaryOps(OpRegistry& r) {
  for (const UnaryDef& d : kUnaryOps) r.add(d.type, validateUnary, lowerUnary);
  r.add(OpType::Cast, validateCast, lowerCast);
}

}  // namespace webnn
