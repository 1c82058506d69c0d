// relu, clamp, sigmoid, tanh, leakyRelu, elu, hardSigmoid, hardSwish, gelu, linear, softplus, softsign.
#include "ops/activation.h"

#include <cmath>

#include "ops/op_registry.h"
#include "ops/validation.h"
#include "runtime/thread_pool.h"

namespace webnn {

bool activationOf(const Node& node, Activation* out) {
  const Attributes& at = node.attrs;
  Activation a;
  const std::string& op = node.op;
  if (op == "relu") {
    a.kind = ActivationKind::Clamp;
    a.minValue = 0.f;
  } else if (op == "clamp") {
    a.kind = ActivationKind::Clamp;
    a.minValue = at.getFloat("minValue", -INFINITY);
    a.maxValue = at.getFloat("maxValue", INFINITY);
  } else if (op == "sigmoid") {
    a.kind = ActivationKind::Sigmoid;
  } else if (op == "tanh") {
    a.kind = ActivationKind::Tanh;
  } else if (op == "leakyRelu") {
    a.kind = ActivationKind::LeakyRelu;
    a.alpha = at.getFloat("alpha", 0.01f);
  } else if (op == "elu") {
    a.kind = ActivationKind::Elu;
    a.alpha = at.getFloat("alpha", 1.f);
  } else if (op == "hardSigmoid") {
    a.kind = ActivationKind::HardSigmoid;
    a.alpha = at.getFloat("alpha", 0.2f);
    a.beta = at.getFloat("beta", 0.5f);
  } else if (op == "hardSwish") {
    a.kind = ActivationKind::HardSwish;
  } else if (op == "gelu") {
    a.kind = ActivationKind::Gelu;
  } else if (op == "linear") {
    a.kind = ActivationKind::Linear;
    a.alpha = at.getFloat("alpha", 1.f);
    a.beta = at.getFloat("beta", 0.f);
  } else if (op == "softplus") {
    a.kind = ActivationKind::Softplus;
  } else if (op == "softsign") {
    a.kind = ActivationKind::Softsign;
  } else {
    return false;
  }
  *out = a;
  return true;
}

namespace {

Status validateActivation(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs) {
  const OperandDesc& input = g.desc(node.input("input"));
  WEBNN_RETURN_IF_ERROR(checkDataType(node, "input", input, bit(DataType::Float32)));
  if (node.op == "clamp") {
    double lo = node.attrs.getNumber("minValue", -INFINITY), hi = node.attrs.getNumber("maxValue", INFINITY);
    if (std::isnan(lo) || std::isnan(hi)) return opError(node, "minValue and maxValue must not be NaN");
    if (lo > hi)
      return opError(node, "minValue (" + std::to_string(lo) + ") must be less than or equal to maxValue (" +
                               std::to_string(hi) + ")");
  }
  outputs->push_back(input);
  return Status::ok();
}

Status lowerActivation(const Node& node, Lowering& l) {
  Activation act;
  activationOf(node, &act);
  int in = node.input("input"), out = node.outputs[0];
  size_t n = l.graph().desc(out).elementCount();
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
    const float* x = c.get<float>(in);
    float* y = c.get<float>(out);
    constexpr size_t kTile = 1 << 15;  // elements per task; smaller jobs run inline
    if (n < 2 * kTile) return activationF32(act, x, y, n);
    c.pool->parallelize1d(n, kTile, [&](size_t start, size_t count) { activationF32(act, x + start, y + start, count); });
  });
  return Status::ok();
}

}  // namespace

void registerActivationOps(OpRegistry& r) {
  for (const char* name : {"relu", "clamp", "sigmoid", "tanh", "leakyRelu", "elu", "hardSigmoid", "hardSwish", "gelu",
                           "linear", "softplus", "softsign"}) {
    DataTypeSet t = bit(DataType::Float32);
    r.add({name, validateActivation, lowerActivation, {{"input", t, 0, 8}, {"output", t, 0, 8}}});
  }
}

}  // namespace webnn
