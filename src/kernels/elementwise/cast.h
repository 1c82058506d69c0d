// Numeric conversions that never hit C++ undefined behaviour (Wasm traps on an out-of-range
// float->int truncation): every float->int path saturates and maps NaN to 0.
#pragma once
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <limits>
#include <type_traits>

#include "core/data_type.h"

namespace webnn {

// Float -> integer, rounding `x` with `round` (trunc for cast, nearbyint for the spec's ConvertToInt),
// saturating to [lowest, max] and returning 0 for NaN.
template <typename T, typename Round>
inline T saturatingFloatToInt(double x, Round round) {
  static_assert(std::is_integral_v<T>, "integer target");
  if (std::isnan(x)) return 0;
  double r = round(x);
  constexpr int bits = int(sizeof(T) * 8);
  const double lo = std::is_signed_v<T> ? -std::ldexp(1.0, bits - 1) : 0.0;
  const double hiExclusive = std::is_signed_v<T> ? std::ldexp(1.0, bits - 1) : std::ldexp(1.0, bits);
  if (r <= lo) return std::numeric_limits<T>::lowest();
  if (r >= hiExclusive) return std::numeric_limits<T>::max();
  return static_cast<T>(r);
}

// The spec's ConvertToInt(x, bits, signedness): clamp, round half to even, NaN -> 0. Used to cast
// MLNumber options (clamp bounds, ...) to an operand's integer data type.
template <typename T>
inline T convertToInt(double x) {
  return saturatingFloatToInt<T>(x, [](double v) { return std::nearbyint(v); });
}

// The cast operator: every pair of the 8 data types. float->int truncates toward zero and saturates
// (NaN -> 0); int->int keeps the low bits (two's complement); ->float rounds to nearest even, with
// overflow to ±Inf for float16.
void castKernel(DataType from, DataType to, const void* in, void* out, size_t n);
class ThreadPool;
// The same over `pool` (runSplit, kernels/task_split.h); a null pool runs inline.
void castKernel(ThreadPool* pool, DataType from, DataType to, const void* in, void* out, size_t n);

}  // namespace webnn
