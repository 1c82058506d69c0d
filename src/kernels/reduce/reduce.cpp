#include "kernels/reduce/reduce.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <limits>
#include <type_traits>

#include "kernels/task_split.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace webnn {
namespace {

// Calls f(inIndex, outIndex) for every input element, in input order.
template <typename F>
void forEachElement(const ReducePlan& p, F f) {
  size_t rank = p.dims.size();
  if (rank == 0) return f(size_t(0), size_t(0));
  size_t inner = p.dims[rank - 1], innerStride = p.outStrides[rank - 1];
  size_t rows = p.inCount / inner;
  size_t idx[kMaxRank] = {};  // rank <= kMaxRank: no allocation at dispatch
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

// ---- float32 paths that work a row (the innermost merged dim) at a time, for the two common plan
// shapes, threaded:
//   rows:    dims [R] or [O, R]: output o reduces the R contiguous values x[o * R, (o + 1) * R);
//   columns: dims [R, I] or [O, R, I]: output (o, i) reduces x[o, r, i] over r (stride I);
// and for any other plan of rank >= 2 on one thread (reduceF32Rows). reduceFloat, element by
// element, is left for rank 0 and plans that reduce nothing.
// Sums, products and squares still accumulate in double (f64x2 under SIMD128; the scalar twins keep
// the same partial sums, so both builds add in one order), max/min compare in f32 (exact);
// logSumExp takes the max that way, then sums std::exp in double like reduceFloat. Outputs are split
// over the thread pool in data order.
using Term = ReduceTerm;

struct FloatOp {
  enum Kind { Sum, Product, Max, Min, LogSumExp } kind;
  Term term;
};

bool floatOpOf(ReduceOp op, FloatOp* f) {
  switch (op) {
    case ReduceOp::Sum:
    case ReduceOp::Mean:
    case ReduceOp::LogSum: *f = {FloatOp::Sum, Term::Value}; return true;
    case ReduceOp::L1: *f = {FloatOp::Sum, Term::Abs}; return true;
    case ReduceOp::L2:
    case ReduceOp::SumSquare: *f = {FloatOp::Sum, Term::Square}; return true;
    case ReduceOp::Product: *f = {FloatOp::Product, Term::Value}; return true;
    case ReduceOp::Max: *f = {FloatOp::Max, Term::Value}; return true;
    case ReduceOp::Min: *f = {FloatOp::Min, Term::Value}; return true;
    case ReduceOp::LogSumExp: *f = {FloatOp::LogSumExp, Term::Value}; return true;
  }
  return false;
}

// The final step of a double accumulator, as reduceFloat does it.
inline float finishSum(ReduceOp op, double v, double count) {
  if (op == ReduceOp::L2) v = std::sqrt(v);
  else if (op == ReduceOp::LogSum) v = std::log(v);
  else if (op == ReduceOp::Mean) v /= count;
  return float(v);
}

inline double termOf(Term t, float x) {
  double v = x;
  return t == Term::Abs ? std::fabs(v) : t == Term::Square ? v * v : v;
}

// The max/min step: a NaN always wins, else a strictly greater (smaller) value.
inline float pick(bool isMax, float acc, float v) { return (v != v || (isMax ? v > acc : v < acc)) ? v : acc; }

// Scalar twins of the SIMD128 row primitives below, in their order: a row is cut into blocks of 8,
// element l of each block goes to partial result l (the SIMD path's f64x2 / f32x4 lanes), the
// partials are combined as the lanes are, then the tail joins one by one.
template <Term kTerm, bool kProduct>
double reduceRowScalar(const float* x, size_t n) {
  auto op = [](double a, double b) { return kProduct ? a * b : a + b; };
  const double init = kProduct ? 1.0 : 0.0;
  double s[8] = {init, init, init, init, init, init, init, init};
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (size_t l = 0; l < 8; ++l) s[l] = op(s[l], termOf(kTerm, x[i + l]));
  // SIMD: a0 = (s0, s1), a1 = (s2, s3), a2 = (s4, s5), a3 = (s6, s7) -> op(op(a0, a2), op(a1, a3)).
  double acc = op(op(op(s[0], s[4]), op(s[2], s[6])), op(op(s[1], s[5]), op(s[3], s[7])));
  for (; i < n; ++i) acc = op(acc, termOf(kTerm, x[i]));
  return acc;
}

float pickRowScalar(bool isMax, const float* x, size_t n) {
  float l[8];
  std::fill(l, l + 8, isMax ? -INFINITY : INFINITY);
  size_t i = 0;
  for (; i + 8 <= n; i += 8)
    for (size_t k = 0; k < 8; ++k) l[k] = pick(isMax, l[k], x[i + k]);
  for (size_t k = 0; k < 4; ++k) l[k] = pick(isMax, l[k], l[k + 4]);  // SIMD: a0 = pick4(a0, a1)
  float acc = l[0];
  for (size_t k = 1; k < 4; ++k) acc = pick(isMax, acc, l[k]);
  for (; i < n; ++i) acc = pick(isMax, acc, x[i]);
  return acc;
}

template <Term kTerm, bool kProduct>
void accumulateColumnsScalar(const float* x, double* acc, size_t n) {
  for (size_t i = 0; i < n; ++i) acc[i] = kProduct ? acc[i] * termOf(kTerm, x[i]) : acc[i] + termOf(kTerm, x[i]);
}

// Calls F<kTerm, kProduct>::run(args...) for run-time term and product.
template <template <Term, bool> class F, typename... Args>
auto withTerm(Term term, bool product, Args... args) {
  if (product) {
    switch (term) {
      case Term::Abs: return F<Term::Abs, true>::run(args...);
      case Term::Square: return F<Term::Square, true>::run(args...);
      default: return F<Term::Value, true>::run(args...);
    }
  }
  switch (term) {
    case Term::Abs: return F<Term::Abs, false>::run(args...);
    case Term::Square: return F<Term::Square, false>::run(args...);
    default: return F<Term::Value, false>::run(args...);
  }
}

#ifdef __wasm_simd128__
template <Term kTerm>
inline v128_t termOf2(v128_t v) {  // v: two doubles
  if (kTerm == Term::Abs) return wasm_f64x2_abs(v);
  if (kTerm == Term::Square) return wasm_f64x2_mul(v, v);
  return v;
}
inline v128_t promoteHigh(v128_t v) { return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)); }
inline v128_t pick4(bool isMax, v128_t acc, v128_t v) {
  v128_t better = isMax ? wasm_f32x4_gt(v, acc) : wasm_f32x4_lt(v, acc);
  return wasm_v128_bitselect(v, acc, wasm_v128_or(better, wasm_f32x4_ne(v, v)));
}

// Sum (or product) of the terms of n contiguous floats in double: four f64x2 chains per 8 floats.
template <Term kTerm, bool kProduct>
double reduceRowSimd(const float* x, size_t n) {
  auto op = [](v128_t a, v128_t b) { return kProduct ? wasm_f64x2_mul(a, b) : wasm_f64x2_add(a, b); };
  const v128_t init = wasm_f64x2_splat(kProduct ? 1.0 : 0.0);
  v128_t a0 = init, a1 = init, a2 = init, a3 = init;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    v128_t v = wasm_v128_load(x + i), w = wasm_v128_load(x + i + 4);
    a0 = op(a0, termOf2<kTerm>(wasm_f64x2_promote_low_f32x4(v)));
    a1 = op(a1, termOf2<kTerm>(promoteHigh(v)));
    a2 = op(a2, termOf2<kTerm>(wasm_f64x2_promote_low_f32x4(w)));
    a3 = op(a3, termOf2<kTerm>(promoteHigh(w)));
  }
  v128_t a = op(op(a0, a2), op(a1, a3));
  double acc = kProduct ? wasm_f64x2_extract_lane(a, 0) * wasm_f64x2_extract_lane(a, 1)
                        : wasm_f64x2_extract_lane(a, 0) + wasm_f64x2_extract_lane(a, 1);
  for (; i < n; ++i) acc = kProduct ? acc * termOf(kTerm, x[i]) : acc + termOf(kTerm, x[i]);
  return acc;
}

// Lanes are combined in order, so NaN wins as in the scalar loop; of equal values (+0 and -0) the
// one kept is pickRowScalar's (the same lanes), which may differ from a plain loop's first.
float pickRowSimd(bool isMax, const float* x, size_t n) {
  v128_t a0 = wasm_f32x4_splat(isMax ? -INFINITY : INFINITY), a1 = a0;
  size_t i = 0;
  for (; i + 8 <= n; i += 8) {
    a0 = pick4(isMax, a0, wasm_v128_load(x + i));
    a1 = pick4(isMax, a1, wasm_v128_load(x + i + 4));
  }
  a0 = pick4(isMax, a0, a1);
  float acc = wasm_f32x4_extract_lane(a0, 0);
  acc = pick(isMax, acc, wasm_f32x4_extract_lane(a0, 1));
  acc = pick(isMax, acc, wasm_f32x4_extract_lane(a0, 2));
  acc = pick(isMax, acc, wasm_f32x4_extract_lane(a0, 3));
  for (; i < n; ++i) acc = pick(isMax, acc, x[i]);
  return acc;
}

// acc[i] = acc[i] (op) term(x[i]) for n floats, acc in double.
template <Term kTerm, bool kProduct>
void accumulateColumnsSimd(const float* x, double* acc, size_t n) {
  auto op = [](v128_t a, v128_t b) { return kProduct ? wasm_f64x2_mul(a, b) : wasm_f64x2_add(a, b); };
  size_t i = 0;
  for (; i + 4 <= n; i += 4) {
    v128_t v = wasm_v128_load(x + i);
    wasm_v128_store(acc + i, op(wasm_v128_load(acc + i), termOf2<kTerm>(wasm_f64x2_promote_low_f32x4(v))));
    wasm_v128_store(acc + i + 2, op(wasm_v128_load(acc + i + 2), termOf2<kTerm>(promoteHigh(v))));
  }
  for (; i < n; ++i) acc[i] = kProduct ? acc[i] * termOf(kTerm, x[i]) : acc[i] + termOf(kTerm, x[i]);
}
#endif

template <Term kTerm, bool kProduct>
struct ReduceRow {
  static double run(bool simd, const float* x, size_t n) {
#ifdef __wasm_simd128__
    if (simd) return reduceRowSimd<kTerm, kProduct>(x, n);
#endif
    return reduceRowScalar<kTerm, kProduct>(x, n);
  }
};
template <Term kTerm, bool kProduct>
struct AccumulateColumns {
  static void run(bool simd, const float* x, double* acc, size_t n) {
#ifdef __wasm_simd128__
    if (simd) return accumulateColumnsSimd<kTerm, kProduct>(x, acc, n);
#endif
    accumulateColumnsScalar<kTerm, kProduct>(x, acc, n);
  }
};

double reduceRow(const FloatOp& f, const float* x, size_t n) {
  return reduceRowF32(f.term, f.kind == FloatOp::Product, x, n);
}
float pickRow(bool isMax, const float* x, size_t n) { return pickRowF32(isMax, x, n); }
void accumulateColumns(const FloatOp& f, const float* x, double* acc, size_t n) {
  accumulateColumnsF32(f.term, f.kind == FloatOp::Product, x, acc, n);
}
void pickColumns(bool isMax, const float* x, float* y, size_t n) { pickColumnsF32(isMax, x, y, n); }

// Any other plan (e.g. [R, O, R]), one thread: forEachElement's walk, one row of the last dim at a
// time. A reduced last dim folds each row with reduceRow/pickRow into its output, a kept one adds
// the row into the outputs' accumulators (outStrides of a kept last dim is 1).
bool reduceF32Rows(const FloatOp& f, ReduceOp op, const ReducePlan& p, const float* x, float* y, double* acc) {
  const size_t rank = p.dims.size(), inner = p.dims[rank - 1], rows = p.inCount / inner;
  const bool lastReduced = p.reduced[rank - 1], isLse = f.kind == FloatOp::LogSumExp;
  const bool isPick = f.kind == FloatOp::Max || f.kind == FloatOp::Min || isLse;
  const bool isMax = f.kind != FloatOp::Min;
  auto walk = [&](auto row) {  // row(const float* in, size_t outBase) for every row, in input order
    size_t idx[kMaxRank] = {};  // rank <= kMaxRank: no allocation at dispatch
    size_t outBase = 0;
    for (size_t r = 0; r < rows; ++r) {
      row(x + r * inner, outBase);
      for (size_t d = rank - 1; d-- > 0;) {
        outBase += p.outStrides[d];
        if (++idx[d] < p.dims[d]) break;
        outBase -= idx[d] * p.outStrides[d];
        idx[d] = 0;
      }
    }
  };
  const size_t n = p.outCount;
  if (isPick) {  // max / min, or logSumExp's max
    std::fill(y, y + n, isMax ? -INFINITY : INFINITY);
    walk([&](const float* in, size_t o) {
      if (lastReduced) y[o] = pick(isMax, y[o], pickRow(isMax, in, inner));
      else pickColumns(isMax, in, y + o, inner);
    });
    if (!isLse) return true;
    std::fill(acc, acc + n, 0.0);
    walk([&](const float* in, size_t o) {
      for (size_t i = 0; i < inner; ++i) {
        const float m = y[lastReduced ? o : o + i];
        if (std::isfinite(m)) acc[lastReduced ? o : o + i] += std::exp(double(in[i]) - m);
      }
    });
    for (size_t o = 0; o < n; ++o)
      if (std::isfinite(y[o])) y[o] = float(y[o] + std::log(acc[o]));
    return true;
  }
  const bool product = f.kind == FloatOp::Product;
  std::fill(acc, acc + n, product ? 1.0 : 0.0);
  walk([&](const float* in, size_t o) {
    if (!lastReduced) return accumulateColumns(f, in, acc + o, inner);
    const double v = reduceRow(f, in, inner);
    acc[o] = product ? acc[o] * v : acc[o] + v;
  });
  const double count = double(p.reduceCount);
  for (size_t o = 0; o < n; ++o) y[o] = finishSum(op, acc[o], count);
  return true;
}

// The row-at-a-time paths; false when the plan has none (then reduceFloat runs).
bool reduceF32Fast(ThreadPool* pool, ReduceOp op, const ReducePlan& p, const float* x, float* y, double* scratch) {
  FloatOp f;
  if (!floatOpOf(op, &f)) return false;
  const size_t rank = p.dims.size();
  const bool rows = (rank == 1 && p.reduced[0]) || (rank == 2 && !p.reduced[0] && p.reduced[1]);
  const bool columns = (rank == 2 && p.reduced[0] && !p.reduced[1]) ||
                       (rank == 3 && !p.reduced[0] && p.reduced[1] && !p.reduced[2]);
  const bool isPick = f.kind == FloatOp::Max || f.kind == FloatOp::Min;
  const bool isMax = f.kind == FloatOp::Max || f.kind == FloatOp::LogSumExp;
  const double count = double(p.reduceCount);
  if (rows) {
    const size_t outs = rank == 1 ? 1 : p.dims[0], R = p.dims[rank - 1];
    runSplit(pool, outs, double(R) * (f.kind == FloatOp::LogSumExp ? 20 : 1), [&](size_t start, size_t n) {
      for (size_t o = start; o < start + n; ++o) {
        const float* row = x + o * R;
        if (f.kind == FloatOp::LogSumExp) {
          const float m = pickRow(true, row, R);
          double acc = 0;
          if (std::isfinite(m))
            for (size_t i = 0; i < R; ++i) acc += std::exp(double(row[i]) - m);
          y[o] = std::isfinite(m) ? float(m + std::log(acc)) : m;
        } else {
          y[o] = isPick ? pickRow(isMax, row, R) : finishSum(op, reduceRow(f, row, R), count);
        }
      }
    });
    return true;
  }
  if (!columns) return rank >= 2 && reduceF32Rows(f, op, p, x, y, scratch);
  const size_t outer = rank == 2 ? 1 : p.dims[0], R = p.dims[rank - 2], I = p.dims[rank - 1];
  // Items: (o, block of columns) in data order. The accumulators of a block stay in L1 while all
  // R rows stream through; narrower blocks when there are too few items to share.
  const size_t threads = pool ? pool->numThreads() : 1;
  size_t block = 1024;
  while (block > 64 && outer * ((I + block - 1) / block) < 4 * threads) block /= 2;
  const size_t blocks = (I + block - 1) / block;
  const double flopsPerElement = f.kind == FloatOp::LogSumExp ? 20 : 1;
  runSplit(pool, outer * blocks, double(R) * double(std::min(block, I)) * flopsPerElement, [&](size_t start, size_t n) {
    for (size_t t = start; t < start + n; ++t) {
      const size_t o = t / blocks, i0 = (t % blocks) * block, w = std::min(I, i0 + block) - i0;
      const float* in = x + o * R * I + i0;
      float* out = y + o * I + i0;
      if (isPick || f.kind == FloatOp::LogSumExp) {
        std::fill(out, out + w, isMax ? -INFINITY : INFINITY);
        for (size_t r = 0; r < R; ++r) pickColumns(isMax, in + r * I, out, w);
        if (isPick) continue;
        double* acc = scratch + o * I + i0;  // out holds the column maxima
        std::fill(acc, acc + w, 0.0);
        for (size_t r = 0; r < R; ++r)
          for (size_t i = 0; i < w; ++i)
            if (std::isfinite(out[i])) acc[i] += std::exp(double(in[r * I + i]) - out[i]);
        for (size_t i = 0; i < w; ++i)
          if (std::isfinite(out[i])) out[i] = float(out[i] + std::log(acc[i]));
        continue;
      }
      double* acc = scratch + o * I + i0;
      std::fill(acc, acc + w, f.kind == FloatOp::Product ? 1.0 : 0.0);
      for (size_t r = 0; r < R; ++r) accumulateColumns(f, in + r * I, acc, w);
      for (size_t i = 0; i < w; ++i) out[i] = finishSum(op, acc[i], count);
    }
  });
  return true;
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

#ifdef __wasm_simd128__
constexpr bool kSimdRows = true;
#else
constexpr bool kSimdRows = false;
#endif

double reduceRowF32(ReduceTerm term, bool product, const float* x, size_t n) {
  return withTerm<ReduceRow>(term, product, kSimdRows, x, n);
}
double reduceRowF32Scalar(ReduceTerm term, bool product, const float* x, size_t n) {
  return withTerm<ReduceRow>(term, product, false, x, n);
}
float pickRowF32(bool isMax, const float* x, size_t n) {
#ifdef __wasm_simd128__
  return pickRowSimd(isMax, x, n);
#else
  return pickRowScalar(isMax, x, n);
#endif
}
float pickRowF32Scalar(bool isMax, const float* x, size_t n) { return pickRowScalar(isMax, x, n); }
void accumulateColumnsF32(ReduceTerm term, bool product, const float* x, double* acc, size_t n) {
  withTerm<AccumulateColumns>(term, product, kSimdRows, x, acc, n);
}
void accumulateColumnsF32Scalar(ReduceTerm term, bool product, const float* x, double* acc, size_t n) {
  withTerm<AccumulateColumns>(term, product, false, x, acc, n);
}
void pickColumnsF32(bool isMax, const float* x, float* y, size_t n) {
  size_t i = 0;
#ifdef __wasm_simd128__
  for (; i + 4 <= n; i += 4) wasm_v128_store(y + i, pick4(isMax, wasm_v128_load(y + i), wasm_v128_load(x + i)));
#endif
  for (; i < n; ++i) y[i] = pick(isMax, y[i], x[i]);
}
void pickColumnsF32Scalar(bool isMax, const float* x, float* y, size_t n) {
  for (size_t i = 0; i < n; ++i) y[i] = pick(isMax, y[i], x[i]);
}

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

void reduceKernel(ThreadPool* pool, ReduceOp op, DataType type, const ReducePlan& p, const void* in, void* out,
                  void* scratch) {
  double* acc = static_cast<double*>(scratch);
  switch (type) {
    case DataType::Float32:
      if (reduceF32Fast(pool, op, p, static_cast<const float*>(in), static_cast<float*>(out), acc)) return;
      return reduceFloat(op, p, static_cast<const float*>(in), static_cast<float*>(out), acc);
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
