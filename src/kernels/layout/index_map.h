// Type-agnostic data movement by per-dimension index maps: out[o_0, ..., o_{r-1}] =
// in[sum_d map[d][o_d]] (map entries are byte offsets into the input), or `fill` when any map entry
// is -1. One kernel serves slice (strided), expand (offset 0 on broadcast dims), tile (modulo),
// reverse (descending), pad (constant / edge / reflection) — the op layer builds the maps once.
// Also the gather/scatter kernels (indices of int32/uint32/int64, clamped: see docs/ops.md).
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/data_type.h"
#include "core/thread_pool.h"
#include "graph/operand.h"

namespace webnn {

struct IndexMaps {
  size_t elementSize = 4;
  Shape outShape;
  std::vector<std::vector<int64_t>> offsets;  // [dim][outIndex]: byte offset into the input, or -1
  std::vector<uint8_t> fill;                  // elementSize bytes written where an offset is -1
};

// Shared among the pool's threads (whole output rows each) when large; pool may be null.
void indexMapCopy(ThreadPool* pool, const IndexMaps& maps, const void* input, void* output);

// Reads index i of an int32/uint32/int64 tensor, resolves a negative value against `dim` and clamps the
// result to [0, dim - 1] (so no index ever reads or writes out of bounds).
int64_t loadClampedIndex(DataType indexType, const void* indices, size_t i, size_t dim);

// gather: out[o, n, i] = in[o, idx[n], i] with outer x axisDim x inner input elements. `scratch` holds
// indexCount size_t (the clamped indices, resolved once for all `outer` slices).
void gatherKernel(size_t elementSize, size_t outer, size_t axisDim, size_t inner, const void* input, DataType indexType,
                  const void* indices, size_t indexCount, void* output, size_t* scratch);

// gatherElements / scatterElements over `shape` (the indices' shape) with the axis replaced by the index:
// gather: out[c] = in[c with c[axis] = idx[c]]; scatter: out[c with c[axis] = idx[c]] = upd[c] (out pre-filled with input).
void gatherElementsKernel(size_t elementSize, const Shape& inputShape, const Shape& indicesShape, size_t axis,
                          const void* input, DataType indexType, const void* indices, void* output);
void scatterElementsKernel(size_t elementSize, const Shape& inputShape, const Shape& indicesShape, size_t axis,
                           const void* input, DataType indexType, const void* indices, const void* updates,
                           void* output);

// gatherND / scatterND: indices [..., k] address slices of prod(inputShape[k:]) elements.
void gatherNDKernel(size_t elementSize, const Shape& inputShape, size_t rows, size_t k, const void* input,
                    DataType indexType, const void* indices, void* output);
void scatterNDKernel(size_t elementSize, const Shape& inputShape, size_t rows, size_t k, const void* input,
                     DataType indexType, const void* indices, const void* updates, void* output);

}  // namespace webnn
