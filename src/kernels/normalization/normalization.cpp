#include "kernels/normalization/normalization.h"

#include <algorithm>
#include <cmath>

#include "kernels/task_split.h"

#ifdef __wasm_simd128__
#include <wasm_simd128.h>
#endif

namespace webnn {

void batchNormF32(ThreadPool* pool, const float* x, const float* params, float* y, size_t outer, size_t channels,
                  size_t inner) {
  const float *mean = params, *sd = params + channels, *scale = params + 2 * channels, *bias = params + 3 * channels;
  if (inner == 1) {
    // Channels last (NHWC): each pixel is a contiguous row of channels, so the channel loop is the
    // inner one (it vectorizes; the same operations per element as below).
    auto pixels = [&](size_t start, size_t n) {
      for (size_t r = start; r < start + n; ++r) {
        const float* xs = x + r * channels;
        float* ys = y + r * channels;
        for (size_t c = 0; c < channels; ++c) ys[c] = (xs[c] - mean[c]) / sd[c] * scale[c] + bias[c];
      }
    };
    // Memory bound: each pixel streams its channels in and out (a batch-1 feature map of 32K values
    // stays on the calling thread rather than waking the pool for ~10 us of work).
    runSplit(pool, outer, 2.0 * sizeof(float) * channels * kFlopsPerByteStreamed, pixels);
    return;
  }
  auto rows = [&](size_t start, size_t n) {
    for (size_t r = start; r < start + n; ++r) {
      size_t c = r % channels;
      const float* xs = x + r * inner;
      float* ys = y + r * inner;
      const float m = mean[c], d = sd[c], s = scale[c], b = bias[c];
      for (size_t i = 0; i < inner; ++i) ys[i] = (xs[i] - m) / d * s + b;
    }
  };
  size_t total = outer * channels;
  if (pool && total * inner >= minTaskElements(pool, 16384))
    pool->parallelize1d(total, std::max<size_t>(1, minTaskElements(pool, 4096) / std::max<size_t>(inner, 1)), rows);
  else
    rows(0, total);
}

void prepareBatchNormF32(const float* mean, const float* variance, const float* scale, const float* bias,
                         float epsilon, size_t channels, float* params) {
  for (size_t c = 0; c < channels; ++c) {
    params[c] = mean[c];
    params[channels + c] = std::sqrt(variance[c] + epsilon);
    params[2 * channels + c] = scale ? scale[c] : 1.f;
    params[3 * channels + c] = bias ? bias[c] : 0.f;
  }
}

namespace {

// One group whose members are contiguous (layer normalization over trailing axes, NCHW instance
// normalization), scale / bias indexed by member (perMember) or one value for the group. Mean and
// variance in double: the terms in four partial sums (element i into sum i % 4, the SIMD path's
// f64x2 lanes) combined as (s0 + s2) + (s1 + s3), then the tail; each output float((x - mean) * inv),
// then * scale + bias in float. The SIMD128 kernel and this scalar twin run exactly these steps.
void normalizeContiguousScalar(const float* x, float* y, size_t M, float epsilon, const float* scale,
                               const float* bias, bool perMember) {
  double s[4] = {0, 0, 0, 0};
  size_t m = 0;
  for (; m + 4 <= M; m += 4)
    for (size_t l = 0; l < 4; ++l) s[l] += double(x[m + l]);
  double sum = (s[0] + s[2]) + (s[1] + s[3]);
  for (; m < M; ++m) sum += x[m];
  const double mean = M ? sum / double(M) : 0;
  s[0] = s[1] = s[2] = s[3] = 0;
  for (m = 0; m + 4 <= M; m += 4)
    for (size_t l = 0; l < 4; ++l) {
      const double d = double(x[m + l]) - mean;
      s[l] += d * d;
    }
  double sq = (s[0] + s[2]) + (s[1] + s[3]);
  for (; m < M; ++m) {
    double d = x[m] - mean;
    sq += d * d;
  }
  const double inv = 1.0 / std::sqrt((M ? sq / double(M) : 0) + double(epsilon));
  for (m = 0; m < M; ++m) {
    float v = float((x[m] - mean) * inv);
    if (scale) v *= scale[perMember ? m : 0];
    if (bias) v += bias[perMember ? m : 0];
    y[m] = v;
  }
}

#ifdef __wasm_simd128__
inline v128_t promoteHigh(v128_t v) { return wasm_f64x2_promote_low_f32x4(wasm_i32x4_shuffle(v, v, 2, 3, 2, 3)); }

// normalizeContiguousScalar in SIMD128: f64x2 s0 takes elements 4i, 4i + 1 and s1 takes 4i + 2,
// 4i + 3, so lane l of s0 + s1 is (partial sum l) + (partial sum l + 2), as in the scalar twin.
void normalizeContiguousSimd(const float* x, float* y, size_t M, float epsilon, const float* scale, const float* bias,
                             bool perMember) {
  v128_t s0 = wasm_f64x2_splat(0), s1 = s0;
  size_t m = 0;
  for (; m + 4 <= M; m += 4) {
    v128_t v = wasm_v128_load(x + m);
    s0 = wasm_f64x2_add(s0, wasm_f64x2_promote_low_f32x4(v));
    s1 = wasm_f64x2_add(s1, promoteHigh(v));
  }
  s0 = wasm_f64x2_add(s0, s1);
  double sum = wasm_f64x2_extract_lane(s0, 0) + wasm_f64x2_extract_lane(s0, 1);
  for (; m < M; ++m) sum += x[m];
  const double mean = M ? sum / double(M) : 0;
  const v128_t meanV = wasm_f64x2_splat(mean);
  s0 = s1 = wasm_f64x2_splat(0);
  for (m = 0; m + 4 <= M; m += 4) {
    v128_t v = wasm_v128_load(x + m);
    v128_t d0 = wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(v), meanV), d1 = wasm_f64x2_sub(promoteHigh(v), meanV);
    s0 = wasm_f64x2_add(s0, wasm_f64x2_mul(d0, d0));
    s1 = wasm_f64x2_add(s1, wasm_f64x2_mul(d1, d1));
  }
  s0 = wasm_f64x2_add(s0, s1);
  double sq = wasm_f64x2_extract_lane(s0, 0) + wasm_f64x2_extract_lane(s0, 1);
  for (; m < M; ++m) {
    double d = x[m] - mean;
    sq += d * d;
  }
  const double inv = 1.0 / std::sqrt((M ? sq / double(M) : 0) + double(epsilon));
  const v128_t invV = wasm_f64x2_splat(inv);
  const v128_t sc = wasm_f32x4_splat(scale ? scale[0] : 1.f), bi = wasm_f32x4_splat(bias ? bias[0] : 0.f);
  for (m = 0; m + 4 <= M; m += 4) {
    v128_t v = wasm_v128_load(x + m);
    v128_t lo = wasm_f32x4_demote_f64x2_zero(wasm_f64x2_mul(wasm_f64x2_sub(wasm_f64x2_promote_low_f32x4(v), meanV), invV));
    v128_t hi = wasm_f32x4_demote_f64x2_zero(wasm_f64x2_mul(wasm_f64x2_sub(promoteHigh(v), meanV), invV));
    v128_t r = wasm_i32x4_shuffle(lo, hi, 0, 1, 4, 5);
    if (scale) r = wasm_f32x4_mul(r, perMember ? wasm_v128_load(scale + m) : sc);
    if (bias) r = wasm_f32x4_add(r, perMember ? wasm_v128_load(bias + m) : bi);
    wasm_v128_store(y + m, r);
  }
  for (; m < M; ++m) {
    float v = float((x[m] - mean) * inv);
    if (scale) v *= scale[perMember ? m : 0];
    if (bias) v += bias[perMember ? m : 0];
    y[m] = v;
  }
}
#endif

// True when every group's members are contiguous and the parameters are per member in order or
// one per group: the normalizeContiguous kernels apply.
bool contiguousGroups(const NormGroups& n) {
  const size_t members = n.memberOffsets.size();
  bool contiguous = n.memberParam.empty() || n.memberParam.size() == members;
  for (size_t m = 0; contiguous && m < members; ++m)
    contiguous = n.memberOffsets[m] == m && (n.memberParam.empty() || n.memberParam[m] == m);
  return contiguous;
}

// Groups [start, start + count) of a contiguous NormGroups with the scalar or SIMD kernel.
template <bool kSimd>
void normalizeContiguousGroups(const NormGroups& n, const float* x, const float* scale, const float* bias, float* y,
                               size_t start, size_t count) {
  const bool perMember = !n.memberParam.empty();
  const size_t members = n.memberOffsets.size();
  for (size_t g = start; g < start + count; ++g) {
    const size_t p = perMember ? 0 : n.groupParam[g], base = n.groupOffsets[g];
    const float* sc = scale ? scale + p : nullptr;
    const float* bi = bias ? bias + p : nullptr;
#ifdef __wasm_simd128__
    if constexpr (kSimd) {
      normalizeContiguousSimd(x + base, y + base, members, n.epsilon, sc, bi, perMember);
      continue;
    }
#endif
    normalizeContiguousScalar(x + base, y + base, members, n.epsilon, sc, bi, perMember);
  }
}

// Groups [start, start + count) with strided members (e.g. NHWC instance / group normalization):
// one scalar loop in every build.
void normalizeStridedGroups(const NormGroups& n, const float* x, const float* scale, const float* bias, float* y,
                            size_t start, size_t count) {
  const size_t members = n.memberOffsets.size();
  for (size_t g = start; g < start + count; ++g) {
    size_t base = n.groupOffsets[g];
    double sum = 0;
    for (size_t m = 0; m < members; ++m) sum += x[base + n.memberOffsets[m]];
    double mean = members ? sum / double(members) : 0;
    double sq = 0;
    for (size_t m = 0; m < members; ++m) {
      double d = x[base + n.memberOffsets[m]] - mean;
      sq += d * d;
    }
    double inv = 1.0 / std::sqrt((members ? sq / double(members) : 0) + double(n.epsilon));
    for (size_t m = 0; m < members; ++m) {
      size_t p = n.memberParam.empty() ? n.groupParam[g] : n.memberParam[m];
      float v = float((x[base + n.memberOffsets[m]] - mean) * inv);
      if (scale) v *= scale[p];
      if (bias) v += bias[p];
      y[base + n.memberOffsets[m]] = v;
    }
  }
}

}  // namespace

void groupNormalizeF32(ThreadPool* pool, const NormGroups& n, const float* x, const float* scale, const float* bias,
                       float* y) {
  const size_t members = n.memberOffsets.size(), count = n.groupOffsets.size();
  if (contiguousGroups(n)) {
#ifdef __wasm_simd128__
    constexpr bool kSimd = true;
#else
    constexpr bool kSimd = false;
#endif
    // ~1.5 ns a member in SIMD128 (three passes, the sums in double: [512, 64] in 46 us, bench/native):
    // the time of ~35 GEMM FLOPs at 25 GFLOP/s, the scale runSplit's thresholds are in.
    runSplit(pool, count, 32.0 * double(members), [&](size_t start, size_t cnt) {
      normalizeContiguousGroups<kSimd>(n, x, scale, bias, y, start, cnt);
    });
    return;
  }
  auto groups = [&](size_t start, size_t cnt) { normalizeStridedGroups(n, x, scale, bias, y, start, cnt); };
  if (pool && count > 1 && count * members >= minTaskElements(pool, 16384))
    pool->parallelize1d(count, std::max<size_t>(1, minTaskElements(pool, 4096) / std::max<size_t>(members, 1)), groups);
  else
    groups(0, count);
}

void groupNormalizeF32Scalar(const NormGroups& n, const float* x, const float* scale, const float* bias, float* y) {
  const size_t count = n.groupOffsets.size();
  if (contiguousGroups(n)) normalizeContiguousGroups<false>(n, x, scale, bias, y, 0, count);
  else normalizeStridedGroups(n, x, scale, bias, y, 0, count);
}

}  // namespace webnn
