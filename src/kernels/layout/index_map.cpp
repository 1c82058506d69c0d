#include "kernels/layout/index_map.h"

#include <cstring>

#include "kernels/task_split.h"

namespace webnn {
namespace {

template <size_t ES>
void copyRow(const uint8_t* in, const int64_t* offs, size_t n, uint8_t* out, const uint8_t* fill) {
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* src = offs[i] < 0 ? fill : in + offs[i];
    std::memcpy(out + i * ES, src, ES);
  }
}

void copyRowAny(size_t es, const uint8_t* in, const int64_t* offs, size_t n, uint8_t* out, const uint8_t* fill) {
  switch (es) {
    case 1: return copyRow<1>(in, offs, n, out, fill);
    case 2: return copyRow<2>(in, offs, n, out, fill);
    case 4: return copyRow<4>(in, offs, n, out, fill);
    case 8: return copyRow<8>(in, offs, n, out, fill);
    default:
      for (size_t i = 0; i < n; ++i) std::memcpy(out + i * es, offs[i] < 0 ? fill : in + offs[i], es);
  }
}

// n copies of the element at `value`.
template <typename T>
void fillRow(const uint8_t* value, size_t n, uint8_t* out) {
  T v;
  std::memcpy(&v, value, sizeof(T));
  for (size_t i = 0; i < n; ++i) std::memcpy(out + i * sizeof(T), &v, sizeof(T));
}

void fillRowAny(size_t es, const uint8_t* value, size_t n, uint8_t* out) {
  switch (es) {
    case 1: std::memset(out, *value, n); return;
    case 2: return fillRow<uint16_t>(value, n, out);
    case 4: return fillRow<uint32_t>(value, n, out);
    case 8: return fillRow<uint64_t>(value, n, out);
    default:
      for (size_t i = 0; i < n; ++i) std::memcpy(out + i * es, value, es);
  }
}

// Row-major element strides of `s` (rank <= kMaxRank) into `st`.
void stridesOf(const Shape& s, size_t* st) {
  for (size_t d = s.size(), n = 1; d-- > 0; n *= s[d]) st[d] = n;
}

}  // namespace

void indexMapCopy(ThreadPool* pool, const IndexMaps& m, const void* input, void* output) {
  const uint8_t* in = static_cast<const uint8_t*>(input);
  uint8_t* out = static_cast<uint8_t*>(output);
  size_t es = m.elementSize, rank = m.outShape.size();
  if (rank == 0) {
    std::memcpy(out, in, es);
    return;
  }
  size_t total = 1;
  for (uint32_t d : m.outShape) total *= d;
  if (total == 0) return;
  size_t inner = m.outShape[rank - 1];
  const int64_t* innerOffs = m.offsets[rank - 1].data();
  // Whether the innermost map is contiguous (offsets base, base+es, ...): then rows are memcpy'd.
  bool contiguous = true, uniform = innerOffs[0] >= 0;
  for (size_t i = 0; i < inner && contiguous; ++i) contiguous = innerOffs[i] == innerOffs[0] + int64_t(i * es) && innerOffs[0] >= 0;
  // Or one element repeated (expand or tile along the innermost dim of size 1): rows are filled.
  for (size_t i = 1; i < inner && uniform; ++i) uniform = innerOffs[i] == innerOffs[0];
  // Output rows [first, first + count), each thread with its own odometer over the outer dims.
  auto copyRows = [&](size_t first, size_t count) {
    size_t idx[kMaxRank] = {};
    int64_t base = 0;
    int fills = 0;  // how many outer dims currently point at a fill entry
    for (size_t k = rank - 1, rem = first; k-- > 0; rem /= m.outShape[k]) {
      idx[k] = rem % m.outShape[k];
      int64_t o = m.offsets[k][idx[k]];
      if (o < 0) ++fills; else base += o;
    }
    for (size_t row = first; row < first + count; ++row) {
      uint8_t* dst = out + row * inner * es;
      if (fills) {
        for (size_t i = 0; i < inner; ++i) std::memcpy(dst + i * es, m.fill.data(), es);
      } else if (contiguous) {
        std::memcpy(dst, in + base + innerOffs[0], inner * es);
      } else if (uniform) {
        fillRowAny(es, in + base + innerOffs[0], inner, dst);
      } else {
        copyRowAny(es, in + base, innerOffs, inner, dst, m.fill.data());
      }
      // Advance the outer odometer.
      for (size_t k = rank - 1; k-- > 0;) {
        int64_t o = m.offsets[k][idx[k]];
        if (o < 0) --fills; else base -= o;
        if (++idx[k] == m.outShape[k]) idx[k] = 0;
        o = m.offsets[k][idx[k]];
        if (o < 0) ++fills; else base += o;
        if (idx[k] != 0) break;
      }
    }
  };
  runSplitCopyRows(pool, total / inner, inner * es, copyRows);
}

int64_t loadClampedIndex(DataType t, const void* indices, size_t i, size_t dim) {
  int64_t v;
  switch (t) {
    case DataType::Int32: v = static_cast<const int32_t*>(indices)[i]; break;
    case DataType::Uint32: v = static_cast<const uint32_t*>(indices)[i]; break;
    case DataType::Int64: v = static_cast<const int64_t*>(indices)[i]; break;
    default: v = 0;
  }
  int64_t n = int64_t(dim);
  if (v < 0) v += n;
  if (v < 0) v = 0;
  if (v >= n) v = n - 1;
  return v;
}

void gatherKernel(size_t es, size_t outer, size_t axisDim, size_t inner, const void* input, DataType indexType,
                  const void* indices, size_t indexCount, void* output, size_t* idx) {
  const uint8_t* in = static_cast<const uint8_t*>(input);
  uint8_t* out = static_cast<uint8_t*>(output);
  size_t rowBytes = inner * es;
  for (size_t n = 0; n < indexCount; ++n) idx[n] = size_t(loadClampedIndex(indexType, indices, n, axisDim));
  for (size_t o = 0; o < outer; ++o)
    for (size_t n = 0; n < indexCount; ++n)
      std::memcpy(out + (o * indexCount + n) * rowBytes, in + (o * axisDim + idx[n]) * rowBytes, rowBytes);
}

// Walks every coordinate of `shape` in order, calling f(linearIndex, inputOffsetWithoutAxis, axisStride).
template <typename F>
static void forEachElementsCoord(const Shape& inputShape, const Shape& shape, size_t axis, F f) {
  size_t rank = shape.size();
  size_t inStrides[kMaxRank], c[kMaxRank] = {};
  stridesOf(inputShape, inStrides);
  size_t total = 1;
  for (uint32_t d : shape) total *= d;
  for (size_t i = 0; i < total; ++i) {
    size_t off = 0;
    for (size_t d = 0; d < rank; ++d)
      if (d != axis) off += c[d] * inStrides[d];
    f(i, off, inStrides[axis]);
    for (size_t d = rank; d-- > 0;) {
      if (++c[d] < shape[d]) break;
      c[d] = 0;
    }
  }
}

void gatherElementsKernel(size_t es, const Shape& inputShape, const Shape& indicesShape, size_t axis,
                          const void* input, DataType indexType, const void* indices, void* output) {
  const uint8_t* in = static_cast<const uint8_t*>(input);
  uint8_t* out = static_cast<uint8_t*>(output);
  size_t dim = inputShape[axis];
  forEachElementsCoord(inputShape, indicesShape, axis, [&](size_t i, size_t off, size_t axisStride) {
    size_t j = size_t(loadClampedIndex(indexType, indices, i, dim));
    std::memcpy(out + i * es, in + (off + j * axisStride) * es, es);
  });
}

void scatterElementsKernel(size_t es, const Shape& inputShape, const Shape& indicesShape, size_t axis,
                           const void* input, DataType indexType, const void* indices, const void* updates,
                           void* output) {
  size_t total = 1;
  for (uint32_t d : inputShape) total *= d;
  if (output != input) std::memcpy(output, input, total * es);
  const uint8_t* upd = static_cast<const uint8_t*>(updates);
  uint8_t* out = static_cast<uint8_t*>(output);
  size_t dim = inputShape[axis];
  forEachElementsCoord(inputShape, indicesShape, axis, [&](size_t i, size_t off, size_t axisStride) {
    size_t j = size_t(loadClampedIndex(indexType, indices, i, dim));
    std::memcpy(out + (off + j * axisStride) * es, upd + i * es, es);
  });
}

static size_t ndOffset(const Shape& inputShape, const size_t* strides, size_t k, DataType t,
                       const void* indices, size_t row) {
  size_t off = 0;
  for (size_t d = 0; d < k; ++d) off += size_t(loadClampedIndex(t, indices, row * k + d, inputShape[d])) * strides[d];
  return off;
}

void gatherNDKernel(size_t es, const Shape& inputShape, size_t rows, size_t k, const void* input, DataType indexType,
                    const void* indices, void* output) {
  size_t strides[kMaxRank];
  stridesOf(inputShape, strides);
  size_t slice = 1;
  for (size_t d = k; d < inputShape.size(); ++d) slice *= inputShape[d];
  const uint8_t* in = static_cast<const uint8_t*>(input);
  uint8_t* out = static_cast<uint8_t*>(output);
  for (size_t r = 0; r < rows; ++r)
    std::memcpy(out + r * slice * es, in + ndOffset(inputShape, strides, k, indexType, indices, r) * es, slice * es);
}

void scatterNDKernel(size_t es, const Shape& inputShape, size_t rows, size_t k, const void* input, DataType indexType,
                     const void* indices, const void* updates, void* output) {
  size_t strides[kMaxRank];
  stridesOf(inputShape, strides);
  size_t total = 1, slice = 1;
  for (uint32_t d : inputShape) total *= d;
  for (size_t d = k; d < inputShape.size(); ++d) slice *= inputShape[d];
  if (output != input) std::memcpy(output, input, total * es);
  const uint8_t* upd = static_cast<const uint8_t*>(updates);
  uint8_t* out = static_cast<uint8_t*>(output);
  for (size_t r = 0; r < rows; ++r)
    std::memcpy(out + ndOffset(inputShape, strides, k, indexType, indices, r) * es, upd + r * slice * es, slice * es);
}

}  // namespace webnn
