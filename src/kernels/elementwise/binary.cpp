#include "kernels/elementwise/binary.h"

#include "kernels/elementwise/binary_row.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <type_traits>

namespace webnn {
namespace {

template <typename T>
T wrapAdd(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) + static_cast<U>(b));
}
template <typename T>
T wrapSub(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) - static_cast<U>(b));
}
template <typename T>
T wrapMul(T a, T b) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(static_cast<U>(a) * static_cast<U>(b));
}
template <typename T>
T safeDiv(T a, T b) {
  if (b == 0) return 0;
  if constexpr (std::is_signed_v<T>)
    if (b == -1) return wrapSub<T>(0, a);
  return a / b;
}

template <BinaryOp Op, typename T>
inline T apply(T a, T b) {
  if constexpr (std::is_floating_point_v<T>) {
    if constexpr (Op == BinaryOp::Add) return a + b;
    if constexpr (Op == BinaryOp::Sub) return a - b;
    if constexpr (Op == BinaryOp::Mul) return a * b;
    if constexpr (Op == BinaryOp::Div) return a / b;
    if constexpr (Op == BinaryOp::Max) return ieeeMaximum(a, b);
    if constexpr (Op == BinaryOp::Min) return ieeeMinimum(a, b);
    if constexpr (Op == BinaryOp::Pow) return std::pow(a, b);
  } else {
    if constexpr (Op == BinaryOp::Add) return wrapAdd(a, b);
    if constexpr (Op == BinaryOp::Sub) return wrapSub(a, b);
    if constexpr (Op == BinaryOp::Mul) return wrapMul(a, b);
    if constexpr (Op == BinaryOp::Div) return safeDiv(a, b);
    if constexpr (Op == BinaryOp::Max) return std::max(a, b);
    if constexpr (Op == BinaryOp::Min) return std::min(a, b);
    if constexpr (Op == BinaryOp::Pow) {
      // Integer power by squaring, wrapping; negative exponents give 0 except for bases ±1.
      if constexpr (std::is_signed_v<T>) {
        if (b < 0) return a == 1 ? 1 : a == -1 ? ((b & 1) ? -1 : 1) : 0;
      }
      T result = 1, base = a;
      for (auto e = b; e > 0; e >>= 1) {
        if (e & 1) result = wrapMul(result, base);
        base = wrapMul(base, base);
      }
      return result;
    }
  }
}

template <BinaryOp Op, typename T>
void run(ThreadPool* pool, const BroadcastPlan& p, const T* a, const T* b, T* out) {
  binaryBroadcastLoop(pool, p, a, b, out, [](T x, T y) { return apply<Op>(x, y); });
}

template <typename T>
void compareTyped(ThreadPool* pool, CompareOp op, const BroadcastPlan& p, const void* a, const void* b,
                  uint8_t* out) {
  auto A = static_cast<const T*>(a);
  auto B = static_cast<const T*>(b);
  switch (op) {
    case CompareOp::Equal: return binaryBroadcastLoop(pool, p, A, B, out, [](T x, T y) { return uint8_t(x == y); });
    case CompareOp::NotEqual: return binaryBroadcastLoop(pool, p, A, B, out, [](T x, T y) { return uint8_t(x != y); });
    case CompareOp::Greater: return binaryBroadcastLoop(pool, p, A, B, out, [](T x, T y) { return uint8_t(x > y); });
    case CompareOp::GreaterOrEqual:
      return binaryBroadcastLoop(pool, p, A, B, out, [](T x, T y) { return uint8_t(x >= y); });
    case CompareOp::Lesser: return binaryBroadcastLoop(pool, p, A, B, out, [](T x, T y) { return uint8_t(x < y); });
    case CompareOp::LesserOrEqual:
      return binaryBroadcastLoop(pool, p, A, B, out, [](T x, T y) { return uint8_t(x <= y); });
  }
}

// float32: the row kernel (SIMD128 where built with it).
void runF32(ThreadPool* pool, BinaryOp op, const BroadcastPlan& p, const float* a, const float* b, float* out) {
  forEachBroadcastRow(pool, p, 3.0 * sizeof(float), [&](size_t ao, size_t bo, size_t oo, size_t n) {
    binaryRowF32(op, a + ao, p.aInnerStride, b + bo, p.bInnerStride, out + oo, n);
  });
}

template <typename T>
void dispatchOp(ThreadPool* pool, BinaryOp op, const BroadcastPlan& p, const void* a, const void* b, void* out) {
  auto A = static_cast<const T*>(a);
  auto B = static_cast<const T*>(b);
  auto O = static_cast<T*>(out);
  switch (op) {
    case BinaryOp::Add: return run<BinaryOp::Add>(pool, p, A, B, O);
    case BinaryOp::Sub: return run<BinaryOp::Sub>(pool, p, A, B, O);
    case BinaryOp::Mul: return run<BinaryOp::Mul>(pool, p, A, B, O);
    case BinaryOp::Div: return run<BinaryOp::Div>(pool, p, A, B, O);
    case BinaryOp::Max: return run<BinaryOp::Max>(pool, p, A, B, O);
    case BinaryOp::Min: return run<BinaryOp::Min>(pool, p, A, B, O);
    case BinaryOp::Pow: return run<BinaryOp::Pow>(pool, p, A, B, O);
  }
}

}  // namespace

void binaryKernel(ThreadPool* pool, BinaryOp op, DataType type, const BroadcastPlan& plan, const void* a,
                  const void* b, void* out) {
  switch (type) {
    case DataType::Float32:
      return runF32(pool, op, plan, static_cast<const float*>(a), static_cast<const float*>(b), static_cast<float*>(out));
    case DataType::Int32: return dispatchOp<int32_t>(pool, op, plan, a, b, out);
    case DataType::Uint32: return dispatchOp<uint32_t>(pool, op, plan, a, b, out);
    case DataType::Int64: return dispatchOp<int64_t>(pool, op, plan, a, b, out);
    case DataType::Uint64: return dispatchOp<uint64_t>(pool, op, plan, a, b, out);
    case DataType::Int8: return dispatchOp<int8_t>(pool, op, plan, a, b, out);
    case DataType::Uint8: return dispatchOp<uint8_t>(pool, op, plan, a, b, out);
    case DataType::Float16: return;  // converted to float32 by the compiler's float16 pass
  }
}

void compareKernel(ThreadPool* pool, CompareOp op, DataType type, const BroadcastPlan& plan, const void* a,
                   const void* b, uint8_t* out) {
  switch (type) {
    case DataType::Float32: return compareTyped<float>(pool, op, plan, a, b, out);
    case DataType::Int32: return compareTyped<int32_t>(pool, op, plan, a, b, out);
    case DataType::Uint32: return compareTyped<uint32_t>(pool, op, plan, a, b, out);
    case DataType::Int64: return compareTyped<int64_t>(pool, op, plan, a, b, out);
    case DataType::Uint64: return compareTyped<uint64_t>(pool, op, plan, a, b, out);
    case DataType::Int8: return compareTyped<int8_t>(pool, op, plan, a, b, out);
    case DataType::Uint8: return compareTyped<uint8_t>(pool, op, plan, a, b, out);
    case DataType::Float16: return;  // converted to float32 by the compiler's float16 pass
  }
}

template <typename T>
void preluTyped(ThreadPool* pool, const BroadcastPlan& p, const void* x, const void* slope, void* out) {
  binaryBroadcastLoop(pool, p, static_cast<const T*>(x), static_cast<const T*>(slope), static_cast<T*>(out),
                      [](T v, T s) { return v < 0 ? apply<BinaryOp::Mul>(s, v) : v; });
}

void preluKernel(ThreadPool* pool, DataType type, const BroadcastPlan& plan, const void* x, const void* slope, void* out) {
  switch (type) {
    case DataType::Float32: return preluTyped<float>(pool, plan, x, slope, out);
    case DataType::Int32: return preluTyped<int32_t>(pool, plan, x, slope, out);
    case DataType::Int64: return preluTyped<int64_t>(pool, plan, x, slope, out);
    case DataType::Int8: return preluTyped<int8_t>(pool, plan, x, slope, out);
    default: return;  // float16: the compiler's float16 pass; unsigned types are not admitted
  }
}

void logicalKernel(ThreadPool* pool, LogicalOp op, const BroadcastPlan& p, const uint8_t* a, const uint8_t* b,
                   uint8_t* out) {
  switch (op) {
    case LogicalOp::And:
      return binaryBroadcastLoop(pool, p, a, b, out, [](uint8_t x, uint8_t y) { return uint8_t(x != 0 && y != 0); });
    case LogicalOp::Or:
      return binaryBroadcastLoop(pool, p, a, b, out, [](uint8_t x, uint8_t y) { return uint8_t(x != 0 || y != 0); });
    case LogicalOp::Xor:
      return binaryBroadcastLoop(pool, p, a, b, out, [](uint8_t x, uint8_t y) { return uint8_t((x != 0) != (y != 0)); });
  }
}

}  // namespace webnn
