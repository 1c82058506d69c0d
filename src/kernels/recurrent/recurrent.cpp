#include "kernels/recurrent/recurrent.h"

#include <algorithm>
#include <cmath>
#include <cstring>

namespace webnn {
namespace {

inline float activate(RnnActivation a, float v) {
  switch (a) {
    case RnnActivation::Relu: return v > 0.f ? v : 0.f;
    case RnnActivation::Sigmoid: return 1.f / (1.f + std::exp(-v));
    case RnnActivation::Tanh: return std::tanh(v);
  }
  return v;
}

size_t align16(size_t floats) { return (floats + 15) & ~size_t(15); }
// The same, saturating (scratch sizes may exceed a 32-bit address space; see satMul).
size_t satAlign16(size_t floats) { return floats > SIZE_MAX - 15 ? SIZE_MAX : align16(floats); }

}  // namespace

bool packRnnWeights(const RnnParams& p, const float* w, const float* r, RnnPackedWeights* out) {
  size_t G = p.gates(), h = p.hidden;
  out->w.resize(p.directions * G);
  out->r.resize(p.directions * G);
  for (size_t d = 0; d < p.directions; ++d)
    for (size_t k = 0; k < G; ++k) {
      const float* wk = w + (d * G + p.gatePos[k]) * h * p.inputSize;
      const float* rk = r + (d * G + p.gatePos[k]) * h * h;
      if (!packGemmB(wk, p.inputSize, h, p.inputSize, true, &out->w[d * G + k])) return false;
      if (!packGemmB(rk, h, h, h, true, &out->r[d * G + k])) return false;
    }
  return true;
}

size_t rnnScratchBytes(const RnnParams& p) {
  size_t G = p.gates(), h = p.hidden, B = p.batch;
  size_t floats = satAdd(satAlign16(satMul(p.steps, B, G, h)),  // xw
                         satAdd(satAlign16(satMul(B, G, h)),      // hr
                                satMul(satAlign16(satMul(B, h)), 4)));  // r*h (GRU), z, hidden, cell
  return satAdd(satMul(floats, sizeof(float)), satAdd(gemmUnpackedScratchBytes(std::max(p.inputSize, h), h), 64));
}

void rnnF32(ThreadPool* pool, const RnnParams& p, const float* x, const float* w, const float* r,
            const RnnPackedWeights* packed, const float* bias, const float* recurrentBias, const float* peephole,
            const float* h0, const float* c0, float* outH, float* outC, float* outSeq, void* scratch) {
  const size_t G = p.gates(), h = p.hidden, B = p.batch, I = p.inputSize, T = p.steps, GH = G * h;
  float* xw = static_cast<float*>(scratch);
  float* hr = xw + align16(T * B * GH);
  float* rh = hr + align16(B * GH);
  float* zbuf = rh + align16(B * h);
  float* hs = zbuf + align16(B * h);
  float* cs = hs + align16(B * h);
  void* gemmScratch = cs + align16(B * h);
  Activation none;
  bool usePacked = packed && !packed->w.empty();

  for (size_t d = 0; d < p.directions; ++d) {
    bool backward = d == 1 || p.backward;
    const float* wd = usePacked ? nullptr : w + d * GH * I;  // w and r are null when packed
    const float* rd = usePacked ? nullptr : r + d * GH * h;
    const float* bd = bias ? bias + d * GH : nullptr;
    const float* rbd = recurrentBias ? recurrentBias + d * GH : nullptr;
    const float* pd = peephole ? peephole + d * 3 * h : nullptr;
    // gate k's bias value at column j (bias + recurrentBias unless excluded).
    auto b = [&](const float* v, size_t k, size_t j) { return v ? v[p.gatePos[k] * h + j] : 0.f; };
    // C[M, h] (row stride ldc) = A[M, K] x gate k of (W or R)^T.
    auto gateGemm = [&](bool recurrent, size_t k, size_t M, const float* A, size_t K, float* C, size_t ldc) {
      if (usePacked) {
        const PackedGemmB& pb = recurrent ? packed->r[d * G + k] : packed->w[d * G + k];
        gemmF32(pool, M, A, K, pb, nullptr, C, ldc, none);
      } else {
        const float* src = recurrent ? rd + p.gatePos[k] * h * h : wd + p.gatePos[k] * h * I;
        gemmF32Unpacked(pool, M, h, K, A, K, src, K, true, nullptr, C, ldc, none, gemmScratch);
      }
    };
    // Input projections of every step at once.
    for (size_t k = 0; k < G; ++k) gateGemm(false, k, T * B, x, I, xw + k * h, GH);
    if (h0) std::memcpy(hs, h0 + d * B * h, B * h * sizeof(float));
    else std::fill(hs, hs + B * h, 0.f);
    if (p.lstm) {
      if (c0) std::memcpy(cs, c0 + d * B * h, B * h * sizeof(float));
      else std::fill(cs, cs + B * h, 0.f);
    }
    for (size_t s = 0; s < T; ++s) {
      size_t t = backward ? T - 1 - s : s;
      const float* xt = xw + t * B * GH;
      if (p.lstm) {
        for (size_t k = 0; k < 4; ++k) gateGemm(true, k, B, hs, h, hr + k * h, GH);
        for (size_t bi = 0; bi < B; ++bi)
          for (size_t j = 0; j < h; ++j) {
            const float* xg = xt + bi * GH;
            const float* hg = hr + bi * GH;
            float c = cs[bi * h + j];
            auto pre = [&](size_t k) { return xg[k * h + j] + hg[k * h + j] + b(bd, k, j) + b(rbd, k, j); };
            // Canonical gates: 0 i, 1 o, 2 f, 3 g; peephole is [i, o, f].
            float ig = activate(p.act[0], pre(0) + (pd ? pd[j] * c : 0.f));
            float og = activate(p.act[0], pre(1) + (pd ? pd[h + j] * c : 0.f));
            float fg = activate(p.act[0], pre(2) + (pd ? pd[2 * h + j] * c : 0.f));
            float gg = activate(p.act[1], pre(3));
            float cn = fg * c + ig * gg;
            cs[bi * h + j] = cn;
            hs[bi * h + j] = og * activate(p.act[2], cn);
          }
      } else {
        // z and r (and n with resetAfter) from the previous hidden state.
        for (size_t k = 0; k < (p.resetAfter ? 3u : 2u); ++k) gateGemm(true, k, B, hs, h, hr + k * h, GH);
        for (size_t bi = 0; bi < B; ++bi)
          for (size_t j = 0; j < h; ++j) {
            const float* xg = xt + bi * GH;
            const float* hg = hr + bi * GH;
            float z = activate(p.act[0], xg[j] + hg[j] + b(bd, 0, j) + b(rbd, 0, j));
            float rr = activate(p.act[0], xg[h + j] + hg[h + j] + b(bd, 1, j) + b(rbd, 1, j));
            zbuf[bi * h + j] = z;
            rh[bi * h + j] = p.resetAfter ? rr : rr * hs[bi * h + j];  // r itself, or r * h for the n GEMM
          }
        if (!p.resetAfter) gateGemm(true, 2, B, rh, h, hr + 2 * h, GH);
        for (size_t bi = 0; bi < B; ++bi)
          for (size_t j = 0; j < h; ++j) {
            float xn = xt[bi * GH + 2 * h + j] + b(bd, 2, j), hn = hr[bi * GH + 2 * h + j] + b(rbd, 2, j);
            float n = activate(p.act[1], p.resetAfter ? xn + rh[bi * h + j] * hn : xn + hn);
            float z = zbuf[bi * h + j];
            hs[bi * h + j] = z * hs[bi * h + j] + (1.f - z) * n;
          }
      }
      if (outSeq) std::memcpy(outSeq + ((t * p.directions + d) * B) * h, hs, B * h * sizeof(float));
    }
    std::memcpy(outH + d * B * h, hs, B * h * sizeof(float));
    if (p.lstm && outC) std::memcpy(outC + d * B * h, cs, B * h * sizeof(float));
  }
}

}  // namespace webnn
