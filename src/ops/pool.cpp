// averagePool2d, maxPool2d, l2Pool2d: windowDimensions (default: the whole spatial extent), padding,
// strides, dilations, layout (nchw default), outputShapeRounding or outputSizes.
#include <cmath>

#include "kernels/layout/transpose.h"
#include "kernels/pool/pool2d.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

struct PoolGeometry {
  bool nhwc;
  Pool2dParams p;
};

Status geometry(const Graph& g, const Node& node, PoolGeometry* geo) {
  const Attributes& at = node.attrs;
  const OperandDesc& input = g.desc(node.input("input"));
  WEBNN_RETURN_IF_ERROR(checkDataType(node, "input", input, kFloatTypes));
  WEBNN_RETURN_IF_ERROR(checkRank(node, "input", input, 4, 4));
  std::string layout = at.getString("layout", "nchw");
  if (layout != "nchw" && layout != "nhwc") return opError(node, "layout must be 'nchw' or 'nhwc'");
  bool nhwc = layout == "nhwc";
  size_t H = input.shape[nhwc ? 1 : 2], W = input.shape[nhwc ? 2 : 3];
  std::vector<int64_t> window = at.getInts<int64_t>("windowDimensions", {int64_t(H), int64_t(W)});
  std::vector<int64_t> padding = at.getInts<int64_t>("padding", {0, 0, 0, 0});
  std::vector<int64_t> strides = at.getInts<int64_t>("strides", {1, 1});
  std::vector<int64_t> dilations = at.getInts<int64_t>("dilations", {1, 1});
  if (window.size() != 2) return opError(node, "windowDimensions must have 2 values, got " + listToString(window));
  if (padding.size() != 4) return opError(node, "padding must have 4 values, got " + listToString(padding));
  if (strides.size() != 2) return opError(node, "strides must have 2 values, got " + listToString(strides));
  if (dilations.size() != 2) return opError(node, "dilations must have 2 values, got " + listToString(dilations));
  WEBNN_RETURN_IF_ERROR(checkUnsignedList(node, "windowDimensions", window, 1));
  WEBNN_RETURN_IF_ERROR(checkUnsignedList(node, "padding", padding, 0));
  WEBNN_RETURN_IF_ERROR(checkUnsignedList(node, "strides", strides, 1));
  WEBNN_RETURN_IF_ERROR(checkUnsignedList(node, "dilations", dilations, 1));
  std::string rounding = at.getString("outputShapeRounding", "floor");
  bool ceilRounding = rounding == "ceil";
  int64_t sizes[2];
  int64_t in[2] = {int64_t(H), int64_t(W)};
  for (int i = 0; i < 2; ++i) {
    int64_t floorSize = 0, ceilSize = 0;
    Status s = windowOutputSize(node, in[i], window[i], dilations[i], padding[2 * i], padding[2 * i + 1], strides[i],
                                &floorSize, &ceilSize);
    if (!s.isOk())
      return opError(node, "window " + listToString(window) + " (dilations " + listToString(dilations) + ") on input " +
                               shapeToString(input.shape) + ": " + s.message().substr(node.displayName().size() + 2));
    sizes[i] = ceilRounding ? ceilSize : floorSize;
    if (at.has("outputSizes")) {
      std::vector<int64_t> os = at.getInts<int64_t>("outputSizes");
      if (os.size() != 2) return opError(node, "outputSizes must have 2 values, got " + listToString(os));
      if (os[i] != floorSize && os[i] != ceilSize)
        return opError(node, "outputSizes " + listToString(os) + " match neither floor nor ceil rounding of the output size");
      sizes[i] = os[i];
    }
  }
  Pool2dParams& p = geo->p;
  geo->nhwc = nhwc;
  p.batch = input.shape[0];
  p.channels = input.shape[nhwc ? 3 : 1];
  p.inputHeight = H;
  p.inputWidth = W;
  p.outputHeight = size_t(sizes[0]);
  p.outputWidth = size_t(sizes[1]);
  p.windowHeight = size_t(window[0]);
  p.windowWidth = size_t(window[1]);
  p.strideHeight = size_t(strides[0]);
  p.strideWidth = size_t(strides[1]);
  p.dilationHeight = size_t(dilations[0]);
  p.dilationWidth = size_t(dilations[1]);
  p.padTop = size_t(padding[0]);
  p.padLeft = size_t(padding[2]);
  return Status::ok();
}

Status validatePool(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs) {
  PoolGeometry geo;
  WEBNN_RETURN_IF_ERROR(geometry(g, node, &geo));
  const Pool2dParams& p = geo.p;
  uint32_t N = uint32_t(p.batch), C = uint32_t(p.channels), OH = uint32_t(p.outputHeight), OW = uint32_t(p.outputWidth);
  Shape out = geo.nhwc ? Shape{N, OH, OW, C} : Shape{N, C, OH, OW};
  outputs->push_back({g.desc(node.input("input")).dataType, out});
  return Status::ok();
}

Status lowerPool(const Node& node, Lowering& l) {
  PoolGeometry geo;
  WEBNN_RETURN_IF_ERROR(geometry(l.graph(), node, &geo));
  PoolKind kind = node.op == "maxPool2d" ? PoolKind::Max : node.op == "l2Pool2d" ? PoolKind::L2 : PoolKind::Average;
  int in = node.input("input"), out = node.outputs[0];
  Pool2dParams p = geo.p;
  if (geo.nhwc) {
    l.addStep(node.op, {in}, {out}, [=](const StepContext& c) { pool2dF32(c.pool, kind, p, c.get<float>(in), c.get<float>(out)); });
    return Status::ok();
  }
  // nchw: pool in NHWC between two layout conversions (except where the layout pass kept a
  // neighbour's data NHWC).
  bool convertIn = !node.nhwcIn, convertOut = !node.nhwcOut;
  int inNhwc = convertIn ? l.addScratch(p.batch * p.inputHeight * p.inputWidth * p.channels * sizeof(float)) : -1;
  int outNhwc = convertOut ? l.addScratch(p.batch * p.outputHeight * p.outputWidth * p.channels * sizeof(float)) : -1;
  Shape inShape = l.graph().desc(in).shape;
  Shape outNhwcShape{uint32_t(p.batch), uint32_t(p.outputHeight), uint32_t(p.outputWidth), uint32_t(p.channels)};
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
    if (convertIn) nchwToNhwc(sizeof(float), inShape, c.ptrs[in], c.ptrs[inNhwc]);
    pool2dF32(c.pool, kind, p, c.get<float>(convertIn ? inNhwc : in), c.get<float>(convertOut ? outNhwc : out));
    if (convertOut) nhwcToNchw(sizeof(float), outNhwcShape, c.ptrs[outNhwc], c.ptrs[out]);
  });
  return Status::ok();
}

}  // namespace

void registerPoolOps(OpRegistry& r) {
  DataTypeSet t = kFloatTypes;  // float16 computes in float32 (src/compiler/float16.cpp)
  for (const char* name : {"averagePool2d", "maxPool2d", "l2Pool2d"})
    r.add({name, validatePool, lowerPool, {{"input", t, 4, 4}, {"output", t, 4, 4}}});
}

}  // namespace webnn
