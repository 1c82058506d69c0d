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

// The float32 reductions' row primitives: SIMD128 under __wasm_simd128__, each with a scalar twin
// that runs the same steps in the same order (partial sums / maxima in the SIMD lanes' layout), so
// the two agree to the bit (test/native/kernels/reduce_twins.cpp). Builds without SIMD128 run the
// twins. Terms and sums are in double.
enum class ReduceTerm { Value, Abs, Square };
// The sum (or, with `product`, the product) of term(x[i]) over n contiguous floats.
double reduceRowF32(ReduceTerm term, bool product, const float* x, size_t n);
double reduceRowF32Scalar(ReduceTerm term, bool product, const float* x, size_t n);
// The max (isMax) or min of n contiguous floats: a NaN wins, else a strictly greater (smaller) value;
// -inf (+inf) for n == 0.
float pickRowF32(bool isMax, const float* x, size_t n);
float pickRowF32Scalar(bool isMax, const float* x, size_t n);
// acc[i] = acc[i] + term(x[i]) (or * with `product`) for n floats.
void accumulateColumnsF32(ReduceTerm term, bool product, const float* x, double* acc, size_t n);
void accumulateColumnsF32Scalar(ReduceTerm term, bool product, const float* x, double* acc, size_t n);
// y[i] = the max (min) step of y[i] and x[i], as pickRowF32 takes it.
void pickColumnsF32(bool isMax, const float* x, float* y, size_t n);
void pickColumnsF32Scalar(bool isMax, const float* x, float* y, size_t n);

// Index of the min (max) along the middle dim of [outer, axis, inner]; ties give the first index; a
// NaN counts as the extreme (the first NaN is returned), as numpy does. Output int32 or int64.
void argMinMaxKernel(bool isMax, DataType type, DataType outType, size_t outer, size_t axis, size_t inner,
                     const void* in, void* out);

// Prefix sums along the middle dim of [outer, axis, inner].
void cumulativeSumKernel(DataType type, size_t outer, size_t axis, size_t inner, bool exclusive, bool reversed,
                         const void* in, void* out);

}  // namespace webnn
