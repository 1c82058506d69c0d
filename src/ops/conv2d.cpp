// conv2d(input, filter, {padding, strides, dilations, groups, inputLayout, filterLayout, bias}).
// Computed in NHWC with an OHWI filter: other layouts are converted once (constant filters at build).
#include "ops/conv2d.h"

#include <memory>

#include "kernels/conv/conv2d.h"
#include "kernels/layout/transpose.h"
#include "ops/fused_activation.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

// conv2d's Params: the checked geometry (validate), which lower packs and runs.
struct ConvGeometry : OpParams {
  bool nhwc = false;
  std::vector<size_t> filterToOhwi;  // transpose permutation from the filter's layout to OHWI
  Conv2dParams p;
};

Status geometry(const Graph& g, const Node& node, ConvGeometry* geo) {
  const Attributes& at = node.attrs;
  const OperandDesc& input = g.desc(node.input("input"));
  const OperandDesc& filter = g.desc(node.input("filter"));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "filter", filter, "input", input));
  std::string inputLayout = at.getString("inputLayout", "nchw");
  std::string filterLayout = at.getString("filterLayout", "oihw");
  if (inputLayout != "nchw" && inputLayout != "nhwc") return opError(node, "inputLayout must be 'nchw' or 'nhwc'");
  bool nhwc = inputLayout == "nhwc";
  // Where O, H, W, I sit in the filter's layout.
  std::vector<size_t> perm;
  if (filterLayout == "oihw") perm = {0, 2, 3, 1};
  else if (filterLayout == "hwio") perm = {3, 0, 1, 2};
  else if (filterLayout == "ohwi") perm = {0, 1, 2, 3};
  else if (filterLayout == "ihwo") perm = {3, 1, 2, 0};
  else return opError(node, "filterLayout must be one of 'oihw', 'hwio', 'ohwi', 'ihwo'");
  std::vector<int64_t> padding = at.getInts<int64_t>("padding", {0, 0, 0, 0});
  std::vector<int64_t> strides = at.getInts<int64_t>("strides", {1, 1});
  std::vector<int64_t> dilations = at.getInts<int64_t>("dilations", {1, 1});
  int64_t groups = at.getInt("groups", 1);
  if (padding.size() != 4) return opError(node, "padding must have 4 values, got " + listToString(padding));
  if (strides.size() != 2) return opError(node, "strides must have 2 values, got " + listToString(strides));
  if (dilations.size() != 2) return opError(node, "dilations must have 2 values, got " + listToString(dilations));
  WEBNN_RETURN_IF_ERROR(checkUnsignedList(node, "padding", padding, 0));
  WEBNN_RETURN_IF_ERROR(checkUnsignedList(node, "strides", strides, 1));
  WEBNN_RETURN_IF_ERROR(checkUnsignedList(node, "dilations", dilations, 1));
  if (groups < 1 || groups > int64_t(UINT32_MAX))
    return opError(node, "groups must be greater than 0 and below 2^32, got " + std::to_string(groups));

  size_t N = input.shape[0], C = input.shape[nhwc ? 3 : 1], H = input.shape[nhwc ? 1 : 2], W = input.shape[nhwc ? 2 : 3];
  size_t O = filter.shape[perm[0]], KH = filter.shape[perm[1]], KW = filter.shape[perm[2]], FI = filter.shape[perm[3]];
  if (C % size_t(groups) != 0 || FI * size_t(groups) != C)
    return opError(node, "the input has " + std::to_string(C) + " channels but the filter " + shapeToString(filter.shape) +
                             " (" + filterLayout + ") with groups " + std::to_string(groups) + " expects " +
                             std::to_string(FI * groups));
  if (O % size_t(groups) != 0)
    return opError(node, "the filter's output channels (" + std::to_string(O) + ") must be divisible by groups (" +
                             std::to_string(groups) + ")");
  int bias = node.input("bias");
  if (bias >= 0) {
    const OperandDesc& b = g.desc(bias);
    WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "bias", b, "input", input));
    if (b.shape != Shape{uint32_t(O)})
      return opError(node, "bias must have shape [" + std::to_string(O) + "], got " + shapeToString(b.shape));
  }
  int64_t out[2];
  int64_t in[2] = {int64_t(H), int64_t(W)}, k[2] = {int64_t(KH), int64_t(KW)};
  for (int i = 0; i < 2; ++i) {
    int64_t floorSize = 0, ceilSize = 0;
    Status s = windowOutputSize(node, in[i], k[i], dilations[i], padding[2 * i], padding[2 * i + 1], strides[i],
                                &floorSize, &ceilSize);
    if (!s.isOk())
      return opError(node, "filter " + shapeToString(filter.shape) + " on input " + shapeToString(input.shape) + ": " +
                               s.message().substr(node.displayName().size() + 2));
    if (floorSize < 1)
      return opError(node, "filter " + shapeToString(filter.shape) + " on input " + shapeToString(input.shape) + ": " +
                               windowTooLarge(in[i], k[i], dilations[i], padding[2 * i], padding[2 * i + 1]));
    out[i] = floorSize;
  }
  Conv2dParams& p = geo->p;
  geo->nhwc = nhwc;
  geo->filterToOhwi = perm;
  p.batch = N;
  p.inputHeight = H;
  p.inputWidth = W;
  p.inputChannels = C;
  p.outputHeight = size_t(out[0]);
  p.outputWidth = size_t(out[1]);
  p.outputChannels = O;
  p.kernelHeight = KH;
  p.kernelWidth = KW;
  p.strideHeight = size_t(strides[0]);
  p.strideWidth = size_t(strides[1]);
  p.dilationHeight = size_t(dilations[0]);
  p.dilationWidth = size_t(dilations[1]);
  p.padTop = size_t(padding[0]);
  p.padLeft = size_t(padding[2]);
  p.groups = size_t(groups);
  return Status::ok();
}

Status validateConv2d(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  ConvGeometry geo;
  WEBNN_RETURN_IF_ERROR(geometry(g, node, &geo));
  const Conv2dParams& p = geo.p;
  storeParams(params, geo);
  uint32_t N = uint32_t(p.batch), O = uint32_t(p.outputChannels), OH = uint32_t(p.outputHeight), OW = uint32_t(p.outputWidth);
  outputs->push_back({g.desc(node.input("input")).dataType, geo.nhwc ? Shape{N, OH, OW, O} : Shape{N, O, OH, OW}});
  return Status::ok();
}

Status lowerConv2d(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  ConvGeometry geo = node.paramsAs<ConvGeometry>();
  if (!l.passEnabled("winograd")) geo.p.winograd = Conv2dParams::Winograd::Never;
  const Conv2dParams p = geo.p;
  const std::string algorithm = conv2dAlgorithmName(p);
  if (algorithm.rfind("winograd", 0) == 0)
    l.report("winograd: conv2d#" + std::to_string(&node - g.nodes.data()) + " " + std::to_string(p.inputChannels) + "->" +
             std::to_string(p.outputChannels) + " on " + std::to_string(p.outputHeight) + "x" +
             std::to_string(p.outputWidth));
  Activation act = fusedActivationOf(g, node);
  int in = node.input("input"), filter = node.input("filter"), bias = node.input("bias"), out = node.outputs[0];
  Shape filterShape = g.desc(filter).shape;
  std::vector<size_t> perm = geo.filterToOhwi;
  size_t filterBytes = g.desc(filter).byteLength();
  bool constantWeights = g.isConstant(filter) && (bias < 0 || g.isConstant(bias));

  auto weights = std::make_shared<PackedConv2dWeights>();
  // A filter (or bias) computed by the graph is repacked on each dispatch, into arena scratch.
  int ohwiScratch = -1, packedScratch = -1, biasScratch = -1;
  if (constantWeights) {
    AlignedBuffer ohwi;
    if (!ohwi.allocate(filterBytes)) return Status::error(ErrorKind::UnknownError, node.displayName() + ": out of memory");
    transposeKernel(nullptr, sizeof(float), filterShape, perm.data(), g.constantData<float>(filter), ohwi.data());
    if (!packConv2dWeights(p, ohwi.as<float>(), bias >= 0 ? g.constantData<float>(bias) : nullptr, weights.get()))
      return Status::error(ErrorKind::UnknownError, node.displayName() + ": out of memory packing the filter");
  } else {
    ohwiScratch = l.addScratch(filterBytes);
    packedScratch = l.addScratch(conv2dPackedBytes(p));
    biasScratch = l.addScratch(p.outputChannels * sizeof(float));
  }
  size_t scratchBytes = conv2dScratchBytes(p);
  int scratch = scratchBytes ? l.addScratch(scratchBytes) : -1;
  int inNhwc = -1, outNhwc = -1;
  // nchw: convert around an NHWC conv, except where the layout pass kept a neighbour's data NHWC.
  bool convertIn = !geo.nhwc && !node.nhwcIn, convertOut = !geo.nhwc && !node.nhwcOut;
  if (convertIn) inNhwc = l.addScratch(p.batch * p.inputHeight * p.inputWidth * p.inputChannels * sizeof(float));
  if (convertOut) outNhwc = l.addScratch(p.batch * p.outputHeight * p.outputWidth * p.outputChannels * sizeof(float));
  Shape inShape = g.desc(in).shape;
  Shape outNhwcShape{uint32_t(p.batch), uint32_t(p.outputHeight), uint32_t(p.outputWidth), uint32_t(p.outputChannels)};
  std::vector<int> reads{in};  // constant weights are read packed, never as is
  if (!constantWeights) reads.push_back(filter);
  if (!constantWeights && bias >= 0) reads.push_back(bias);
  l.addStep("conv2d" + node.fusedName + " [" + algorithm + "]", reads, {out}, [=](const StepContext& c) {
    const float* packed = weights->data.as<float>();
    const float* biasValues = weights->bias.as<float>();
    if (!constantWeights) {
      transposeKernel(c.pool, sizeof(float), filterShape, perm.data(), c.ptrs[filter], c.ptrs[ohwiScratch]);
      packConv2dWeightsInto(p, c.get<float>(ohwiScratch), bias >= 0 ? c.get<float>(bias) : nullptr,
                            c.get<float>(packedScratch), c.get<float>(biasScratch));
      packed = c.get<float>(packedScratch);
      biasValues = c.get<float>(biasScratch);
    }
    void* work = scratch >= 0 ? c.ptrs[scratch] : nullptr;
    if (convertIn) nchwToNhwc(c.pool, sizeof(float), inShape, c.ptrs[in], c.ptrs[inNhwc]);
    float* dst = c.get<float>(convertOut ? outNhwc : out);
    conv2dF32(c.pool, p, c.get<float>(convertIn ? inNhwc : in), packed, biasValues, dst, act, work);
    if (convertOut) nhwcToNchw(c.pool, sizeof(float), outNhwcShape, c.ptrs[outNhwc], c.ptrs[out]);
  });
  return Status::ok();
}

}  // namespace

Conv2dChannelDims conv2dChannelDims(const Node& conv2d) {
  const ConvGeometry& geo = conv2d.paramsAs<ConvGeometry>();
  return {geo.nhwc ? size_t(3) : size_t(1), geo.filterToOhwi[0]};
}

void registerConv2dOps(OpRegistry& r) {
  r.add(OpType::Conv2d, validateConv2d, lowerConv2d);
}

}  // namespace webnn
