#include "kernels/reduce/reduce.h"

#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

namespace webnn {
namespace {

// Calls f(inIndex, outIndex) for every input element, in input order.
template <typename F>
void forEachElement(const ReducePlan& p, F f) {
  size_t rank = p.dims.size();
  if (rank == 0) return f(size_t(0), size_t(0));
  size_t inner = p.dims[rank - 1], innerStride = p.outStrides[rank - 1];
  size_t rows = p.inCount / inner;
  std::vector<size_t> idx(rank, 0);
  size_t outBase = 0;
  for (size_t r = 0; r < rows; ++r) {
    size_t inBase = r * inner;
    for (size_t i = 0; i < inner; ++i) f(inBase + i, outBase + i * innerStride);
    for (size_t d = rank - 1; d-- > 0;) {  // odometer over the outer dims
      outBase += p.outStrides[d];
      if (++idx[d] < p.dims[d]) break;
      outBase -= idx[d] * p.outStrides[d];
      idx[d] = 0;
    }
  }
}

template <typename T>
void reduceFloat(ReduceOp op, const ReducePlan& p, const T* x, T* y, double* acc) {
  size_t n = p.outCount;
  switch (op) {
    case ReduceOp::Max:
    case ReduceOp::Min: {
      bool isMax = op == ReduceOp::Max;
      for (size_t o = 0; o < n; ++o) acc[o] = isMax ? -INFINITY : INFINITY;
      forEachElement(p, [&](size_t i, size_t o) {
        double v = x[i];
        if (std::isnan(v) || (isMax ? v > acc[o] : v < acc[o])) acc[o] = v;
      });
      for (size_t o = 0; o < n; ++o) y[o] = T(acc[o]);
      return;
    }
    case ReduceOp::LogSumExp: {
      double* mx = acc + n;
      for (size_t o = 0; o < n; ++o) mx[o] = -INFINITY, acc[o] = 0;
      forEachElement(p, [&](size_t i, size_t o) {
        double v = x[i];
        if (std::isnan(v) || v > mx[o]) mx[o] = v;
      });
      forEachElement(p, [&](size_t i, size_t o) {
        if (std::isfinite(mx[o])) acc[o] += std::exp(double(x[i]) - mx[o]);
      });
      for (size_t o = 0; o < n; ++o) y[o] = T(std::isfinite(mx[o]) ? mx[o] + std::log(acc[o]) : mx[o]);
      return;
    }
    default: break;
  }
  double init = op == ReduceOp::Product ? 1.0 : 0.0;
  for (size_t o = 0; o < n; ++o) acc[o] = init;
  switch (op) {
    case ReduceOp::L1: forEachElement(p, [&](size_t i, size_t o) { acc[o] += std::fabs(double(x[i])); }); break;
    case ReduceOp::L2:
    case ReduceOp::SumSquare:
      forEachElement(p, [&](size_t i, size_t o) { acc[o] += double(x[i]) * double(x[i]); });
      break;
    case ReduceOp::Product: forEachElement(p, [&](size_t i, size_t o) { acc[o] *= double(x[i]); }); break;
    default: forEachElement(p, [&](size_t i, size_t o) { acc[o] += double(x[i]); }); break;
  }
  double count = double(p.reduceCount);
  for (size_t o = 0; o < n; ++o) {
    double v = acc[o];
    if (op == ReduceOp::L2) v = std::sqrt(v);
    else if (op == ReduceOp::LogSum) v = std::log(v);
    else if (op == ReduceOp::Mean) v /= count;
    y[o] = T(v);
  }
}

template <typename T>
void reduceInt(ReduceOp op, const ReducePlan& p, const T* x, T* y) {
  using U = std::make_unsigned_t<T>;
  size_t n = p.outCount;
  if (op == ReduceOp::Max || op == ReduceOp::Min) {
    bool isMax = op == ReduceOp::Max;
    for (size_t o = 0; o < n; ++o) y[o] = isMax ? std::numeric_limits<T>::lowest() : std::numeric_limits<T>::max();
    forEachElement(p, [&](size_t i, size_t o) {
      if (isMax ? x[i] > y[o] : x[i] < y[o]) y[o] = x[i];
    });
    return;
  }
  // Sums and products wrap: computed on the unsigned type of the same width.
  U* acc = reinterpret_cast<U*>(y);
  for (size_t o = 0; o < n; ++o) acc[o] = op == ReduceOp::Product ? 1 : 0;
  switch (op) {
    case ReduceOp::L1:
      forEachElement(p, [&](size_t i, size_t o) {
        U v = U(x[i]);
        if (x[i] < 0) v = U(0) - v;
        acc[o] = U(acc[o] + v);
      });
      break;
    case ReduceOp::SumSquare: forEachElement(p, [&](size_t i, size_t o) { acc[o] = U(acc[o] + U(U(x[i]) * U(x[i]))); }); break;
    case ReduceOp::Product: forEachElement(p, [&](size_t i, size_t o) { acc[o] = U(acc[o] * U(x[i])); }); break;
    default: forEachElement(p, [&](size_t i, size_t o) { acc[o] = U(acc[o] + U(x[i])); }); break;
  }
}

template <typename T, typename O>
void argMinMax(bool isMax, size_t outer, size_t axis, size_t inner, const T* x, O* y) {
  for (size_t o = 0; o < outer; ++o)
    for (size_t i = 0; i < inner; ++i) {
      const T* base = x + o * axis * inner + i;
      size_t best = 0;
      T bv = base[0];
      if constexpr (std::is_floating_point_v<T>) {
        if (!std::isnan(bv))
          for (size_t k = 1; k < axis; ++k) {
            T v = base[k * inner];
            if (std::isnan(v)) {
              best = k;
              break;
            }
            if (isMax ? v > bv : v < bv) bv = v, best = k;
          }
      } else {
        for (size_t k = 1; k < axis; ++k) {
          T v = base[k * inner];
          if (isMax ? v > bv : v < bv) bv = v, best = k;
        }
      }
      y[o * inner + i] = O(best);
    }
}

template <typename T>
void argMinMaxTyped(bool isMax, DataType outType, size_t outer, size_t axis, size_t inner, const void* in, void* out) {
  const T* x = static_cast<const T*>(in);
  if (outType == DataType::Int64) argMinMax(isMax, outer, axis, inner, x, static_cast<int64_t*>(out));
  else argMinMax(isMax, outer, axis, inner, x, static_cast<int32_t*>(out));
}

template <typename T, bool = std::is_floating_point_v<T>>
struct SumType {
  using type = double;
};
template <typename T>
struct SumType<T, false> {
  using type = std::make_unsigned_t<T>;  // integer sums wrap
};

template <typename T>
void cumsum(size_t outer, size_t axis, size_t inner, bool exclusive, bool reversed, const T* x, T* y) {
  using Acc = typename SumType<T>::type;
  for (size_t o = 0; o < outer; ++o)
    for (size_t i = 0; i < inner; ++i) {
      Acc acc = 0;
      for (size_t s = 0; s < axis; ++s) {
        size_t k = reversed ? axis - 1 - s : s;
        size_t at = (o * axis + k) * inner + i;
        Acc v = Acc(x[at]);
        if (exclusive) {
          y[at] = T(acc);
          acc = Acc(acc + v);
        } else {
          acc = Acc(acc + v);
          y[at] = T(acc);
        }
      }
    }
}

}  // namespace

ReducePlan makeReducePlan(const Shape& input, const std::vector<bool>& reducedAxes) {
  ReducePlan p;
  for (size_t d = 0; d < input.size(); ++d) {
    p.inCount *= input[d];
    if (reducedAxes[d]) p.reduceCount *= input[d];
    else p.outCount *= input[d];
    if (input[d] == 1) continue;  // size-1 dims change nothing
    if (!p.dims.empty() && p.reduced.back() == reducedAxes[d]) {
      p.dims.back() *= input[d];
    } else {
      p.dims.push_back(input[d]);
      p.reduced.push_back(reducedAxes[d]);
    }
  }
  p.outStrides.assign(p.dims.size(), 0);
  size_t s = 1;
  for (size_t d = p.dims.size(); d-- > 0;) {
    if (p.reduced[d]) continue;
    p.outStrides[d] = s;
    s *= p.dims[d];
  }
  return p;
}

size_t reduceScratchBytes(const ReducePlan& plan) { return plan.outCount * 2 * sizeof(double); }

void reduceKernel(ReduceOp op, DataType type, const ReducePlan& p, const void* in, void* out, void* scratch) {
  double* acc = static_cast<double*>(scratch);
  switch (type) {
    case DataType::Float32: return reduceFloat(op, p, static_cast<const float*>(in), static_cast<float*>(out), acc);
    case DataType::Int32: return reduceInt(op, p, static_cast<const int32_t*>(in), static_cast<int32_t*>(out));
    case DataType::Uint32: return reduceInt(op, p, static_cast<const uint32_t*>(in), static_cast<uint32_t*>(out));
    case DataType::Int64: return reduceInt(op, p, static_cast<const int64_t*>(in), static_cast<int64_t*>(out));
    case DataType::Uint64: return reduceInt(op, p, static_cast<const uint64_t*>(in), static_cast<uint64_t*>(out));
    case DataType::Int8: return reduceInt(op, p, static_cast<const int8_t*>(in), static_cast<int8_t*>(out));
    case DataType::Uint8: return reduceInt(op, p, static_cast<const uint8_t*>(in), static_cast<uint8_t*>(out));
    case DataType::Float16: return;  // computed in float32 by the compiler's float16 pass
  }
}

void argMinMaxKernel(bool isMax, DataType type, DataType outType, size_t outer, size_t axis, size_t inner,
                     const void* in, void* out) {
  switch (type) {
    case DataType::Float32: return argMinMaxTyped<float>(isMax, outType, outer, axis, inner, in, out);
    case DataType::Int32: return argMinMaxTyped<int32_t>(isMax, outType, outer, axis, inner, in, out);
    case DataType::Uint32: return argMinMaxTyped<uint32_t>(isMax, outType, outer, axis, inner, in, out);
    case DataType::Int64: return argMinMaxTyped<int64_t>(isMax, outType, outer, axis, inner, in, out);
    case DataType::Uint64: return argMinMaxTyped<uint64_t>(isMax, outType, outer, axis, inner, in, out);
    case DataType::Int8: return argMinMaxTyped<int8_t>(isMax, outType, outer, axis, inner, in, out);
    case DataType::Uint8: return argMinMaxTyped<uint8_t>(isMax, outType, outer, axis, inner, in, out);
    case DataType::Float16: return;
  }
}

void cumulativeSumKernel(DataType type, size_t outer, size_t axis, size_t inner, bool exclusive, bool reversed,
                         const void* in, void* out) {
#define CASE(E, T) \
  case DataType::E: return cumsum(outer, axis, inner, exclusive, reversed, static_cast<const T*>(in), static_cast<T*>(out));
  switch (type) {
    CASE(Float32, float)
    CASE(Int32, int32_t)
    CASE(Uint32, uint32_t)
    CASE(Int64, int64_t)
    CASE(Uint64, uint64_t)
    CASE(Int8, int8_t)
    CASE(Uint8, uint8_t)
    case DataType::Float16: return;
  }
#undef CASE
}

}  // namespace webnn
