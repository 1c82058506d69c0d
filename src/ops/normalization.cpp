// batchNormalization(input, mean, variance, {scale, bias, axis, epsilon}),
// instanceNormalization(input, {scale, bias, epsilon, layout}),
// layerNormalization(input, {scale, bias, axes, epsilon}) on float32.
// batchNormalization computes in the spec's order (see batchNormF32); its per-channel parameters
// are gathered once at build when mean, variance, scale and bias are constants, otherwise at the
// start of each dispatch.
#include "ops/normalization.h"

#include <memory>

#include "core/aligned_buffer.h"
#include "kernels/normalization/normalization.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {


Status checkParam(const Graph& g, const Node& node, const char* name, const OperandDesc& input, const Shape& shape) {
  int id = node.input(name);
  if (id < 0) return Status::ok();
  const OperandDesc& d = g.desc(id);
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, name, d, "input", input));
  if (d.shape != shape)
    return opError(node, std::string("the shape of ") + name + " " + shapeToString(d.shape) + " must be " +
                             shapeToString(shape));
  return Status::ok();
}

// The normalization ops' Params.
struct NormParams : OpParams {
  float epsilon = 1e-5f;
  size_t axis = 1;            // batchNormalization: the channel axis
  bool nchw = true;           // instanceNormalization: the layout
  std::vector<size_t> axes;   // layerNormalization: the normalized axes, in the order given
};

NormParams normParams(const Node& node) {
  NormParams p;
  p.epsilon = float(node.attrs.getNumber("epsilon", 1e-5));
  return p;
}

// ---- batchNormalization ----

Status validateBatchNorm(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  int64_t axis = node.attrs.getInt("axis", 1);
  if (axis < 0 || size_t(axis) >= input.rank())
    return opError(node, "axis " + std::to_string(axis) + " must be less than the input's rank (" +
                             std::to_string(input.rank()) + ")");
  Shape channels{input.shape[axis]};
  for (const char* name : {"mean", "variance", "scale", "bias"})
    WEBNN_RETURN_IF_ERROR(checkParam(g, node, name, input, channels));
  NormParams p = normParams(node);
  p.axis = size_t(axis);
  storeParams(params, std::move(p));
  outputs->push_back(input);
  return Status::ok();
}

Status lowerBatchNorm(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), mean = node.input("mean"), var = node.input("variance"), scale = node.input("scale"),
      bias = node.input("bias"), out = node.outputs[0];
  const Shape& s = g.desc(in).shape;
  size_t axis = node.paramsAs<NormParams>().axis;
  size_t C = s[axis], outer = product(s, 0, axis), inner = product(s, axis + 1, s.size());
  float eps = node.paramsAs<NormParams>().epsilon;
  bool constant = g.isConstant(mean) && g.isConstant(var) && (scale < 0 || g.isConstant(scale)) &&
                  (bias < 0 || g.isConstant(bias));
  std::vector<int> reads{in, mean, var};
  if (scale >= 0) reads.push_back(scale);
  if (bias >= 0) reads.push_back(bias);
  if (constant) {
    auto params = std::make_shared<AlignedBuffer>();
    if (!params->allocate(4 * C * sizeof(float)))
      return Status::error(ErrorKind::UnknownError, node.displayName() + ": out of memory");
    prepareBatchNormF32(g.constantData<float>(mean), g.constantData<float>(var),
                        scale >= 0 ? g.constantData<float>(scale) : nullptr,
                        bias >= 0 ? g.constantData<float>(bias) : nullptr, eps, C, params->as<float>());
    l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
      batchNormF32(c.pool, c.get<float>(in), params->as<float>(), c.get<float>(out), outer, C, inner);
    });
    return Status::ok();
  }
  int params = l.addScratch(4 * C * sizeof(float));
  l.addStep(node.op, reads, {out}, [=](const StepContext& c) {
    float* p = c.get<float>(params);
    prepareBatchNormF32(c.get<float>(mean), c.get<float>(var), scale >= 0 ? c.get<float>(scale) : nullptr,
                        bias >= 0 ? c.get<float>(bias) : nullptr, eps, C, p);
    batchNormF32(c.pool, c.get<float>(in), p, c.get<float>(out), outer, C, inner);
  });
  return Status::ok();
}

// ---- shared lowering of instance / layer normalization onto groupNormalizeF32 ----

void addGroupNormStep(const Node& node, Lowering& l, std::shared_ptr<NormGroups> groups) {
  int in = node.input("input"), scale = node.input("scale"), bias = node.input("bias"), out = node.outputs[0];
  std::vector<int> reads{in};
  if (scale >= 0) reads.push_back(scale);
  if (bias >= 0) reads.push_back(bias);
  l.addStep(node.op, reads, {out}, [=](const StepContext& c) {
    groupNormalizeF32(c.pool, *groups, c.get<float>(in), scale >= 0 ? c.get<float>(scale) : nullptr,
                      bias >= 0 ? c.get<float>(bias) : nullptr, c.get<float>(out));
  });
}

// Offsets of every coordinate over `dims` (a subset of the shape's dims, in the given order).
std::vector<size_t> offsetsOver(const Shape& shape, const std::vector<size_t>& dims) {
  std::vector<size_t> strides(shape.size(), 1);
  for (size_t d = shape.size(); d-- > 1;) strides[d - 1] = strides[d] * shape[d];
  std::vector<size_t> offs{0};
  for (size_t d : dims) {
    std::vector<size_t> next;
    next.reserve(offs.size() * shape[d]);
    for (size_t o : offs)
      for (size_t i = 0; i < shape[d]; ++i) next.push_back(o + i * strides[d]);
    offs.swap(next);
  }
  return offs;
}

// ---- instanceNormalization ----

Status validateInstanceNorm(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  std::string layout = node.attrs.getString("layout", "nchw");
  if (layout != "nchw" && layout != "nhwc") return opError(node, "layout must be 'nchw' or 'nhwc'");
  Shape channels{input.shape[layout == "nchw" ? 1 : 3]};
  WEBNN_RETURN_IF_ERROR(checkParam(g, node, "scale", input, channels));
  WEBNN_RETURN_IF_ERROR(checkParam(g, node, "bias", input, channels));
  NormParams p = normParams(node);
  p.nchw = layout == "nchw";
  storeParams(params, std::move(p));
  outputs->push_back(input);
  return Status::ok();
}

Status lowerInstanceNorm(const Node& node, Lowering& l) {
  const Shape& s = l.graph().desc(node.input("input")).shape;
  bool nchw = node.paramsAs<NormParams>().nchw;
  size_t cAxis = nchw ? 1 : 3;
  auto groups = std::make_shared<NormGroups>();
  groups->epsilon = node.paramsAs<NormParams>().epsilon;
  groups->groupOffsets = offsetsOver(s, {0, cAxis});
  for (size_t n = 0; n < s[0]; ++n)
    for (size_t c = 0; c < s[cAxis]; ++c) groups->groupParam.push_back(c);
  groups->memberOffsets = offsetsOver(s, nchw ? std::vector<size_t>{2, 3} : std::vector<size_t>{1, 2});
  addGroupNormStep(node, l, groups);
  return Status::ok();
}

// ---- layerNormalization ----

std::vector<size_t> layerNormAxes(const Node& node, size_t rank) {
  if (node.attrs.has("axes")) return node.attrs.getInts<size_t>("axes");
  std::vector<size_t> axes;
  for (size_t d = 1; d < rank; ++d) axes.push_back(d);
  return axes;
}

Status validateLayerNorm(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  std::vector<double> raw = node.attrs.getNumbers("axes");
  std::vector<bool> seen(input.rank(), false);
  for (double a : raw) {
    if (a >= input.rank())
      return opError(node, "axis " + std::to_string(uint64_t(a)) + " must be less than the input's rank (" +
                               std::to_string(input.rank()) + ")");
    if (seen[size_t(a)]) return opError(node, "axes must not contain duplicates");
    seen[size_t(a)] = true;
  }
  NormParams p = normParams(node);
  p.axes = layerNormAxes(node, input.rank());
  Shape paramShape;
  for (size_t a : p.axes) paramShape.push_back(input.shape[a]);
  WEBNN_RETURN_IF_ERROR(checkParam(g, node, "scale", input, paramShape));
  WEBNN_RETURN_IF_ERROR(checkParam(g, node, "bias", input, paramShape));
  storeParams(params, std::move(p));
  outputs->push_back(input);
  return Status::ok();
}

Status lowerLayerNorm(const Node& node, Lowering& l) {
  const Shape& s = l.graph().desc(node.input("input")).shape;
  const std::vector<size_t>& axes = node.paramsAs<NormParams>().axes;
  std::vector<size_t> rest;
  std::vector<bool> isAxis(s.size(), false);
  for (size_t a : axes) isAxis[a] = true;
  for (size_t d = 0; d < s.size(); ++d)
    if (!isAxis[d]) rest.push_back(d);
  auto groups = std::make_shared<NormGroups>();
  groups->epsilon = node.paramsAs<NormParams>().epsilon;
  groups->groupOffsets = offsetsOver(s, rest);
  // Members walk the axes in the order given, which is also the scale/bias layout.
  groups->memberOffsets = offsetsOver(s, axes);
  for (size_t m = 0; m < groups->memberOffsets.size(); ++m) groups->memberParam.push_back(m);
  addGroupNormStep(node, l, groups);
  return Status::ok();
}

}  // namespace

BatchNormAttributes batchNormAttributes(const Node& batchNormalization) {
  const NormParams& p = batchNormalization.paramsAs<NormParams>();
  return {p.axis, p.epsilon};
}

void registerNormalizationOps(OpRegistry& r) {
  r.add(OpType::BatchNormalization, validateBatchNorm, lowerBatchNorm);
  r.add(OpType::InstanceNormalization, validateInstanceNorm, lowerInstanceNorm);
  r.add(OpType::LayerNormalization, validateLayerNorm, lowerLayerNorm);
}

}  // namespace webnn
