// abs, ceil, cos, erf, exp, floor, identity, log, neg, reciprocal, roundEven, sign, sin, sqrt, tan;
// cast(input, dataType).
#include <cmath>

#include "kernels/elementwise/cast.h"
#include "kernels/elementwise/unary.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

constexpr DataTypeSet kSignedNumeric =
    kFloatTypes | bit(DataType::Int64) | bit(DataType::Int32) | bit(DataType::Int8);

struct UnaryDef {
  const char* name;
  UnaryOp op;
  DataTypeSet types;  // the spec's allowed data types
};

const UnaryDef kUnaryOps[] = {
    {"abs", UnaryOp::Abs, kSignedNumeric},        {"ceil", UnaryOp::Ceil, kFloatTypes},
    {"cos", UnaryOp::Cos, kFloatTypes},           {"erf", UnaryOp::Erf, kFloatTypes},
    {"exp", UnaryOp::Exp, kFloatTypes},           {"floor", UnaryOp::Floor, kFloatTypes},
    {"identity", UnaryOp::Identity, kAllTypes},   {"log", UnaryOp::Log, kFloatTypes},
    {"neg", UnaryOp::Neg, kSignedNumeric},        {"reciprocal", UnaryOp::Reciprocal, kFloatTypes},
    {"roundEven", UnaryOp::RoundEven, kFloatTypes}, {"sign", UnaryOp::Sign, kSignedNumeric},
    {"sin", UnaryOp::Sin, kFloatTypes},           {"sqrt", UnaryOp::Sqrt, kFloatTypes},
    {"tan", UnaryOp::Tan, kFloatTypes},
};

const UnaryDef* unaryDefOf(const std::string& name) {
  for (const UnaryDef& d : kUnaryOps)
    if (name == d.name) return &d;
  return nullptr;
}

Status validateUnary(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs) {
  const OperandDesc& input = g.desc(node.input("input"));
  WEBNN_RETURN_IF_ERROR(checkDataType(node, "input", input, unaryDefOf(node.op)->types));
  outputs->push_back(input);
  return Status::ok();
}

Status lowerUnary(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& d = l.graph().desc(out);
  UnaryOp op = unaryDefOf(node.op)->op;
  DataType type = d.dataType;
  size_t n = d.elementCount();
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) { unaryKernel(c.pool, op, type, c.ptrs[in], c.ptrs[out], n); });
  return Status::ok();
}

Status validateCast(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs) {
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

void registerElementwiseUnaryOps(OpRegistry& r) {
  for (const UnaryDef& d : kUnaryOps) {
    OpDef def{d.name, validateUnary, lowerUnary, {{"input", d.types, 0, 8}, {"output", d.types, 0, 8}}};
    def.float16Native = d.op == UnaryOp::Identity;  // a byte copy; the rest compute in float32
    r.add(def);
  }
  OpDef cast{"cast", validateCast, lowerCast, {{"input", kAllTypes, 0, 8}, {"output", kAllTypes, 0, 8}}};
  cast.float16Native = true;
  r.add(cast);
}

}  // namespace webnn
