// convTranspose2d(input, filter, {padding, strides, dilations, outputPadding, outputSizes, groups,
// inputLayout, filterLayout 'iohw'|'hwoi'|'ohwi', bias}) on float32.
// Per batch and group: cols[H*W, KH*KW*Og] = input[H*W, Ig] x filter[Ig, KH*KW*Og] (the GEMM kernel),
// then a col2im scatter-add into the NHWC output, then bias and the (fused) activation.
#include <cstring>
#include <memory>

#include "kernels/gemm/gemm.h"
#include "kernels/layout/transpose.h"
#include "ops/fused_activation.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

// convTranspose2d's Params: the checked geometry (validate), which lower packs and runs.
struct Geometry : OpParams {
  bool nhwc = false;
  std::vector<size_t> filterToIhwo;  // permutation from the filter's layout to [I, KH, KW, O/groups]
  size_t N = 0, H = 0, W = 0, C = 0, OH = 0, OW = 0, O = 0, KH = 0, KW = 0, groups = 1;
  size_t sh = 1, sw = 1, dh = 1, dw = 1, padTop = 0, padLeft = 0;
};

Status geometry(const Graph& g, const Node& node, Geometry* geo) {
  const Attributes& at = node.attrs;
  const OperandDesc& input = g.desc(node.input("input"));
  const OperandDesc& filter = g.desc(node.input("filter"));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "filter", filter, "input", input));
  std::vector<int64_t> padding = at.getInts<int64_t>("padding", {0, 0, 0, 0});
  std::vector<int64_t> strides = at.getInts<int64_t>("strides", {1, 1});
  std::vector<int64_t> dilations = at.getInts<int64_t>("dilations", {1, 1});
  std::vector<int64_t> outputPadding = at.getInts<int64_t>("outputPadding", {0, 0});
  if (padding.size() != 4) return opError(node, "padding must have 4 values, got " + listToString(padding));
  if (strides.size() != 2) return opError(node, "strides must have 2 values, got " + listToString(strides));
  if (strides[0] == 0 || strides[1] == 0) return opError(node, "strides must be greater than 0");
  if (dilations.size() != 2) return opError(node, "dilations must have 2 values, got " + listToString(dilations));
  if (dilations[0] == 0 || dilations[1] == 0) return opError(node, "dilations must be greater than 0");
  if (outputPadding.size() != 2) return opError(node, "outputPadding must have 2 values, got " + listToString(outputPadding));
  bool hasSizes = at.has("outputSizes");
  std::vector<int64_t> outputSizes = at.getInts<int64_t>("outputSizes");
  if (hasSizes) {
    if (outputSizes.size() != 2) return opError(node, "outputSizes must have 2 values, got " + listToString(outputSizes));
  } else if (outputPadding[0] >= strides[0] || outputPadding[1] >= strides[1]) {
    return opError(node, "outputPadding " + listToString(outputPadding) + " must be smaller than strides " +
                             listToString(strides));
  }
  int64_t groups = at.getInt("groups", 1);
  if (groups == 0) return opError(node, "groups must be greater than 0");
  std::string inputLayout = at.getString("inputLayout", "nchw"), filterLayout = at.getString("filterLayout", "iohw");
  if (inputLayout != "nchw" && inputLayout != "nhwc") return opError(node, "inputLayout must be 'nchw' or 'nhwc'");
  bool nhwc = inputLayout == "nhwc";
  // perm[k] = the filter dim holding I, KH, KW, O/groups.
  std::vector<size_t> perm;
  if (filterLayout == "iohw") perm = {0, 2, 3, 1};
  else if (filterLayout == "hwoi") perm = {3, 0, 1, 2};
  else if (filterLayout == "ohwi") perm = {3, 1, 2, 0};
  else return opError(node, "filterLayout must be one of 'iohw', 'hwoi', 'ohwi'");
  size_t C = input.shape[nhwc ? 3 : 1], H = input.shape[nhwc ? 1 : 2], W = input.shape[nhwc ? 2 : 3];
  size_t FI = filter.shape[perm[0]], KH = filter.shape[perm[1]], KW = filter.shape[perm[2]], FO = filter.shape[perm[3]];
  if (C != FI)
    return opError(node, "the input has " + std::to_string(C) + " channels but the filter " + shapeToString(filter.shape) +
                             " (" + filterLayout + ") has " + std::to_string(FI) + " input channels");
  if (C % size_t(groups) != 0)
    return opError(node, "the input channels (" + std::to_string(C) + ") must be divisible by groups (" +
                             std::to_string(groups) + ")");
  uint64_t O = uint64_t(FO) * uint64_t(groups);
  if (O > UINT32_MAX) return opError(node, "the output channels are too many");
  int bias = node.input("bias");
  if (bias >= 0) {
    const OperandDesc& b = g.desc(bias);
    WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "bias", b, "input", input));
    if (b.shape != Shape{uint32_t(O)})
      return opError(node, "bias must have shape [" + std::to_string(O) + "], got " + shapeToString(b.shape));
  }
  int64_t in[2] = {int64_t(H), int64_t(W)}, k[2] = {int64_t(KH), int64_t(KW)}, out[2];
  for (int i = 0; i < 2; ++i) {
    int64_t calculated = (in[i] - 1) * strides[i] + (k[i] - 1) * dilations[i] + 1 - padding[2 * i] - padding[2 * i + 1];
    if (hasSizes) {
      if (outputSizes[i] < calculated || outputSizes[i] >= calculated + strides[i])
        return opError(node, "outputSizes " + listToString(outputSizes) + " must be at least the computed size " +
                                 std::to_string(calculated) + " and less than it plus the stride");
      out[i] = outputSizes[i];
    } else {
      out[i] = calculated + outputPadding[i];
    }
    if (out[i] <= 0 || out[i] > UINT32_MAX)
      return opError(node, "the output size " + std::to_string(out[i]) + " is not a valid dimension");
  }
  geo->nhwc = nhwc;
  geo->filterToIhwo = perm;
  geo->N = input.shape[0];
  geo->H = H;
  geo->W = W;
  geo->C = C;
  geo->OH = size_t(out[0]);
  geo->OW = size_t(out[1]);
  geo->O = size_t(O);
  geo->KH = KH;
  geo->KW = KW;
  geo->groups = size_t(groups);
  geo->sh = size_t(strides[0]);
  geo->sw = size_t(strides[1]);
  geo->dh = size_t(dilations[0]);
  geo->dw = size_t(dilations[1]);
  geo->padTop = size_t(padding[0]);
  geo->padLeft = size_t(padding[2]);
  return Status::ok();
}

Status validateConvTranspose2d(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  Geometry geo;
  WEBNN_RETURN_IF_ERROR(geometry(g, node, &geo));
  storeParams(params, geo);
  uint32_t N = uint32_t(geo.N), O = uint32_t(geo.O), OH = uint32_t(geo.OH), OW = uint32_t(geo.OW);
  outputs->push_back({g.desc(node.input("input")).dataType, geo.nhwc ? Shape{N, OH, OW, O} : Shape{N, O, OH, OW}});
  return Status::ok();
}

// col2im: out[n, ih*sh - padTop + kh*dh, iw*sw - padLeft + kw*dw, g*Og + o] += cols[ih*W + iw, (kh*KW + kw)*Og + o].
void col2imAdd(const Geometry& p, size_t group, const float* cols, float* outNhwc) {
  size_t Og = p.O / p.groups, colStride = p.KH * p.KW * Og;
  for (size_t ih = 0; ih < p.H; ++ih)
    for (size_t iw = 0; iw < p.W; ++iw) {
      const float* row = cols + (ih * p.W + iw) * colStride;
      for (size_t kh = 0; kh < p.KH; ++kh) {
        int64_t oh = int64_t(ih * p.sh + kh * p.dh) - int64_t(p.padTop);
        if (oh < 0 || oh >= int64_t(p.OH)) continue;
        for (size_t kw = 0; kw < p.KW; ++kw) {
          int64_t ow = int64_t(iw * p.sw + kw * p.dw) - int64_t(p.padLeft);
          if (ow < 0 || ow >= int64_t(p.OW)) continue;
          float* dst = outNhwc + (size_t(oh) * p.OW + size_t(ow)) * p.O + group * Og;
          const float* src = row + (kh * p.KW + kw) * Og;
          for (size_t o = 0; o < Og; ++o) dst[o] += src[o];
        }
      }
    }
}

Status lowerConvTranspose2d(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  const Geometry p = node.paramsAs<Geometry>();
  Activation act = fusedActivationOf(g, node);
  int in = node.input("input"), filter = node.input("filter"), bias = node.input("bias"), out = node.outputs[0];
  Shape filterShape = g.desc(filter).shape;
  std::vector<size_t> perm = p.filterToIhwo;
  size_t Ig = p.C / p.groups, Og = p.O / p.groups, K = Ig, Ncols = p.KH * p.KW * Og;
  bool constantFilter = g.isConstant(filter);
  // Constant filters: rearranged to [I, KH, KW, Og] and packed per group, once.
  auto packed = std::make_shared<std::vector<PackedGemmB>>(p.groups);
  int ihwoScratch = -1, gemmScratch = -1;
  if (constantFilter) {
    AlignedBuffer ihwo;
    if (!ihwo.allocate(g.desc(filter).byteLength())) return Status::error(ErrorKind::UnknownError, node.displayName() + ": out of memory");
    transposeKernel(nullptr, sizeof(float), filterShape, perm.data(), g.constantData<float>(filter), ihwo.data());
    for (size_t gr = 0; gr < p.groups; ++gr)
      if (!packGemmB(ihwo.as<float>() + gr * K * Ncols, K, Ncols, Ncols, false, &(*packed)[gr]))
        return Status::error(ErrorKind::UnknownError, node.displayName() + ": out of memory packing the filter");
  } else {
    ihwoScratch = l.addScratch(g.desc(filter).byteLength());
    gemmScratch = l.addScratch(gemmUnpackedScratchBytes(K, Ncols));
  }
  int cols = l.addScratch(satMul(p.H, p.W, Ncols, sizeof(float)));  // may exceed the address space: saturate
  int inNhwc = -1, outNhwc = -1;
  if (!p.nhwc) {
    inNhwc = l.addScratch(p.N * p.H * p.W * p.C * sizeof(float));
    outNhwc = l.addScratch(p.N * p.OH * p.OW * p.O * sizeof(float));
  }
  Shape inShape = g.desc(in).shape;
  Shape outNhwcShape{uint32_t(p.N), uint32_t(p.OH), uint32_t(p.OW), uint32_t(p.O)};
  std::vector<int> reads{in};  // a constant filter is read packed, never as is
  if (!constantFilter) reads.push_back(filter);
  if (bias >= 0) reads.push_back(bias);
  l.addStep("convTranspose2d" + node.fusedName, reads, {out}, [=](const StepContext& c) {
    const float* x = c.get<float>(in);
    float* y = p.nhwc ? c.get<float>(out) : c.get<float>(outNhwc);
    if (!p.nhwc) {
      nchwToNhwc(c.pool, sizeof(float), inShape, x, c.ptrs[inNhwc]);
      x = c.get<float>(inNhwc);
    }
    const float* ihwo = nullptr;
    if (!constantFilter) {
      transposeKernel(c.pool, sizeof(float), filterShape, perm.data(), c.ptrs[filter], c.ptrs[ihwoScratch]);
      ihwo = c.get<float>(ihwoScratch);
    }
    size_t outImage = p.OH * p.OW * p.O;
    std::memset(y, 0, p.N * outImage * sizeof(float));
    float* colBuf = c.get<float>(cols);
    Activation none;
    for (size_t n = 0; n < p.N; ++n)
      for (size_t gr = 0; gr < p.groups; ++gr) {
        const float* a = x + n * p.H * p.W * p.C + gr * Ig;
        if (constantFilter)
          gemmF32(c.pool, p.H * p.W, a, p.C, (*packed)[gr], nullptr, colBuf, Ncols, none);
        else
          gemmF32Unpacked(c.pool, p.H * p.W, Ncols, K, a, p.C, ihwo + gr * K * Ncols, Ncols, false, nullptr, colBuf, Ncols,
                          none, c.ptrs[gemmScratch]);
        col2imAdd(p, gr, colBuf, y + n * outImage);
      }
    size_t pixels = p.N * p.OH * p.OW;
    if (bias >= 0) {
      const float* b = c.get<float>(bias);
      for (size_t i = 0; i < pixels; ++i)
        for (size_t o = 0; o < p.O; ++o) y[i * p.O + o] += b[o];
    }
    applyActivation(act, y, pixels * p.O);
    if (!p.nhwc) nhwcToNchw(c.pool, sizeof(float), outNhwcShape, y, c.ptrs[out]);
  });
  return Status::ok();
}

}  // namespace

void registerConvTranspose2dOps(OpRegistry& r) {
  r.add(OpType::ConvTranspose2d, validateConvTranspose2d, lowerConvTranspose2d);
}

}  // namespace webnn
