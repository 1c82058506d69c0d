// averagePool2d, maxPool2d, l2Pool2d: windowDimensions (default: the whole spatial extent), padding,
// strides, dilations, layout (nchw default), outputShapeRounding or outputSizes.
#include <cmath>

#include "ops/pool.h"

#include "kernels/layout/transpose.h"
#include "kernels/pool/pool2d.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

// The pools' Params: the checked geometry (validate), which lower runs.
struct PoolGeometry : OpParams {
  bool nhwc = false;
  bool skipNaN = false;  // maxPool2d as PoolKind::MaxSkipNaN (makeMaxPoolSkipNaN)
  Pool2dParams p;
};

Status geometry(const Graph& g, const Node& node, PoolGeometry* geo) {
  const Attributes& at = node.attrs;
  const OperandDesc& input = g.desc(node.input("input"));
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
  int64_t in[2] = {int64_t(H), int64_t(W)};
  int64_t floorSizes[2], ceilSizes[2];
  for (int i = 0; i < 2; ++i) {
    Status s = windowOutputSize(node, in[i], window[i], dilations[i], padding[2 * i], padding[2 * i + 1], strides[i],
                                &floorSizes[i], &ceilSizes[i]);
    if (!s.isOk())
      return opError(node, "window " + listToString(window) + " (dilations " + listToString(dilations) + ") on input " +
                               shapeToString(input.shape) + ": " + s.message().substr(node.displayName().size() + 2));
  }
  // outputSizes must be the floor sizes or the ceil sizes of both dimensions, not a mix.
  int64_t sizes[2] = {ceilRounding ? ceilSizes[0] : floorSizes[0], ceilRounding ? ceilSizes[1] : floorSizes[1]};
  if (at.has("outputSizes")) {
    std::vector<int64_t> os = at.getInts<int64_t>("outputSizes");
    if (os.size() != 2) return opError(node, "outputSizes must have 2 values, got " + listToString(os));
    bool isFloor = os[0] == floorSizes[0] && os[1] == floorSizes[1];
    bool isCeil = os[0] == ceilSizes[0] && os[1] == ceilSizes[1];
    if (!isFloor && !isCeil)
      return opError(node, "outputSizes " + listToString(os) + " must be the floor sizes " +
                               listToString({floorSizes[0], floorSizes[1]}) + " or the ceil sizes " +
                               listToString({ceilSizes[0], ceilSizes[1]}));
    sizes[0] = os[0];
    sizes[1] = os[1];
  }
  // A window may overhang the padded input (the ceil size is then 1): only a size below 1 is an error.
  for (int i = 0; i < 2; ++i)
    if (sizes[i] < 1)
      return opError(node, "window " + listToString(window) + " (dilations " + listToString(dilations) + ") on input " +
                               shapeToString(input.shape) + ": " +
                               windowTooLarge(in[i], window[i], dilations[i], padding[2 * i], padding[2 * i + 1]));
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

Status validatePool(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  PoolGeometry geo;
  WEBNN_RETURN_IF_ERROR(geometry(g, node, &geo));
  const Pool2dParams& p = geo.p;
  storeParams(params, geo);
  uint32_t N = uint32_t(p.batch), C = uint32_t(p.channels), OH = uint32_t(p.outputHeight), OW = uint32_t(p.outputWidth);
  Shape out = geo.nhwc ? Shape{N, OH, OW, C} : Shape{N, C, OH, OW};
  outputs->push_back({g.desc(node.input("input")).dataType, out});
  return Status::ok();
}

Status lowerPool(const Node& node, Lowering& l) {
  const PoolGeometry& geo = node.paramsAs<PoolGeometry>();
  PoolKind kind = node.type == OpType::MaxPool2d  ? (geo.skipNaN ? PoolKind::MaxSkipNaN : PoolKind::Max)
                  : node.type == OpType::L2Pool2d ? PoolKind::L2
                                                  : PoolKind::Average;
  const std::string name = geo.skipNaN ? node.op + " (NaN skipped)" : node.op;
  int in = node.input("input"), out = node.outputs[0];
  Pool2dParams p = geo.p;
  DataType type = l.graph().desc(in).dataType;  // float32, or an integer type (maxPool2d)
  size_t elem = dataTypeSize(type);
  auto poolNhwc = [=](const StepContext& c, const void* x, void* y) {
    if (type == DataType::Float32)
      pool2dF32(c.pool, kind, p, static_cast<const float*>(x), static_cast<float*>(y));
    else
      maxPool2dInt(type, p, x, y);
  };
  if (geo.nhwc) {
    l.addStep(name, {in}, {out}, [=](const StepContext& c) { poolNhwc(c, c.ptrs[in], c.ptrs[out]); });
    return Status::ok();
  }
  // nchw: pool in NHWC between two layout conversions (except where the layout pass kept a
  // neighbour's data NHWC).
  bool convertIn = !node.nhwcIn, convertOut = !node.nhwcOut;
  int inNhwc = convertIn ? l.addScratch(p.batch * p.inputHeight * p.inputWidth * p.channels * elem) : -1;
  int outNhwc = convertOut ? l.addScratch(p.batch * p.outputHeight * p.outputWidth * p.channels * elem) : -1;
  Shape inShape = l.graph().desc(in).shape;
  Shape outNhwcShape{uint32_t(p.batch), uint32_t(p.outputHeight), uint32_t(p.outputWidth), uint32_t(p.channels)};
  l.addStep(name, {in}, {out}, [=](const StepContext& c) {
    if (convertIn) nchwToNhwc(c.pool, elem, inShape, c.ptrs[in], c.ptrs[inNhwc]);
    poolNhwc(c, c.ptrs[convertIn ? inNhwc : in], c.ptrs[convertOut ? outNhwc : out]);
    if (convertOut) nhwcToNchw(c.pool, elem, outNhwcShape, c.ptrs[outNhwc], c.ptrs[out]);
  });
  return Status::ok();
}

}  // namespace

void makeMaxPoolSkipNaN(Node& maxPool2d) {
  PoolGeometry geo = maxPool2d.paramsAs<PoolGeometry>();
  geo.skipNaN = true;
  maxPool2d.params = std::make_shared<PoolGeometry>(geo);
}

void registerPoolOps(OpRegistry& r) {
  for (OpType t : {OpType::AveragePool2d, OpType::MaxPool2d, OpType::L2Pool2d}) r.add(t, validatePool, lowerPool);
}

}  // namespace webnn
