// Eigen as an independent oracle for GEMM, matmul broadcasting and conv2d: the products are Eigen's
// (double precision), the im2col feeding Eigen for conv2d is written here from the spec's
// definition, and every element is checked against a rounding-error bound (float32 summation:
// about K * 2^-24 of sum |a*b|, computed with Eigen from |A| * |B|).
// Compiled where Eigen's headers are found (the native build; see CMakeLists.txt for Wasm).
#if __has_include(<Eigen/Dense>)
#include <Eigen/Dense>
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "kernels/gemm/gemm.h"
#include "harness.h"
#include "core/thread_pool.h"

using namespace webnn;
using namespace webnn::test;

namespace {

using MatD = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;
using MatF = Eigen::Matrix<float, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

MatF randomMatrix(size_t rows, size_t cols, Rng& rng) {
  MatF m(rows, cols);
  for (Eigen::Index i = 0; i < m.size(); ++i) m.data()[i] = rng.uniform(-1.f, 1.f);
  return m;
}

// The error bound of a float32 dot product of length K (plus a bias), relative to sum |a*b|.
double bound(size_t K, double magnitude) { return (double(K) + 4) * 6e-8 * magnitude + 1e-6; }

// Counts elements of `got` (row stride ldc) farther from `want` than `tol` allows; reports the first.
size_t mismatches(const float* got, size_t ldc, const MatD& want, const MatD& tol) {
  size_t bad = 0;
  for (Eigen::Index i = 0; i < want.rows(); ++i)
    for (Eigen::Index j = 0; j < want.cols(); ++j) {
      double g = got[i * ldc + j];
      if (!(std::fabs(g - want(i, j)) <= tol(i, j))) {
        if (bad == 0) UNSCOPED_INFO("first mismatch at [" << i << "," << j << "]: " << g << " want " << want(i, j));
        ++bad;
      }
    }
  return bad;
}

// Activations the GEMM epilogue fuses, written from their definitions.
double activate(const Activation& a, double x) {
  switch (a.kind) {
    case ActivationKind::Clamp: return std::min(std::max(x, double(a.minValue)), double(a.maxValue));
    case ActivationKind::Sigmoid: return 1 / (1 + std::exp(-x));
    case ActivationKind::Tanh: return std::tanh(x);
    case ActivationKind::LeakyRelu: return x >= 0 ? x : a.alpha * x;
    default: return x;
  }
}

}  // namespace

TEST_CASE("GEMM kernel matches Eigen at every tile edge, with transposes, bias and activations", "[eigen][gemm]") {
  ThreadPool pool(2);
  // Sizes around the 2x16 register tile, the 4x8/8x4 tails, the K block (256) and the A block (256 rows).
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

TEST_CASE("gemm op (transposes, alpha, beta, broadcast c) matches Eigen", "[eigen][gemm]") {
  Rng rng(11);
  struct G { size_t M, N, K; bool aT, bT, constantB; double alpha, beta; Shape cShape; };
  const G cases[] = {{5, 7, 3, false, false, true, 1, 1, {7}},          {18, 17, 33, true, false, true, 0.5, 2, {18, 17}},
                     {2, 33, 257, false, true, false, -1.5, 0.25, {1, 33}}, {31, 1, 16, true, true, false, 1, 0, {}},
                     {3, 16, 9, false, true, true, 2, -1, {3, 1}}};
  for (const G& t : cases) {
    MatF A = randomMatrix(t.aT ? t.K : t.M, t.aT ? t.M : t.K, rng), B = randomMatrix(t.bT ? t.N : t.K, t.bT ? t.K : t.N, rng);
    size_t cCount = 1;
    for (uint32_t d : t.cShape) cCount *= d;
    MatF Cv = randomMatrix(1, cCount, rng);
    std::vector<OpInput> in{{"a", makeTensor(DataType::Float32, {uint32_t(A.rows()), uint32_t(A.cols())}, std::vector<float>(A.data(), A.data() + A.size()))},
                            {"b", makeTensor(DataType::Float32, {uint32_t(B.rows()), uint32_t(B.cols())}, std::vector<float>(B.data(), B.data() + B.size())), t.constantB}};
    bool withC = !t.cShape.empty() || t.beta != 0;
    if (withC) in.push_back({"c", makeTensor(DataType::Float32, t.cShape, std::vector<float>(Cv.data(), Cv.data() + Cv.size())), true});
    RunResult r = runOp("gemm", in, attrs({{"aTranspose", t.aT}, {"bTranspose", t.bT}, {"alpha", t.alpha}, {"beta", t.beta}}));
    REQUIRE(r.status.isOk());
    MatD a = A.cast<double>(), b = B.cast<double>();
    if (t.aT) a.transposeInPlace();
    if (t.bT) b.transposeInPlace();
    MatD want = t.alpha * (a * b), mag = std::fabs(t.alpha) * (a.cwiseAbs() * b.cwiseAbs());
    if (withC) {
      // c broadcasts to [M, N] by the numpy rules (a scalar, a row [N] or [1, N], a column [M, 1], or [M, N]).
      for (size_t i = 0; i < t.M; ++i)
        for (size_t j = 0; j < t.N; ++j) {
          size_t ci = t.cShape.size() == 2 ? (t.cShape[0] == 1 ? 0 : i) * t.cShape[1] + (t.cShape[1] == 1 ? 0 : j)
                                           : t.cShape.size() == 1 ? (t.cShape[0] == 1 ? 0 : j) : 0;
          want(i, j) += t.beta * Cv.data()[ci];
          mag(i, j) += std::fabs(t.beta * Cv.data()[ci]);
        }
    }
    MatD tol = mag.unaryExpr([&](double m) { return bound(t.K, m); });
    INFO("gemm M=" << t.M << " N=" << t.N << " K=" << t.K << " aT=" << t.aT << " bT=" << t.bT << " constantB=" << t.constantB);
    CHECK(mismatches(reinterpret_cast<const float*>(r.outputs[0].bytes.data()), t.N, want, tol) == 0);
  }
}

TEST_CASE("matmul with batch broadcasting matches Eigen", "[eigen][matmul]") {
  Rng rng(5);
  struct Mm { Shape a, b; bool constantB; };
  const Mm cases[] = {{{5, 3, 4}, {4, 6}, true},           {{1, 3, 4}, {2, 4, 5}, false},
                      {{2, 1, 3, 4}, {1, 3, 4, 17}, true},  {{3, 2, 17, 33}, {2, 33, 9}, false},
                      {{2, 1, 1, 2, 3}, {4, 3, 1}, false},  {{1, 257}, {3, 257, 2}, true}};
  for (const Mm& t : cases) {
    Shape batchA(t.a.begin(), t.a.end() - 2), batchB(t.b.begin(), t.b.end() - 2);
    Shape batch = broadcast(batchA, batchB);
    size_t M = t.a[t.a.size() - 2], K = t.a.back(), N = t.b.back();
    size_t batches = 1;
    for (uint32_t d : batch) batches *= d;
    std::vector<float> av = randomVector(M * K * [&] { size_t n = 1; for (uint32_t d : batchA) n *= d; return n; }(), rng);
    std::vector<float> bv = randomVector(K * N * [&] { size_t n = 1; for (uint32_t d : batchB) n *= d; return n; }(), rng);
    RunResult r = runOp("matmul", {{"a", makeTensor(DataType::Float32, t.a, av)}, {"b", makeTensor(DataType::Float32, t.b, bv), t.constantB}});
    REQUIRE(r.status.isOk());
    Shape outShape = batch;
    outShape.push_back(uint32_t(M));
    outShape.push_back(uint32_t(N));
    CHECK(r.outputs[0].desc.shape == outShape);
    const float* got = reinterpret_cast<const float*>(r.outputs[0].bytes.data());
    for (size_t i = 0; i < batches; ++i) {
      // Which matrix of a and b output batch i reads: numpy broadcasting of the batch dims.
      Eigen::Map<const MatF> A(av.data() + broadcastIndex(batch, batchA, i) * M * K, M, K);
      Eigen::Map<const MatF> B(bv.data() + broadcastIndex(batch, batchB, i) * K * N, K, N);
      MatD want = A.cast<double>() * B.cast<double>();
      MatD tol = (A.cast<double>().cwiseAbs() * B.cast<double>().cwiseAbs()).unaryExpr([K](double m) { return bound(K, m); });
      INFO("matmul " << shapeToString(t.a) << " x " << shapeToString(t.b) << " batch " << i);
      CHECK(mismatches(got + i * M * N, N, want, tol) == 0);
    }
  }
}

TEST_CASE("conv2d (layouts, groups, depthwise, strides, dilations, padding) matches Eigen over an im2col", "[eigen][conv2d]") {
  struct Conv {
    uint32_t N, C, H, W, O, KH, KW, groups;
    std::vector<double> padding, strides, dilations;
    std::string inputLayout, filterLayout;
    bool constantFilter, withBias;
  };
  const Conv cases[] = {
      {1, 3, 7, 8, 5, 3, 3, 1, {1, 1, 1, 1}, {1, 1}, {1, 1}, "nchw", "oihw", true, true},
      {2, 4, 9, 6, 6, 3, 2, 2, {0, 2, 1, 0}, {2, 1}, {1, 2}, "nhwc", "hwio", true, false},
      {1, 8, 10, 10, 8, 3, 3, 8, {1, 1, 1, 1}, {1, 1}, {1, 1}, "nhwc", "ihwo", true, true},      // depthwise
      {1, 6, 11, 9, 12, 5, 3, 6, {2, 2, 0, 1}, {2, 3}, {2, 1}, "nchw", "oihw", false, true},    // depthwise x2
      {1, 16, 5, 5, 17, 1, 1, 1, {0, 0, 0, 0}, {1, 1}, {1, 1}, "nhwc", "ohwi", true, true},     // 1x1 GEMM path
      {2, 6, 8, 7, 9, 3, 3, 3, {1, 0, 0, 1}, {1, 2}, {2, 2}, "nchw", "hwio", false, false},
      {1, 33, 6, 6, 20, 2, 2, 1, {0, 1, 0, 1}, {1, 1}, {3, 3}, "nhwc", "oihw", false, true},
  };
  Rng rng(99);
  for (const Conv& t : cases) {
    const bool nhwc = t.inputLayout == "nhwc";
    const uint32_t ICg = t.C / t.groups, OCg = t.O / t.groups;
    const size_t pt = size_t(t.padding[0]), pb = size_t(t.padding[1]), pl = size_t(t.padding[2]), pr = size_t(t.padding[3]);
    const size_t sh = size_t(t.strides[0]), sw = size_t(t.strides[1]), dh = size_t(t.dilations[0]), dw = size_t(t.dilations[1]);
    const size_t OH = (t.H + pt + pb - (t.KH - 1) * dh - 1) / sh + 1, OW = (t.W + pl + pr - (t.KW - 1) * dw - 1) / sw + 1;
    std::vector<float> x = randomVector(size_t(t.N) * t.C * t.H * t.W, rng);
    std::vector<float> w = randomVector(size_t(t.O) * ICg * t.KH * t.KW, rng), bias = randomVector(t.O, rng);
    // Element accessors in the tensors' own layouts.
    auto X = [&](size_t n, size_t c, size_t h, size_t ww) {
      return double(nhwc ? x[((n * t.H + h) * t.W + ww) * t.C + c] : x[((n * t.C + c) * t.H + h) * t.W + ww]);
    };
    Shape filterShape;
    auto Widx = [&](size_t o, size_t i, size_t kh, size_t kw) -> size_t {
      const std::string& l = t.filterLayout;
      if (l == "oihw") return ((o * ICg + i) * t.KH + kh) * t.KW + kw;
      if (l == "hwio") return ((kh * t.KW + kw) * ICg + i) * t.O + o;
      if (l == "ohwi") return ((o * t.KH + kh) * t.KW + kw) * ICg + i;
      return ((i * t.KH + kh) * t.KW + kw) * t.O + o;  // ihwo
    };
    if (t.filterLayout == "oihw") filterShape = {t.O, ICg, t.KH, t.KW};
    else if (t.filterLayout == "hwio") filterShape = {t.KH, t.KW, ICg, t.O};
    else if (t.filterLayout == "ohwi") filterShape = {t.O, t.KH, t.KW, ICg};
    else filterShape = {ICg, t.KH, t.KW, t.O};
    Shape inShape = nhwc ? Shape{t.N, t.H, t.W, t.C} : Shape{t.N, t.C, t.H, t.W};
    std::vector<OpInput> in{{"input", makeTensor(DataType::Float32, inShape, x)},
                            {"filter", makeTensor(DataType::Float32, filterShape, w), t.constantFilter}};
    if (t.withBias) in.push_back({"bias", makeTensor(DataType::Float32, {t.O}, bias), t.constantFilter});
    RunResult r = runOp("conv2d", in,
                        attrs({{"padding", t.padding}, {"strides", t.strides}, {"dilations", t.dilations}, {"groups", double(t.groups)},
                               {"inputLayout", t.inputLayout}, {"filterLayout", t.filterLayout}}));
    REQUIRE(r.status.isOk());
    const float* got = reinterpret_cast<const float*>(r.outputs[0].bytes.data());
    const size_t K = size_t(ICg) * t.KH * t.KW;
    size_t bad = 0;
    for (size_t n = 0; n < t.N; ++n)
      for (size_t g = 0; g < t.groups; ++g) {
        // im2col: one row per output pixel, one column per (input channel of the group, kh, kw); zeros in the padding.
        MatD patches = MatD::Zero(OH * OW, K), filter(K, OCg);
        for (size_t oh = 0; oh < OH; ++oh)
          for (size_t ow = 0; ow < OW; ++ow)
            for (size_t i = 0; i < ICg; ++i)
              for (size_t kh = 0; kh < t.KH; ++kh)
                for (size_t kw = 0; kw < t.KW; ++kw) {
                  const long ih = long(oh * sh + kh * dh) - long(pt), iw = long(ow * sw + kw * dw) - long(pl);
                  if (ih >= 0 && ih < long(t.H) && iw >= 0 && iw < long(t.W))
                    patches(oh * OW + ow, (i * t.KH + kh) * t.KW + kw) = X(n, g * ICg + i, size_t(ih), size_t(iw));
                }
        for (size_t o = 0; o < OCg; ++o)
          for (size_t i = 0; i < ICg; ++i)
            for (size_t kh = 0; kh < t.KH; ++kh)
              for (size_t kw = 0; kw < t.KW; ++kw) filter((i * t.KH + kh) * t.KW + kw, o) = w[Widx(g * OCg + o, i, kh, kw)];
        MatD want = patches * filter, mag = patches.cwiseAbs() * filter.cwiseAbs();
        for (size_t p = 0; p < OH * OW; ++p)
          for (size_t o = 0; o < OCg; ++o) {
            const size_t oc = g * OCg + o, oh = p / OW, ow = p % OW;
            const double b = t.withBias ? bias[oc] : 0.0;
            const double expect = want(p, o) + b, tol = bound(K, mag(p, o) + std::fabs(b));
            const double v = nhwc ? got[((n * OH + oh) * OW + ow) * t.O + oc] : got[((n * t.O + oc) * OH + oh) * OW + ow];
            if (!(std::fabs(v - expect) <= tol)) {
              if (bad == 0) UNSCOPED_INFO("first mismatch n=" << n << " oc=" << oc << " oh=" << oh << " ow=" << ow << ": " << v << " want " << expect);
              ++bad;
            }
          }
      }
    INFO("conv2d " << t.inputLayout << "/" << t.filterLayout << " C=" << t.C << " O=" << t.O << " groups=" << t.groups
                   << " k=" << t.KH << "x" << t.KW << " constantFilter=" << t.constantFilter);
    CHECK(r.outputs[0].desc.shape == (nhwc ? Shape{t.N, uint32_t(OH), uint32_t(OW), t.O} : Shape{t.N, t.O, uint32_t(OH), uint32_t(OW)}));
    CHECK(bad == 0);
  }
}

#endif  // __has_include(<Eigen/Dense>)
