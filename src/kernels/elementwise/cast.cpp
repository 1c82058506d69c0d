#include "kernels/elementwise/cast.h"

#include "kernels/elementwise/float16.h"
#include "kernels/task_split.h"

namespace webnn {
namespace {

struct Half {
  uint16_t bits;
};

template <typename From>
inline double asDouble(From v) {
  if constexpr (std::is_same_v<From, Half>) return double(halfToFloat(v.bits));
  else return double(v);
}

template <typename To, typename From>
inline To convertOne(From v) {
  constexpr bool fromFloat = std::is_same_v<From, Half> || std::is_floating_point_v<From>;
  if constexpr (std::is_same_v<To, Half>) {
    if constexpr (std::is_same_v<From, Half>) return v;
    // Integers reach float32 exactly up to 2^24, and anything past 65519 is ±Inf in float16 anyway,
    // so going through float32 rounds once.
    else return Half{floatToHalf(static_cast<float>(v))};
  } else if constexpr (std::is_floating_point_v<To>) {
    if constexpr (std::is_same_v<From, Half>) return halfToFloat(v.bits);
    else return static_cast<To>(v);
  } else if constexpr (fromFloat) {
    return saturatingFloatToInt<To>(asDouble(v), [](double x) { return std::trunc(x); });
  } else {
    return static_cast<To>(v);  // integer -> integer: the low bits, two's complement
  }
}

template <typename To, typename From>
void run(const void* in, void* out, size_t n) {
  const From* x = static_cast<const From*>(in);
  To* y = static_cast<To*>(out);
  for (size_t i = 0; i < n; ++i) y[i] = convertOne<To>(x[i]);
}

template <typename From>
void castFrom(DataType to, const void* in, void* out, size_t n) {
  switch (to) {
    case DataType::Float32: return run<float, From>(in, out, n);
    case DataType::Float16: return run<Half, From>(in, out, n);
    case DataType::Int32: return run<int32_t, From>(in, out, n);
    case DataType::Uint32: return run<uint32_t, From>(in, out, n);
    case DataType::Int64: return run<int64_t, From>(in, out, n);
    case DataType::Uint64: return run<uint64_t, From>(in, out, n);
    case DataType::Int8: return run<int8_t, From>(in, out, n);
    case DataType::Uint8: return run<uint8_t, From>(in, out, n);
  }
}

}  // namespace

void castKernel(DataType from, DataType to, const void* in, void* out, size_t n) {
  switch (from) {
    case DataType::Float32: return castFrom<float>(to, in, out, n);
    case DataType::Float16: return castFrom<Half>(to, in, out, n);
    case DataType::Int32: return castFrom<int32_t>(to, in, out, n);
    case DataType::Uint32: return castFrom<uint32_t>(to, in, out, n);
    case DataType::Int64: return castFrom<int64_t>(to, in, out, n);
    case DataType::Uint64: return castFrom<uint64_t>(to, in, out, n);
    case DataType::Int8: return castFrom<int8_t>(to, in, out, n);
    case DataType::Uint8: return castFrom<uint8_t>(to, in, out, n);
  }
}

void castKernel(ThreadPool* pool, DataType from, DataType to, const void* in, void* out, size_t n) {
  const size_t fromSize = dataTypeSize(from), toSize = dataTypeSize(to);
  const double flopsPerElement = kFlopsPerByteStreamed * double(fromSize + toSize) + 1.0;
  const auto* x = static_cast<const uint8_t*>(in);
  auto* y = static_cast<uint8_t*>(out);
  runSplitElements(pool, n, flopsPerElement, [&](size_t start, size_t count) {
    castKernel(from, to, x + start * fromSize, y + start * toSize, count);
  });
}

}  // namespace webnn
