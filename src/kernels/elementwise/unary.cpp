#include "kernels/elementwise/unary.h"

#include "kernels/activation.h"
#include "kernels/elementwise/cast.h"
#include "kernels/task_split.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

namespace webnn {
namespace {

template <typename T>
T wrapNeg(T v) {
  using U = std::make_unsigned_t<T>;
  return static_cast<T>(U(0) - static_cast<U>(v));
}

template <typename T, typename F>
void map(const void* in, void* out, size_t n, F f) {
  const T* x = static_cast<const T*>(in);
  T* y = static_cast<T*>(out);
  for (size_t i = 0; i < n; ++i) y[i] = f(x[i]);
}

template <typename T>
void signedIntOp(UnaryOp op, const void* in, void* out, size_t n) {
  switch (op) {
    case UnaryOp::Abs: return map<T>(in, out, n, [](T v) { return v < 0 ? wrapNeg(v) : v; });
    case UnaryOp::Neg: return map<T>(in, out, n, [](T v) { return wrapNeg(v); });
    case UnaryOp::Sign: return map<T>(in, out, n, [](T v) { return T(v > 0 ? 1 : v < 0 ? -1 : 0); });
    default: return;  // validation admits only abs/neg/sign/identity for integers
  }
}

void floatOp(UnaryOp op, const float* x, float* y, size_t n) {
  switch (op) {
    case UnaryOp::Abs: for (size_t i = 0; i < n; ++i) y[i] = std::fabs(x[i]); return;
    case UnaryOp::Ceil: for (size_t i = 0; i < n; ++i) y[i] = std::ceil(x[i]); return;
    case UnaryOp::Cos: for (size_t i = 0; i < n; ++i) y[i] = std::cos(x[i]); return;
    case UnaryOp::Erf: return erfF32(x, y, n);  // the approximation gelu uses (SIMD128 where built)
    case UnaryOp::Exp: return expF32(x, y, n);  // the approximation softmax uses (SIMD128 where built)
    case UnaryOp::Floor: for (size_t i = 0; i < n; ++i) y[i] = std::floor(x[i]); return;
    case UnaryOp::Identity: if (x != y) std::memmove(y, x, n * sizeof(float)); return;
    case UnaryOp::Log: for (size_t i = 0; i < n; ++i) y[i] = std::log(x[i]); return;
    case UnaryOp::Neg: for (size_t i = 0; i < n; ++i) y[i] = -x[i]; return;
    case UnaryOp::Reciprocal: for (size_t i = 0; i < n; ++i) y[i] = 1.f / x[i]; return;
    // nearbyint under the default rounding mode (Wasm f32.nearest): ties to even.
    case UnaryOp::RoundEven: for (size_t i = 0; i < n; ++i) y[i] = std::nearbyint(x[i]); return;
    case UnaryOp::Sign:
      for (size_t i = 0; i < n; ++i) y[i] = x[i] > 0.f ? 1.f : x[i] < 0.f ? -1.f : x[i];  // ±0 and NaN pass through
      return;
    case UnaryOp::Sin: for (size_t i = 0; i < n; ++i) y[i] = std::sin(x[i]); return;
    case UnaryOp::Sqrt: for (size_t i = 0; i < n; ++i) y[i] = std::sqrt(x[i]); return;
    case UnaryOp::Tan: for (size_t i = 0; i < n; ++i) y[i] = std::tan(x[i]); return;
  }
}

template <typename T>
void clampT(const void* in, void* out, size_t n, double lo, double hi) {
  T l = convertToInt<T>(lo), h = convertToInt<T>(hi);
  map<T>(in, out, n, [=](T v) { return v < l ? l : v > h ? h : v; });
}

}  // namespace

void unaryKernel(UnaryOp op, DataType type, const void* in, void* out, size_t n) {
  if (op == UnaryOp::Identity) {
    if (in != out) std::memmove(out, in, n * dataTypeSize(type));
    return;
  }
  switch (type) {
    case DataType::Float32: return floatOp(op, static_cast<const float*>(in), static_cast<float*>(out), n);
    case DataType::Int32: return signedIntOp<int32_t>(op, in, out, n);
    case DataType::Int64: return signedIntOp<int64_t>(op, in, out, n);
    case DataType::Int8: return signedIntOp<int8_t>(op, in, out, n);
    default: return;  // float16 is converted by the compiler; unsigned types are not admitted
  }
}

void unaryKernel(ThreadPool* pool, UnaryOp op, DataType type, const void* in, void* out, size_t n) {
  const size_t size = dataTypeSize(type);
  // std:: transcendental functions cost tens of FLOPs an element on top of the memory traffic.
  const bool transcendental = op == UnaryOp::Cos || op == UnaryOp::Erf || op == UnaryOp::Exp || op == UnaryOp::Log ||
                              op == UnaryOp::Sin || op == UnaryOp::Tan;
  const double flopsPerElement = kFlopsPerByteStreamed * 2.0 * double(size) + (transcendental ? 20.0 : 1.0);
  const auto* x = static_cast<const uint8_t*>(in);
  auto* y = static_cast<uint8_t*>(out);
  runSplitElements(pool, n, flopsPerElement,
                   [&](size_t start, size_t count) { unaryKernel(op, type, x + start * size, y + start * size, count); });
}

void clampKernelInt(DataType type, const void* in, void* out, size_t n, double lo, double hi) {
  switch (type) {
    case DataType::Int32: return clampT<int32_t>(in, out, n, lo, hi);
    case DataType::Uint32: return clampT<uint32_t>(in, out, n, lo, hi);
    case DataType::Int64: return clampT<int64_t>(in, out, n, lo, hi);
    case DataType::Uint64: return clampT<uint64_t>(in, out, n, lo, hi);
    case DataType::Int8: return clampT<int8_t>(in, out, n, lo, hi);
    case DataType::Uint8: return clampT<uint8_t>(in, out, n, lo, hi);
    default: return;
  }
}

}  // namespace webnn
