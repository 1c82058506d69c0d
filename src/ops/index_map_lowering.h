// Helpers for data-movement ops lowered onto indexMapCopy (src/kernels/layout/index_map.h).
#pragma once
#include <memory>

#include "ops/lowering.h"
#include "kernels/layout/index_map.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {

// Row-major element strides of a shape.
inline std::vector<int64_t> elementStrides(const Shape& s) {
  std::vector<int64_t> st(s.size(), 1);
  for (size_t d = s.size(); d-- > 1;) st[d - 1] = st[d] * int64_t(s[d]);
  return st;
}

// Maps sized for an output shape with element size `es`; callers fill offsets[d] with input element
// indices (or -1), then scaleToBytes() converts them with the input's strides.
inline IndexMaps makeIndexMaps(size_t es, const Shape& outShape) {
  IndexMaps m;
  m.elementSize = es;
  m.outShape = outShape;
  m.offsets.resize(outShape.size());
  for (size_t d = 0; d < outShape.size(); ++d) m.offsets[d].assign(outShape[d], 0);
  m.fill.assign(es, 0);
  return m;
}

inline void scaleToBytes(IndexMaps* m, const Shape& inShape) {
  std::vector<int64_t> st = elementStrides(inShape);
  for (size_t d = 0; d < m->offsets.size(); ++d)
    for (int64_t& o : m->offsets[d])
      if (o >= 0) o *= st[d] * int64_t(m->elementSize);
}

inline void addIndexMapStep(const Node& node, Lowering& l, int in, int out, IndexMaps maps) {
  auto shared = std::make_shared<IndexMaps>(std::move(maps));
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) { indexMapCopy(c.pool, *shared, c.ptrs[in], c.ptrs[out]); });
}

// Writes `value` converted to `t` into `bytes` (the fill of pad's constant mode).
void encodeScalar(DataType t, double value, std::vector<uint8_t>* bytes);

}  // namespace webnn
