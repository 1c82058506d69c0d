// The small-M GEMM path (M = 1..4: GEMV and decoder-step shapes) against Eigen: the 1x16 and 4x16
// kernels through gemmF32 (odd N and K, bias, min/max and other activation epilogues, 1-3 threads
// splitting N), the batched products with B computed at run time, how the work is split into tasks,
// and in the Wasm build the SIMD128 kernels bit for bit against their scalar twins (same algorithm).
// The matmul/gemm ops that take this path: ops/matmul_gemm.cpp.
#if __has_include(<Eigen/Dense>)
#include <catch2/catch.hpp>

#include <cmath>
#include <cstring>
#include <vector>

#include "eigen_oracle.h"
#include "kernels/gemm/gemm.h"
#include "kernels/gemm/gemm_microkernels.h"
#include "harness.h"
#include "core/thread_pool.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("small-M GEMM (M = 1..4) matches Eigen: odd N and K, bias, activations, 1-3 threads", "[eigen][gemm][smallm]") {
  Activation none, clamp = makeActivation(ActivationKind::Clamp), tanhAct = makeActivation(ActivationKind::Tanh),
                   leaky = makeActivation(ActivationKind::LeakyRelu);
  const Activation acts[] = {none, clamp, tanhAct, leaky};
  // N: inside one panel, just past one, odd, and wide enough (with K) that 2 and 3 threads split it.
  // K: odd (the 1x16 kernel's odd step), around the 4x16 kernel's 256-row K block, and long.
  const size_t Ns[] = {1, 15, 17, 33, 257, 1000};
  const size_t Ks[] = {1, 3, 255, 256, 257, 1025};
  Rng rng(416);
  size_t cases = 0;
  for (size_t threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    for (size_t M = 1; M <= 4; ++M)
      for (size_t N : Ns)
        for (size_t K : Ks) {
          const bool withBias = (M + N + K) % 3 != 0, transposedB = (N + K) % 2 == 0;
          const Activation& act = acts[(M + N + K + threads) % 4];
          MatF A = randomMatrix(M, K, rng), B = randomMatrix(K, N, rng), bias = randomMatrix(1, N, rng);
          MatF Bt = B.transpose();
          const size_t lda = K + (M % 2), ldc = N + 2;  // row strides past the row ends
          std::vector<float> a(M * lda, 0.f);
          for (size_t i = 0; i < M; ++i) std::memcpy(&a[i * lda], A.data() + i * K, K * sizeof(float));
          PackedGemmB packed;
          REQUIRE(packGemmB(transposedB ? Bt.data() : B.data(), K, N, transposedB ? K : N, transposedB, &packed));
          const float sentinel = 777.f;
          std::vector<float> C(M * ldc, sentinel);
          gemmF32(&pool, M, a.data(), lda, packed, withBias ? bias.data() : nullptr, C.data(), ldc, act);
          MatD want = A.cast<double>() * B.cast<double>();
          MatD mag = A.cast<double>().cwiseAbs() * B.cast<double>().cwiseAbs();
          if (withBias) {
            want.rowwise() += bias.cast<double>().row(0);
            mag.rowwise() += bias.cast<double>().cwiseAbs().row(0);
          }
          INFO("threads=" << threads << " M=" << M << " N=" << N << " K=" << K << " bias=" << withBias
                          << " transposedB=" << transposedB << " activation=" << int(act.kind));
          CHECK(mismatches(C, ldc, want, mag, K, act, sentinel) == 0);
          ++cases;
        }
  }
  CHECK(cases == 3 * 4 * 6 * 6);
  CHECK(std::string(gemmKernelName(1)) == "1x16 gemv");
  for (size_t M : {2, 3, 4}) CHECK(std::string(gemmKernelName(M)) == "4x16 small-M");
  CHECK(std::string(gemmKernelName(5)) == "2x16");
}

TEST_CASE("small-M tasks: one run of panels per thread, one task for products too small to share", "[gemm][smallm]") {
  // The 4 MB GEMV: one contiguous half (third) of B per thread.
  CHECK(gemmSmallMTasks(1, 1, 1000, 1024) == 1);
  CHECK(gemmSmallMTasks(2, 1, 1000, 1024) == 2);
  CHECK(gemmSmallMTasks(3, 1, 1000, 1024) == 3);
  CHECK(gemmSmallMTasks(2, 1, 80, 100000) == 2);  // 5 panels
  CHECK(gemmSmallMTasks(2, 1, 16, 100000) == 1);  // one panel
  // A product of ~0.25 MFLOP-equivalents runs inline.
  CHECK(gemmSmallMTasks(2, 1, 64, 64) == 1);
}

// Attention's per-head products: C_i = A_ai * B_bi for B computed at run time, batched.
TEST_CASE("batched small-M and 2x16 products with B computed at run time match Eigen", "[eigen][gemm][smallm]") {
  Rng rng(1616);
  struct Shape3 {
    size_t batches, M, N, K;
  };
  // A decoder step's q x kT and probabilities x v (12 heads, 129 keys), a short sequence's, odd sizes.
  const Shape3 shapes[] = {{12, 1, 129, 64}, {12, 1, 64, 129}, {12, 16, 16, 64}, {12, 16, 64, 16},
                           {3, 3, 17, 5},    {5, 2, 33, 300},  {2, 7, 20, 9},   {1, 1, 31, 7}};
  for (size_t threads : {1, 2, 3}) {
    ThreadPool pool(threads);
    for (const Shape3& sh : shapes)
      for (bool broadcastB : {false, true}) {
        const size_t bBatches = broadcastB ? 1 : sh.batches;
        std::vector<float> a = randomVector(sh.batches * sh.M * sh.K, rng), b = randomVector(bBatches * sh.K * sh.N, rng);
        std::vector<float> bias = randomVector(sh.N, rng);
        std::vector<std::pair<size_t, size_t>> index;
        for (size_t i = 0; i < sh.batches; ++i) index.push_back({i, broadcastB ? 0 : i});
        const size_t scratchBytes = gemmBatchedScratchBytes(threads, sh.batches, sh.M, sh.N, sh.K);
        std::vector<float> scratch(scratchBytes / sizeof(float) + 1, NAN);
        const float sentinel = 555.f;
        std::vector<float> c(sh.batches * sh.M * sh.N + 4, sentinel);
        const bool withBias = sh.N % 2 == 1;
        gemmF32Batched(&pool, sh.batches, index.data(), sh.M, sh.N, sh.K, a.data(), b.data(),
                       withBias ? bias.data() : nullptr, c.data(), relu(), scratch.data());
        INFO("threads=" << threads << " batches=" << sh.batches << " M=" << sh.M << " N=" << sh.N << " K=" << sh.K
                        << " broadcastB=" << broadcastB);
        size_t bad = 0;
        for (size_t i = 0; i < sh.batches; ++i) {
          Eigen::Map<const MatF> A(a.data() + i * sh.M * sh.K, sh.M, sh.K);
          Eigen::Map<const MatF> B(b.data() + index[i].second * sh.K * sh.N, sh.K, sh.N);
          MatD want = A.cast<double>() * B.cast<double>(), mag = A.cast<double>().cwiseAbs() * B.cast<double>().cwiseAbs();
          if (withBias) {
            for (Eigen::Index r = 0; r < want.rows(); ++r)
              for (size_t j = 0; j < sh.N; ++j) want(r, j) += bias[j], mag(r, j) += std::fabs(bias[j]);
          }
          std::vector<float> got(c.begin() + i * sh.M * sh.N, c.begin() + (i + 1) * sh.M * sh.N);
          bad += mismatches(got, sh.N, want, mag, sh.K, relu(), sentinel);
        }
        CHECK(bad == 0);
        for (size_t j = sh.batches * sh.M * sh.N; j < c.size(); ++j) CHECK(c[j] == sentinel);
      }
  }
  // Sharing batches among threads needs a scratch slot per batch; one thread needs one slot.
  CHECK(gemmBatchedSplitsBatches(2, 12, 1, 129, 64));
  CHECK_FALSE(gemmBatchedSplitsBatches(1, 12, 1, 129, 64));
  CHECK(gemmBatchedScratchBytes(2, 12, 1, 129, 64) == 12 * gemmBatchedScratchBytes(1, 12, 1, 129, 64));
  CHECK(gemmBatchedScratchBytes(2, 12, 1, 64, 129) == 0);  // N a multiple of 16: B read in place, no packing
  CHECK_FALSE(gemmBatchedSplitsBatches(2, 2, 512, 512, 512));  // each product splits over the threads itself
}

#ifdef __wasm_simd128__
TEST_CASE("small-M SIMD128 kernels equal their scalar twins bit for bit", "[gemm][smallm][simd]") {
  Rng rng(99);
  for (size_t mr = 1; mr <= 4; ++mr)
    for (size_t nc : {1, 5, 16})
      for (size_t K : {0, 1, 2, 7, 256, 513}) {
        const bool one = mr == 1;
        auto simd = one ? f32_gemm_minmax_1x16_fullk__wasmsimd : f32_gemm_minmax_4x16_fullk__wasmsimd;
        auto scalar = one ? f32_gemm_minmax_1x16_fullk__scalar : f32_gemm_minmax_4x16_fullk__scalar;
        for (size_t ldw : {16, 37}) {  // a packed panel, and a row-major B read in place
          const size_t lda = K + 3, ldc = 19;
          std::vector<float> a = randomVector(4 * lda, rng), w = randomVector(K * ldw + 1, rng), init = randomVector(16, rng);
          std::vector<float> c1(4 * ldc, 5.f), c2(4 * ldc, 5.f);
          simd(mr, nc, K, a.data(), lda, w.data(), ldw, init.data(), c1.data(), ldc, -0.75f, 2.f);
          scalar(mr, nc, K, a.data(), lda, w.data(), ldw, init.data(), c2.data(), ldc, -0.75f, 2.f);
          INFO("mr=" << mr << " nc=" << nc << " K=" << K << " ldw=" << ldw);
          CHECK(std::memcmp(c1.data(), c2.data(), c1.size() * sizeof(float)) == 0);
        }
      }
}
#endif

#endif  // __has_include(<Eigen/Dense>)
