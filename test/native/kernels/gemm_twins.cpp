// Twin tests: the GEMM microkernels (2x16, 4x8, 8x4 tiles; 1x16 and 4x16 small-M) in SIMD128 against
// their scalar twins. Same products added in the same order (C being accumulated onto is added after
// the K loop in both), same pmax/pmin clamp: bit-for-bit agreement, C's columns past nc untouched.
#include <catch2/catch.hpp>

#include "kernels/gemm/gemm_microkernels.h"
#include "twins.h"

using namespace webnn;
using namespace webnn::test;
using namespace webnn::test::twins;

namespace {

struct Clamp {
  float lo, hi;
};
const Clamp kClamps[] = {{-INFINITY, INFINITY}, {0.f, INFINITY}, {-0.5f, 0.25f}};

struct TileKernel {
  const char* name;
  GemmMicrokernelFn simd, scalar;
  size_t mr, nr;
};

std::vector<TileKernel> tileKernels() {
  return {
      {"2x16", WEBNN_SIMD_TWIN(f32_gemm_minmax_2x16__wasmsimd, f32_gemm_minmax_2x16__scalar),
       f32_gemm_minmax_2x16__scalar, 2, 16},
      {"4x8", WEBNN_SIMD_TWIN(f32_gemm_minmax_4x8__wasmsimd, f32_gemm_minmax_4x8__scalar), f32_gemm_minmax_4x8__scalar,
       4, 8},
      {"8x4", WEBNN_SIMD_TWIN(f32_gemm_minmax_8x4__wasmsimd, f32_gemm_minmax_8x4__scalar), f32_gemm_minmax_8x4__scalar,
       8, 4},
  };
}

}  // namespace

TEST_CASE("GEMM tile microkernels: SIMD128 and scalar twins agree bit for bit", "[twins][gemm]") {
  uint32_t seed = 200;
  for (const TileKernel& k : tileKernels())
    for (size_t kc : {size_t(0), size_t(1), size_t(3), size_t(16), size_t(37), size_t(300)})
      // mr past MR: the kernels walk the rows in MR-row tiles (the last one partial, its rows aliased).
      for (size_t mr : {size_t(1), k.mr - 1, k.mr, k.mr + 1, 3 * k.mr - 1})
        for (size_t nc : {size_t(1), k.nr / 2 + 1, k.nr - 1, k.nr})
          for (bool accumulate : {false, true})
            for (const Clamp& cl : kClamps)
              for (uint32_t every : {0u, 29u}) {  // plain data, then with edge values
                const size_t lda = kc + 3, ldc = nc + 5, rows = 3 * k.mr;
                const std::vector<float> a = twinInput(rows * lda, seed++, -1.f, 1.f, every);
                const std::vector<float> w = twinInput(kc * kGemmNR, seed++, -1.f, 1.f, every);
                const std::vector<float> bias = twinInput(kGemmNR, seed++, -1.f, 1.f, every);
                // C: previous K blocks' sums when accumulating; a sentinel past row mr and column nc.
                std::vector<float> c0 = twinInput(rows * ldc, seed++, -4.f, 4.f, every);
                std::vector<float> simd = c0, scalar = c0;
                const float* init = accumulate ? nullptr : bias.data();
                k.simd(mr, nc, kc, a.data(), lda, w.data(), init, simd.data(), ldc, cl.lo, cl.hi);
                k.scalar(mr, nc, kc, a.data(), lda, w.data(), init, scalar.data(), ldc, cl.lo, cl.hi);
                INFO(k.name << " kc=" << kc << " mr=" << mr << " nc=" << nc << " accumulate=" << accumulate
                            << " clamp [" << cl.lo << ", " << cl.hi << "] edges=" << every);
                REQUIRE_TWINS(simd, scalar);
                for (size_t i = 0; i < rows * ldc; ++i)  // nothing written outside the mr x nc tile
                  if (i / ldc >= mr || i % ldc >= nc) REQUIRE(twinEqual(scalar[i], c0[i]));
              }
}

// A K-blocked product (the driver's K blocks after the first accumulate onto C): the order of the
// C addition used to differ between the twins, which showed once K exceeded one block.
TEST_CASE("GEMM tile microkernels: K blocks accumulated onto C agree bit for bit", "[twins][gemm]") {
  uint32_t seed = 260;
  for (const TileKernel& k : tileKernels()) {
    const size_t K = 700, kBlock = 256, nc = k.nr, ldc = nc, mr = 2 * k.mr + 1;
    const std::vector<float> a = twinInput(mr * K, seed++, -1.f, 1.f, 0);
    const std::vector<float> w = twinInput(K * kGemmNR, seed++, -1.f, 1.f, 0);
    const std::vector<float> bias = twinInput(kGemmNR, seed++, -1.f, 1.f, 0);
    std::vector<float> simd(mr * ldc), scalar(mr * ldc);
    for (size_t k0 = 0; k0 < K; k0 += kBlock) {
      const size_t kc = std::min(kBlock, K - k0);
      const float* init = k0 == 0 ? bias.data() : nullptr;
      k.simd(mr, nc, kc, a.data() + k0, K, w.data() + k0 * kGemmNR, init, simd.data(), ldc, -INFINITY, INFINITY);
      k.scalar(mr, nc, kc, a.data() + k0, K, w.data() + k0 * kGemmNR, init, scalar.data(), ldc, -INFINITY, INFINITY);
    }
    INFO(k.name);
    REQUIRE_TWINS(simd, scalar);
  }
}

TEST_CASE("GEMM small-M kernels (1x16, 4x16): SIMD128 and scalar twins agree bit for bit", "[twins][gemm]") {
  uint32_t seed = 300;
  for (bool one : {true, false}) {
    GemmSmallMKernelFn simdFn = one ? WEBNN_SIMD_TWIN(f32_gemm_minmax_1x16_fullk__wasmsimd, f32_gemm_minmax_1x16_fullk__scalar)
                                    : WEBNN_SIMD_TWIN(f32_gemm_minmax_4x16_fullk__wasmsimd, f32_gemm_minmax_4x16_fullk__scalar);
    GemmSmallMKernelFn scalarFn = one ? f32_gemm_minmax_1x16_fullk__scalar : f32_gemm_minmax_4x16_fullk__scalar;
    for (size_t mr = 1; mr <= (one ? 1u : 4u); ++mr)
      for (size_t K : {size_t(1), size_t(2), size_t(3), size_t(17), size_t(255), size_t(256), size_t(257), size_t(600)})
        for (size_t ldw : {size_t(16), size_t(21)})  // a packed panel, a row-major B read in place
          for (size_t nc : {size_t(1), size_t(9), size_t(16)})
            for (const Clamp& cl : kClamps)
              for (uint32_t every : {0u, 31u}) {
                const size_t lda = K + 1, ldc = 19;
                const std::vector<float> a = twinInput(mr * lda, seed++, -1.f, 1.f, every);
                const std::vector<float> w = twinInput(K * ldw, seed++, -1.f, 1.f, every);
                const std::vector<float> init = twinInput(16, seed++, -1.f, 1.f, every);
                const std::vector<float> c0 = twinInput(4 * ldc, seed++, -1.f, 1.f, 0);
                std::vector<float> simd = c0, scalar = c0;
                simdFn(mr, nc, K, a.data(), lda, w.data(), ldw, init.data(), simd.data(), ldc, cl.lo, cl.hi);
                scalarFn(mr, nc, K, a.data(), lda, w.data(), ldw, init.data(), scalar.data(), ldc, cl.lo, cl.hi);
                INFO((one ? "1x16" : "4x16") << " mr=" << mr << " K=" << K << " ldw=" << ldw << " nc=" << nc
                                              << " clamp [" << cl.lo << ", " << cl.hi << "] edges=" << every);
                REQUIRE_TWINS(simd, scalar);
                for (size_t i = 0; i < 4 * ldc; ++i)
                  if (i / ldc >= mr || i % ldc >= nc) REQUIRE(twinEqual(scalar[i], c0[i]));
              }
  }
}

TEST_CASE("GEMM microkernels: the clamp keeps -0 and NaN (relu of -0 is -0)", "[twins][gemm]") {
  // One K step: C = init + a * w with a = 1, so C is w's row; relu must pass -0 and NaN through.
  const float a[1] = {1.f};
  std::vector<float> w(kGemmNR, 0.f), init(kGemmNR, 0.f);
  w[0] = -0.f, w[1] = NAN, w[2] = -3.f, w[3] = 2.f;
  init[0] = -0.f;  // -0 + 1 * -0 = -0
  for (const TileKernel& k : tileKernels())
    for (GemmMicrokernelFn fn : {k.simd, k.scalar}) {
      std::vector<float> c(k.nr, 9.f);
      fn(1, 4, 1, a, 1, w.data(), init.data(), c.data(), k.nr, 0.f, INFINITY);
      INFO(k.name);
      CHECK((c[0] == 0.f && std::signbit(c[0])));
      CHECK(std::isnan(c[1]));
      CHECK((c[2] == 0.f && !std::signbit(c[2])));
      CHECK(c[3] == 2.f);
    }
}
