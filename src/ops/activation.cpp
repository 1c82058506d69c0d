// relu, clamp, sigmoid, tanh, leakyRelu, elu, hardSigmoid, hardSwish, gelu, linear, softplus, softsign;
// prelu(input, slope). relu also runs on int64/int32/int8 and clamp on every data type; float16
// computes in float32 (src/compiler/float16.cpp).
#include "ops/activation.h"

#include <algorithm>
#include <cmath>

#include "kernels/elementwise/binary.h"
#include "kernels/elementwise/cast.h"
#include "kernels/elementwise/unary.h"

#include "ops/op_registry.h"
#include "ops/validation.h"
#include "core/thread_pool.h"

namespace webnn {

namespace {

// An activation's Params: the float32 kernel's description and, for integer relu / clamp, the raw
// bounds (cast to the data type by clampKernelInt).
struct ActivationParams : OpParams {
  Activation act;
  double lo = -INFINITY, hi = INFINITY;
};

// The schema's activations (ElementwiseKind::Activation), with their attributes' defaults.
bool parseActivation(const Node& node, Activation* out) {
  const Attributes& at = node.attrs;
  Activation a;
  switch (node.type) {
  case OpType::Relu:
    a.kind = ActivationKind::Clamp;
    a.minValue = 0.f;
    break;
  case OpType::Clamp: {
    a.kind = ActivationKind::Clamp;
    float lo = at.getFloat("minValue", -INFINITY), hi = at.getFloat("maxValue", INFINITY);
    // A NaN bound of a float clamp is no bound (Chromium's normalization, webnn#874; the WPT cases
    // "minValue as NaN" / "maxValue as NaN"). Integer clamps cast NaN to 0 (lowerActivation).
    a.minValue = std::isnan(lo) ? -INFINITY : lo;
    a.maxValue = std::isnan(hi) ? INFINITY : hi;
    break;
  }
  case OpType::Sigmoid:
    a.kind = ActivationKind::Sigmoid;
    break;
  case OpType::Tanh:
    a.kind = ActivationKind::Tanh;
    break;
  case OpType::LeakyRelu:
    a.kind = ActivationKind::LeakyRelu;
    a.alpha = at.getFloat("alpha", 0.01f);
    break;
  case OpType::Elu:
    a.kind = ActivationKind::Elu;
    a.alpha = at.getFloat("alpha", 1.f);
    break;
  case OpType::HardSigmoid:
    a.kind = ActivationKind::HardSigmoid;
    a.alpha = at.getFloat("alpha", 0.2f);
    a.beta = at.getFloat("beta", 0.5f);
    break;
  case OpType::HardSwish:
    a.kind = ActivationKind::HardSwish;
    break;
  case OpType::Gelu:
    a.kind = ActivationKind::Gelu;
    break;
  case OpType::Linear:
    a.kind = ActivationKind::Linear;
    a.alpha = at.getFloat("alpha", 1.f);
    a.beta = at.getFloat("beta", 0.f);
    break;
  case OpType::Softplus:
    a.kind = ActivationKind::Softplus;
    break;
  case OpType::Softsign:
    a.kind = ActivationKind::Softsign;
    break;
  default:
    return false;
  }
  *out = a;
  return true;
}

}  // namespace

bool composeClamps(const Activation& first, const Activation& second, Activation* out) {
  if (first.kind != ActivationKind::Clamp || second.kind != ActivationKind::Clamp) return false;
  const float lo = std::max(first.minValue, second.minValue), hi = std::min(first.maxValue, second.maxValue);
  if (lo > hi) return false;
  *out = first;
  out->minValue = lo;
  out->maxValue = hi;
  return true;
}

bool activationOf(const Node& node, Activation* out) {
  if (opSchema(node.type).elementwise != ElementwiseKind::Activation || !node.params) return false;
  *out = node.paramsAs<ActivationParams>().act;
  return true;
}

namespace {

// The spec's "cast" of an MLNumber option to the input's data type, as a double for comparing.
double castOption(double v, DataType t) {
  switch (t) {
    case DataType::Float32: return double(float(v));
    case DataType::Float16: return v;  // rounding to float16 is monotonic: order is kept
    case DataType::Int32: return double(convertToInt<int32_t>(v));
    case DataType::Uint32: return double(convertToInt<uint32_t>(v));
    case DataType::Int64: return double(convertToInt<int64_t>(v));
    case DataType::Uint64: return double(convertToInt<uint64_t>(v));
    case DataType::Int8: return double(convertToInt<int8_t>(v));
    case DataType::Uint8: return double(convertToInt<uint8_t>(v));
  }
  return v;
}

Status validateActivation(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  ActivationParams p;
  parseActivation(node, &p.act);
  if (node.type == OpType::Relu) p.lo = 0.0;
  if (node.type == OpType::Clamp) {
    p.lo = node.attrs.getNumber("minValue", -INFINITY);
    p.hi = node.attrs.getNumber("maxValue", INFINITY);
    double lo = p.lo, hi = p.hi;
    if (contains(kFloatTypes, input.dataType)) {  // as activationOf: a NaN bound is no bound
      if (std::isnan(lo)) lo = -INFINITY;
      if (std::isnan(hi)) hi = INFINITY;
    }
    if (castOption(lo, input.dataType) > castOption(hi, input.dataType))
      return opError(node, "minValue (" + std::to_string(lo) + ") must be less than or equal to maxValue (" +
                               std::to_string(hi) + ")");
  }
  storeParams(params, p);
  outputs->push_back(input);
  return Status::ok();
}

Status lowerActivation(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& d = l.graph().desc(out);
  size_t n = d.elementCount();
  if (d.dataType != DataType::Float32) {  // integer relu / clamp
    DataType type = d.dataType;
    double lo = node.paramsAs<ActivationParams>().lo, hi = node.paramsAs<ActivationParams>().hi;
    l.addStep(node.op, {in}, {out}, [=](const StepContext& c) { clampKernelInt(type, c.ptrs[in], c.ptrs[out], n, lo, hi); });
    return Status::ok();
  }
  Activation act = node.paramsAs<ActivationParams>().act;
  l.addStep(node.op, {in}, {out},
            [=](const StepContext& c) { activationF32(c.pool, act, c.get<float>(in), c.get<float>(out), n); });
  return Status::ok();
}

Status validatePrelu(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  const OperandDesc& slope = g.desc(node.input("slope"));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "slope", slope, "input", input));
  Shape out;
  if (!broadcastShapes(slope.shape, input.shape, &out))
    return opError(node, "the shapes of slope " + shapeToString(slope.shape) + " and input " +
                             shapeToString(input.shape) + " are not broadcastable");
  outputs->push_back({input.dataType, out});
  return Status::ok();
}

Status lowerPrelu(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), slope = node.input("slope"), out = node.outputs[0];
  BroadcastPlan plan = makeBroadcastPlan(g.desc(in).shape, g.desc(slope).shape, g.desc(out).shape);
  DataType type = g.desc(out).dataType;
  l.addStep(node.op, {in, slope}, {out}, [=](const StepContext& c) {
    preluKernel(c.pool, type, plan, c.ptrs[in], c.ptrs[slope], c.ptrs[out]);
  });
  return Status::ok();
}

}  // namespace

void registerActivationOps(OpRegistry& r) {
  for (size_t i = 0; i < kOpTypeCount; ++i)  // the schema's activations
    if (opSchema(OpType(i)).elementwise == ElementwiseKind::Activation) r.add(OpType(i), validateActivation, lowerActivation);
  r.add(OpType::Prelu, validatePrelu, lowerPrelu);
}

}  // namespace webnn
