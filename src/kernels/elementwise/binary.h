// Element-wise binary ops with broadcasting, for every data type. Integer division by zero yields 0
// and INT_MIN / -1 wraps (Wasm would trap on both); integer add/sub/mul wrap modulo 2^bits.
#pragma once
#include <cmath>
#include <limits>

#include "core/data_type.h"
#include "kernels/elementwise/broadcast.h"

namespace webnn {

enum class BinaryOp { Add, Sub, Mul, Div, Max, Min, Pow };

// Float max/min are IEEE 754-2019 maximum/minimum, what wasm's f32x4.max/min compute: a NaN
// operand gives NaN, and -0 < +0 whatever the operand order. Every float path uses these (the
// scalar row twin, the SIMD128 row kernel, the broadcast loop), so they agree to the bit.
template <typename T>
inline T ieeeMaximum(T a, T b) {
  if (a != a || b != b) return std::numeric_limits<T>::quiet_NaN();
  if (a == b) return std::signbit(a) ? b : a;  // only +0 and -0 are equal yet differ: +0 wins
  return a > b ? a : b;
}
template <typename T>
inline T ieeeMinimum(T a, T b) {
  if (a != a || b != b) return std::numeric_limits<T>::quiet_NaN();
  if (a == b) return std::signbit(a) ? a : b;  // -0 wins
  return a < b ? a : b;
}

// out = f(a, b) over a broadcast plan, for any input type In and output type Out. The three stride
// cases get separate loops so the compiler can vectorize each.
template <typename In, typename Out, typename F>
void binaryBroadcastLoop(ThreadPool* pool, const BroadcastPlan& p, const In* a, const In* b, Out* out, F f) {
  forEachBroadcastRow(pool, p, 2.0 * sizeof(In) + sizeof(Out), [&](size_t ao, size_t bo, size_t oo, size_t n) {
    const In* ar = a + ao;
    const In* br = b + bo;
    Out* o = out + oo;
    if (p.aInnerStride && p.bInnerStride) {
      for (size_t i = 0; i < n; ++i) o[i] = f(ar[i], br[i]);
    } else if (p.aInnerStride) {
      In bv = br[0];
      for (size_t i = 0; i < n; ++i) o[i] = f(ar[i], bv);
    } else if (p.bInnerStride) {
      In av = ar[0];
      for (size_t i = 0; i < n; ++i) o[i] = f(av, br[i]);
    } else {
      Out v = f(ar[0], br[0]);
      for (size_t i = 0; i < n; ++i) o[i] = v;
    }
  });
}

enum class CompareOp { Equal, NotEqual, Greater, GreaterOrEqual, Lesser, LesserOrEqual };
enum class LogicalOp { And, Or, Xor };

// out (uint8 0/1) = a cmp b for a and b of `type` (float16 is compared in float32 by the compiler).
// Any comparison with NaN is false except notEqual, which is true.
void compareKernel(ThreadPool* pool, CompareOp op, DataType type, const BroadcastPlan& plan, const void* a,
                   const void* b, uint8_t* out);
// prelu: out = x < 0 ? slope * x : x (integer products wrap), for float32, int32, int64, int8.
void preluKernel(ThreadPool* pool, DataType type, const BroadcastPlan& plan, const void* x, const void* slope, void* out);

// out (uint8 0/1) = (a != 0) op (b != 0) for uint8 a and b.
void logicalKernel(ThreadPool* pool, LogicalOp op, const BroadcastPlan& plan, const uint8_t* a, const uint8_t* b,
                   uint8_t* out);

// out = a op b over the plan. `type` is the data type of a, b and out. float16 is not handled here
// (the op layer computes it in float32).
void binaryKernel(ThreadPool* pool, BinaryOp op, DataType type, const BroadcastPlan& plan, const void* a,
                  const void* b, void* out);

}  // namespace webnn
