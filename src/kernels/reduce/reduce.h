// Reductions over any set of axes, argMin/argMax and cumulativeSum, for every data type but float16
// (the compiler computes float16 in float32). Float sums accumulate in double. Integer sums,
// products and squares wrap modulo 2^bits (no UB, no trap); integer max/min are exact.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

#include "core/data_type.h"
#include "graph/operand.h"

namespace webnn {

class ThreadPool;

enum class ReduceOp { L1, L2, LogSum, LogSumExp, Max, Mean, Min, Product, Sum, SumSquare };

struct ReducePlan {
  std::vector<size_t> dims;        // input dims, adjacent dims with the same `reduced` flag merged
  std::vector<bool> reduced;
  std::vector<size_t> outStrides;  // output element stride per dim (0 for reduced dims)
  size_t outCount = 1, inCount = 1, reduceCount = 1;
};

// `reducedAxes[d]` says whether input dim d is reduced.
ReducePlan makeReducePlan(const Shape& input, const std::vector<bool>& reducedAxes);
// Bytes of scratch reduceKernel needs.
size_t reduceScratchBytes(const ReducePlan& plan);
// pool may be null (one thread).
void reduceKernel(ThreadPool* pool, ReduceOp op, DataType type, const ReducePlan& plan, const void* in, void* out,
                  void* scratch);

// Index of the min (max) along the middle dim of [outer, axis, inner]; ties give the first index; a
// NaN counts as the extreme (the first NaN is returned), as numpy does. Output int32 or int64.
void argMinMaxKernel(bool isMax, DataType type, DataType outType, size_t outer, size_t axis, size_t inner,
                     const void* in, void* out);

// Prefix sums along the middle dim of [outer, axis, inner].
void cumulativeSumKernel(DataType type, size_t outer, size_t axis, size_t inner, bool exclusive, bool reversed,
                         const void* in, void* out);

}  // namespace webnn
