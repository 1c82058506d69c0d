// GEMM kernels against a naive double-precision reference, and (where Eigen's headers are found)
// against Eigen at every tile edge.
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "kernels/gemm/gemm.h"
#include "kernels/gemm/gemm_internal.h"
#include "kernels/gemm/gemm_microkernels.h"
#include "core/thread_pool.h"
#include "harness.h"
#if __has_include(<Eigen/Dense>)
#include "eigen_oracle.h"
#endif

using namespace webnn;
using namespace webnn::test;

namespace {

constexpr float kSentinel = 12345.f;

struct Case {
  size_t M, N, K;
  bool transposedB;
  bool withBias;
  size_t lda, ldb, ldc;
};

// Computes the reference and an error bound per element (1e-5 relative to sum |a*b| + |bias|, which
// grows with K as float rounding does).
void reference(const Case& t, const std::vector<float>& a, const std::vector<float>& b, const float* bias,
               const Activation& act, std::vector<float>* ref, std::vector<float>* tol) {
  ref->assign(t.M * t.N, 0.f);
  tol->assign(t.M * t.N, 0.f);
  for (size_t i = 0; i < t.M; ++i)
    for (size_t j = 0; j < t.N; ++j) {
      double s = bias ? bias[j] : 0.0, mag = bias ? std::fabs(bias[j]) : 0.0;
      for (size_t k = 0; k < t.K; ++k) {
        const double bv = t.transposedB ? b[j * t.ldb + k] : b[k * t.ldb + j];
        s += double(a[i * t.lda + k]) * bv;
        mag += std::fabs(double(a[i * t.lda + k]) * bv);
      }
      (*ref)[i * t.N + j] = static_cast<float>(s);
      (*tol)[i * t.N + j] = static_cast<float>(1e-5 * (1.0 + mag));
    }
  applyActivation(act, ref->data(), ref->size());
}

void checkResult(const Case& t, const std::vector<float>& c, const std::vector<float>& ref,
                 const std::vector<float>& tol) {
  size_t bad = 0;
  for (size_t i = 0; i < t.M; ++i) {
    for (size_t j = 0; j < t.ldc; ++j) {
      const float got = c[i * t.ldc + j];
      if (j >= t.N) {
        if (got != kSentinel) ++bad;  // the kernel wrote past N
        continue;
      }
      const float want = ref[i * t.N + j];
      if (!(std::fabs(got - want) <= tol[i * t.N + j])) {
        if (bad < 5) INFO("C[" << i << "," << j << "] = " << got << " want " << want);
        ++bad;
      }
    }
  }
  INFO("M=" << t.M << " N=" << t.N << " K=" << t.K << " transposedB=" << t.transposedB << " bias=" << t.withBias
            << " lda=" << t.lda << " ldc=" << t.ldc);
  CHECK(bad == 0);
}

void runCase(const Case& t, const Activation& act, ThreadPool* pool, uint32_t seed, bool unpacked = false) {
  Rng rng(seed);
  std::vector<float> a = randomVector(t.M * t.lda, rng);
  std::vector<float> b = randomVector((t.transposedB ? t.N : t.K) * t.ldb, rng);
  std::vector<float> bias = randomVector(t.N, rng);
  const float* biasPtr = t.withBias ? bias.data() : nullptr;
  std::vector<float> ref, tol;
  reference(t, a, b, biasPtr, act, &ref, &tol);
  std::vector<float> c(t.M * t.ldc, kSentinel);
  if (unpacked) {
    std::vector<float> scratch(gemmUnpackedScratchBytes(t.K, t.N) / sizeof(float) + 1);
    gemmF32Unpacked(pool, t.M, t.N, t.K, a.data(), t.lda, b.data(), t.ldb, t.transposedB, biasPtr, c.data(), t.ldc,
                    act, scratch.data());
  } else {
    PackedGemmB packed;
    REQUIRE(packGemmB(b.data(), t.K, t.N, t.ldb, t.transposedB, &packed));
    gemmF32(pool, t.M, a.data(), t.lda, packed, biasPtr, c.data(), t.ldc, act);
  }
  checkResult(t, c, ref, tol);
}

Case makeCase(size_t M, size_t N, size_t K, bool tb, bool bias, size_t padA = 0, size_t padC = 0) {
  return {M, N, K, tb, bias, K + padA, (tb ? K : N) + padA, N + padC};
}

}  // namespace

TEST_CASE("microkernels match a reference tile", "[gemm]") {
  Rng rng(7);
  for (size_t widest : {16, 8, 4}) {  // 2x16, 4x8, 8x4 (SIMD in the Wasm build, scalar otherwise)
    const GemmMicrokernel uk = gemmMicrokernelForColumns(widest);
    REQUIRE(uk.nr == widest);
    // mr up to 3 tiles: the kernels walk the rows in MR-row tiles.
    for (size_t mr = 1; mr <= 3 * uk.mr; ++mr)
      for (size_t nc : {1, 3, 4, 8, 13, 16})
        for (size_t kc : {0, 1, 2, 5, 64})
          for (int mode = 0; mode < 2; ++mode) {  // 0: init from bias, 1: accumulate onto C
            if (nc > uk.nr) continue;
            const size_t lda = kc + 2, ldc = 19, rows = 3 * uk.mr + 1;
            std::vector<float> a = randomVector(rows * lda, rng), w = randomVector(kc * 16 + 1, rng);
            std::vector<float> init = randomVector(16, rng), c0 = randomVector(rows * ldc, rng);
            std::vector<float> c = c0;
            uk.fn(mr, nc, kc, a.data(), lda, w.data(), mode == 0 ? init.data() : nullptr, c.data(), ldc, -0.5f,
                  0.75f);
            for (size_t i = 0; i < rows; ++i)
              for (size_t j = 0; j < ldc; ++j) {
                float want = c0[i * ldc + j];
                if (i < mr && j < nc) {
                  double s = mode == 0 ? init[j] : c0[i * ldc + j];
                  for (size_t k = 0; k < kc; ++k) s += double(a[i * lda + k]) * w[k * 16 + j];
                  want = std::fmin(std::fmax(float(s), -0.5f), 0.75f);
                }
                INFO("tile " << uk.mr << "x" << uk.nr << " mr=" << mr << " nc=" << nc << " kc=" << kc
                             << " mode=" << mode << " i=" << i << " j=" << j);
                REQUIRE(std::fabs(c[i * ldc + j] - want) <= 1e-5f * (1 + kc));
              }
          }
  }
}

TEST_CASE("gemmF32 edge sizes, strides, transposedB, bias", "[gemm]") {
  uint32_t seed = 1;
  Activation none;
  for (size_t M : {1, 2, 3, 5, 9, 17})
    for (size_t N : {1, 4, 7, 16, 17, 21, 33, 100})
      for (size_t K : {1, 2, 3, 16, 31, 257, 600})
        for (int tb = 0; tb < 2; ++tb)
          for (int bias = 0; bias < 2; ++bias) {
            runCase(makeCase(M, N, K, tb, bias), none, nullptr, seed++);
            if ((M + N + K) % 3 == 0) runCase(makeCase(M, N, K, tb, bias, 3, 5), none, nullptr, seed++);
          }
}

TEST_CASE("gemmF32 fused activations", "[gemm]") {
  uint32_t seed = 1000;
  for (ActivationKind kind : allActivationKinds()) {
    const Activation act = makeActivation(kind);
    INFO("activation " << static_cast<int>(kind));
    // 2 K blocks: bias by the first only, the activation only at the end
    runCase(makeCase(5, 37, gemmMaxKBlock() + 44, false, true, 1, 2), act, nullptr, seed++);
    runCase(makeCase(1, 16, 1, true, false), act, nullptr, seed++);
    runCase(makeCase(4, 300, 20, true, true), act, nullptr, seed++);  // N spans 2 N blocks
  }
  runCase(makeCase(9, 40, 70, false, true), relu(), nullptr, seed++);
}

TEST_CASE("gemmF32 at the K block edges: blocks after the first accumulate onto C", "[gemm]") {
  uint32_t seed = 1500;
  const size_t kb = gemmMaxKBlock();
  ThreadPool pool(2);
  for (size_t K : {kb - 1, kb, kb + 1, 2 * kb + 3})
    for (size_t M : {5, 17})  // (M <= 4 takes the small-M kernels, which have their own K blocks)
      for (int tb = 0; tb < 2; ++tb) {
        INFO("K=" << K << " M=" << M);
        runCase(makeCase(M, 21, K, tb, true, 1, 2), makeActivation(ActivationKind::Clamp), M == 17 ? &pool : nullptr,
                seed++);
      }
}

TEST_CASE("gemmF32Unpacked", "[gemm]") {
  uint32_t seed = 2000;
  for (int tb = 0; tb < 2; ++tb) {
    runCase(makeCase(7, 23, 45, tb, true, 2, 3), makeActivation(ActivationKind::Clamp), nullptr, seed++, true);
    runCase(makeCase(1, 1, 1, tb, false), Activation(), nullptr, seed++, true);
  }
}

TEST_CASE("gemmF32 threaded", "[gemm][threads]") {
  uint32_t seed = 3000;
  for (size_t threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    INFO("threads " << threads);
    for (int rep = 0; rep < 3; ++rep) {
      runCase(makeCase(67, 130, 300, false, true, 1, 3), relu(), &pool, seed++);          // splits M
      runCase(makeCase(1, 1000, 1100, true, true), Activation(), &pool, seed++);           // GEMV: splits N
      runCase(makeCase(200, 33, 513, true, false), makeActivation(ActivationKind::Tanh), &pool, seed++);
      runCase(makeCase(3, 2, 5, false, true), Activation(), &pool, seed++);                // tiny: inline
      runCase(makeCase(64, 64, 64, false, true), Activation(), &pool, seed++, true);
    }
  }
}

#if __has_include(<Eigen/Dense>)
TEST_CASE("GEMM kernel matches Eigen at every tile edge, with transposes, bias and activations", "[eigen][gemm]") {
  ThreadPool pool(2);
  // Sizes around the 2x16 register tile, the 4x8/8x4 tails, the small-M kernels' K block (256) and the A
  // block (256 rows); the 2x16 path's K block edges are covered above (gemmMaxKBlock).
  const size_t Ms[] = {1, 2, 3, 16, 17, 256, 257};
  const size_t Ns[] = {1, 3, 4, 5, 8, 9, 15, 16, 17, 32, 33};
  const size_t Ks[] = {1, 7, 255, 256, 257, 513};
  Activation none, clamp = makeActivation(ActivationKind::Clamp), sigmoid = makeActivation(ActivationKind::Sigmoid),
                   leaky = makeActivation(ActivationKind::LeakyRelu);
  const Activation acts[] = {none, clamp, sigmoid, leaky};
  Rng rng(2026);
  size_t cases = 0;
  for (size_t M : Ms)
    for (size_t N : Ns)
      for (size_t K : Ks) {
        const bool transposedB = (M + N + K) % 2 == 1, withBias = (M * N + K) % 3 != 0, unpacked = (N + K) % 4 == 1;
        const Activation& act = acts[(M + 3 * N + K) % 4];
        MatF A = randomMatrix(M, K, rng), B = randomMatrix(K, N, rng);
        MatF bias = randomMatrix(1, N, rng);
        MatF Bt = B.transpose();  // the layout the kernel reads when transposedB
        const float* b = transposedB ? Bt.data() : B.data();
        const size_t ldb = transposedB ? K : N, ldc = N + 3;
        std::vector<float> C(M * ldc, 777.f);
        const float* biasPtr = withBias ? bias.data() : nullptr;
        if (unpacked) {
          std::vector<float> scratch(gemmUnpackedScratchBytes(K, N) / sizeof(float) + 16);
          gemmF32Unpacked(&pool, M, N, K, A.data(), K, b, ldb, transposedB, biasPtr, C.data(), ldc, act, scratch.data());
        } else {
          PackedGemmB packed;
          REQUIRE(packGemmB(b, K, N, ldb, transposedB, &packed));
          gemmF32(&pool, M, A.data(), K, packed, biasPtr, C.data(), ldc, act);
        }
        MatD want = A.cast<double>() * B.cast<double>();
        MatD mag = A.cast<double>().cwiseAbs() * B.cast<double>().cwiseAbs();
        if (withBias) {
          want.rowwise() += bias.cast<double>().row(0);
          mag.rowwise() += bias.cast<double>().cwiseAbs().row(0);
        }
        MatD tol = mag.unaryExpr([K](double m) { return bound(K, m); });
        want = want.unaryExpr([&](double x) { return activate(act, x); });
        INFO("M=" << M << " N=" << N << " K=" << K << " transposedB=" << transposedB << " bias=" << withBias
                  << " unpacked=" << unpacked << " activation=" << int(act.kind));
        CHECK(mismatches(C.data(), ldc, want, tol) == 0);
        size_t overwritten = 0;  // columns past N belong to the caller
        for (size_t i = 0; i < M; ++i)
          for (size_t j = N; j < ldc; ++j) overwritten += C[i * ldc + j] != 777.f;
        CHECK(overwritten == 0);
        ++cases;
      }
  CHECK(cases == 7 * 11 * 6);
}

#endif  // __has_include(<Eigen/Dense>)
