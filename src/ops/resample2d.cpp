// resample2d(input, {mode, scales, sizes, axes}) on float32, following the spec's coordinate
// transformation: scale = outputSize / inputSize, x = clamp((o + 0.5) / scale - 0.5, 0, inputSize - 1);
// nearest-neighbor takes ceil(x - 0.5), linear blends floor(x) and ceil(x).
#include <cmath>
#include <memory>

#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

struct ResampleParams : OpParams {
  bool linear = false;
  size_t axes[2] = {2, 3};
};

Status validateResample2d(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  std::string mode = node.attrs.getString("mode", "nearest-neighbor");
  if (mode != "nearest-neighbor" && mode != "linear") return opError(node, "mode must be 'nearest-neighbor' or 'linear'");
  std::vector<double> scales = node.attrs.getNumbers("scales", {1.0, 1.0});
  if (scales.size() != 2) return opError(node, "scales must have 2 values");
  for (double s : scales)
    if (!(s > 0)) return opError(node, "scales must be greater than 0");
  bool hasSizes = node.attrs.has("sizes");
  std::vector<double> sizes = node.attrs.getNumbers("sizes");
  if (hasSizes && (sizes.size() != 2 || sizes[0] == 0 || sizes[1] == 0))
    return opError(node, "sizes must have 2 values greater than 0");
  std::vector<double> axes = node.attrs.getNumbers("axes", {2.0, 3.0});
  if (axes.size() != 2) return opError(node, "axes must have 2 values");
  if (axes[0] == axes[1] || axes[0] >= 4 || axes[1] >= 4)
    return opError(node, "axes must be two different dimensions below the input's rank (4)");
  OperandDesc out = input;
  for (size_t i = 0; i < 2; ++i) {
    double size = hasSizes ? sizes[i] : std::floor(input.shape[size_t(axes[i])] * scales[i]);
    if (!(size >= 1) || size > UINT32_MAX)
      return opError(node, "the output size along axis " + std::to_string(size_t(axes[i])) + " (" +
                               std::to_string(size) + ") is not a valid dimension");
    out.shape[size_t(axes[i])] = uint32_t(size);
  }
  ResampleParams p;
  p.linear = mode == "linear";
  p.axes[0] = size_t(axes[0]);
  p.axes[1] = size_t(axes[1]);
  storeParams(params, p);
  outputs->push_back(out);
  return Status::ok();
}

struct Taps {
  std::vector<size_t> i0, i1;
  std::vector<float> t;  // weight of i1
};

Taps makeTaps(size_t inSize, size_t outSize, bool linear) {
  Taps taps;
  double scale = double(outSize) / double(inSize);
  for (size_t o = 0; o < outSize; ++o) {
    double x = (double(o) + 0.5) / scale - 0.5;
    x = std::min(std::max(x, 0.0), double(inSize - 1));
    if (linear) {
      size_t x0 = size_t(std::floor(x)), x1 = size_t(std::ceil(x));
      taps.i0.push_back(x0);
      taps.i1.push_back(x1);
      taps.t.push_back(float(x - double(x0)));
    } else {
      size_t n = size_t(std::ceil(x - 0.5));
      taps.i0.push_back(n);
      taps.i1.push_back(n);
      taps.t.push_back(0.f);
    }
  }
  return taps;
}

Status lowerResample2d(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), out = node.outputs[0];
  Shape is = g.desc(in).shape, os = g.desc(out).shape;
  const ResampleParams& p = node.paramsAs<ResampleParams>();
  bool linear = p.linear;
  const size_t axes[2] = {p.axes[0], p.axes[1]};
  // Index maps per dim: resampled dims take taps, the others pass through.
  auto taps = std::make_shared<std::vector<Taps>>(4);
  for (size_t d = 0; d < 4; ++d) {
    bool resampled = d == axes[0] || d == axes[1];
    if (resampled) (*taps)[d] = makeTaps(is[d], os[d], linear);
    else (*taps)[d] = makeTaps(is[d], is[d], false);  // identity
  }
  size_t st[4] = {size_t(is[1]) * is[2] * is[3], size_t(is[2]) * is[3], is[3], 1};
  size_t a0 = axes[0], a1 = axes[1];
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
    const float* x = c.get<float>(in);
    float* y = c.get<float>(out);
    const std::vector<Taps>& T = *taps;
    size_t o = 0, idx[4];
    for (idx[0] = 0; idx[0] < os[0]; ++idx[0])
      for (idx[1] = 0; idx[1] < os[1]; ++idx[1])
        for (idx[2] = 0; idx[2] < os[2]; ++idx[2])
          for (idx[3] = 0; idx[3] < os[3]; ++idx[3], ++o) {
            size_t base = 0;
            for (size_t d = 0; d < 4; ++d)
              if (d != a0 && d != a1) base += T[d].i0[idx[d]] * st[d];
            const Taps &A = T[a0], &B = T[a1];
            size_t i = idx[a0], j = idx[a1];
            if (!linear) {
              y[o] = x[base + A.i0[i] * st[a0] + B.i0[j] * st[a1]];
              continue;
            }
            float v00 = x[base + A.i0[i] * st[a0] + B.i0[j] * st[a1]], v01 = x[base + A.i0[i] * st[a0] + B.i1[j] * st[a1]];
            float v10 = x[base + A.i1[i] * st[a0] + B.i0[j] * st[a1]], v11 = x[base + A.i1[i] * st[a0] + B.i1[j] * st[a1]];
            float tb = B.t[j], ta = A.t[i];
            float r0 = v00 * (1 - tb) + v01 * tb, r1 = v10 * (1 - tb) + v11 * tb;
            y[o] = r0 * (1 - ta) + r1 * ta;
          }
  });
  return Status::ok();
}

}  // namespace

void registerResampleOps(OpRegistry& r) {
  r.add(OpType::Resample2d, validateResample2d, lowerResample2d);
}

}  // namespace webnn
