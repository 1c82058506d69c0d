#include "kernels/elementwise/broadcast.h"

namespace webnn {

BroadcastPlan makeBroadcastPlan(const Shape& a, const Shape& b, const Shape& out) {
  size_t rank = out.size();
  // Per output dim: the dim's extent and whether a and b step along it.
  std::vector<size_t> dims;
  std::vector<bool> aSteps, bSteps;
  for (size_t i = 0; i < rank; ++i) {
    size_t ai = i + a.size() >= rank ? a[i + a.size() - rank] : 1;
    size_t bi = i + b.size() >= rank ? b[i + b.size() - rank] : 1;
    if (out[i] == 1) continue;  // size-1 dims do not affect iteration
    bool as = ai != 1, bs = bi != 1;
    if (!dims.empty() && aSteps.back() == as && bSteps.back() == bs) {
      dims.back() *= out[i];  // merge with the previous dim: both inputs step (or not) alike
    } else {
      dims.push_back(out[i]);
      aSteps.push_back(as);
      bSteps.push_back(bs);
    }
  }
  BroadcastPlan p;
  if (dims.empty()) return p;  // a single element
  p.inner = dims.back();
  p.aInnerStride = aSteps.back() ? 1 : 0;
  p.bInnerStride = bSteps.back() ? 1 : 0;
  size_t outer = dims.size() - 1;
  p.outerDims.assign(dims.begin(), dims.begin() + outer);
  p.aStrides.resize(outer);
  p.bStrides.resize(outer);
  size_t aStride = aSteps.back() ? p.inner : 1, bStride = bSteps.back() ? p.inner : 1;
  for (size_t d = outer; d-- > 0;) {
    p.aStrides[d] = aSteps[d] ? aStride : 0;
    p.bStrides[d] = bSteps[d] ? bStride : 0;
    if (aSteps[d]) aStride *= dims[d];
    if (bSteps[d]) bStride *= dims[d];
  }
  for (size_t d : p.outerDims) p.outerCount *= d;
  return p;
}

}  // namespace webnn
