// matmul and gemm through the C++ API: batch broadcasting and every gemm option against a naive
// reference; where Eigen's headers are found, against Eigen (double precision, with a rounding-error
// bound per element), including M = 1..4 (the small-M kernels the plan names); and the batched kernel
// a matmul of two computed operands runs.
#include <catch2/catch.hpp>

#include <cmath>
#include <string>
#include <vector>

#include "core/thread_pool.h"
#include "harness.h"
#include "kernels/gemm/gemm.h"
#include "nd_reference.h"
#if __has_include(<Eigen/Dense>)
#include "eigen_oracle.h"
#endif

using namespace webnn;
using namespace webnn::test;

TEST_CASE("matmul broadcasts batches; gemm honours every option", "[gemm]") {
  auto naive = [](const float* a, const float* b, float* c, size_t M, size_t K, size_t N) {
    for (size_t i = 0; i < M; ++i)
      for (size_t j = 0; j < N; ++j) {
        double s = 0;
        for (size_t k = 0; k < K; ++k) s += double(a[i * K + k]) * b[k * N + j];
        c[i * N + j] = float(s);
      }
  };
  for (bool constB : {false, true}) {
    GraphHarness h(2);
    Shape as{2, 1, 3, 4}, bs{3, 4, 5};
    auto av = randomFloats(count(as), 31), bv = randomFloats(count(bs), 32);
    int a = h.input("a", as, av);
    int b = constB ? h.constant(bs, bv) : h.input("b", bs, bv);
    int y = h.op("matmul", {{"a", a}, {"b", b}});
    CHECK(h.builder.operandDesc(y)->shape == Shape{2, 3, 3, 5});
    auto got = h.run({y})[0];
    std::vector<float> want(2 * 3 * 3 * 5);
    for (size_t i = 0; i < 2; ++i)
      for (size_t j = 0; j < 3; ++j) naive(&av[i * 12], &bv[j * 20], &want[(i * 3 + j) * 15], 3, 4, 5);
    requireClose(got, want, 1e-5f, 1e-5f);
  }
  for (bool aT : {false, true})
    for (bool bT : {false, true})
      for (int cKind = 0; cKind < 4; ++cKind)
        for (bool constB : {false, true}) {
          size_t M = 5, K = 7, N = 6;
          auto av = randomFloats(M * K, 41), bv = randomFloats(K * N, 42), cv = randomFloats(M * N, 43);
          Shape cs = cKind == 1 ? Shape{uint32_t(N)} : cKind == 2 ? Shape{uint32_t(M), uint32_t(N)} : Shape{1};
          GraphHarness h;
          Shape tmp;
          int a = h.input("a", aT ? Shape{uint32_t(K), uint32_t(M)} : Shape{uint32_t(M), uint32_t(K)},
                          aT ? permute(av, {uint32_t(M), uint32_t(K)}, {1, 0}, &tmp) : av);
          auto bin = bT ? permute(bv, {uint32_t(K), uint32_t(N)}, {1, 0}, &tmp) : bv;
          Shape bs = bT ? Shape{uint32_t(N), uint32_t(K)} : Shape{uint32_t(K), uint32_t(N)};
          int b = constB ? h.constant(bs, bin) : h.input("b", bs, bin);
          std::vector<std::pair<std::string, int>> ins{{"a", a}, {"b", b}};
          std::vector<float> cdata(cv.begin(), cv.begin() + count(cs));
          if (cKind) ins.push_back({"c", h.constant(cs, cdata)});
          int y = h.op("gemm", ins, attrs({{"aTranspose", aT}, {"bTranspose", bT}, {"alpha", 0.5}, {"beta", 2.0}}));
          auto got = h.run({y})[0];
          std::vector<float> want(M * N);
          naive(av.data(), bv.data(), want.data(), M, K, N);
          for (size_t i = 0; i < M * N; ++i) {
            float c = cKind == 0 ? 0.f : cKind == 1 ? cdata[i % N] : cKind == 2 ? cdata[i] : cdata[0];
            want[i] = 0.5f * want[i] + 2.f * c;
          }
          INFO("aT " << aT << " bT " << bT << " c " << cKind << " constB " << constB);
          requireClose(got, want, 1e-5f, 1e-5f);
        }
  GraphHarness h;
  int a = h.input("a", {3, 4}, {}), b = h.input("b", {5, 6}, {});
  h.expectTypeError("gemm", {{"a", a}, {"b", b}});
  h.expectTypeError("matmul", {{"a", a}, {"b", b}});
  int v = h.input("v", {4}, {});
  h.expectTypeError("matmul", {{"a", a}, {"b", v}});
}

TEST_CASE("matmul of two computed operands names the batched kernel in the plan", "[gemm][smallm]") {
  Rng rng(77);
  // [12, 1, 64] x [12, 64, 129]: a decoder step's attention scores.
  for (size_t threads : {1, 2}) {
    RunResult mm = runGraph({{"a", makeTensor(DataType::Float32, {12, 1, 64}, randomVector(12 * 64, rng))},
                             {"b", makeTensor(DataType::Float32, {12, 64, 129}, randomVector(12 * 64 * 129, rng))}},
                            [](GraphBuilder& b, const std::vector<int>& ids) {
                              return b.addOperation("matmul", {{"a", ids[0]}, {"b", ids[1]}}, {}, "");
                            },
                            threads);
    REQUIRE(mm.status.isOk());
    INFO(mm.plan);
    CHECK(mm.plan.find(threads == 1 || !threadsAvailable() ? "matmul (1x16 gemv, B in place)" : "matmul (1x16 gemv, B in place, batches across threads)") !=
          std::string::npos);
  }
}

#if __has_include(<Eigen/Dense>)
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

TEST_CASE("matmul and gemm ops with M = 1..4 run the small-M kernels and match Eigen", "[eigen][gemm][smallm]") {
  Rng rng(1604);
  const size_t N = 77, K = 301;
  for (size_t threads : {1, 2, 3})
    for (size_t M = 1; M <= 5; ++M) {
      MatF A = randomMatrix(M, K, rng), B = randomMatrix(K, N, rng), bias = randomMatrix(1, N, rng);
      auto tensor = [](const MatF& m) {
        return makeTensor(DataType::Float32, {uint32_t(m.rows()), uint32_t(m.cols())},
                          std::vector<float>(m.data(), m.data() + m.size()));
      };
      // gemm(a, b, {c: bias}) then relu: the compiler folds the relu into the kernel's clamp.
      RunResult r = runGraph(
          {{"a", tensor(A)}, {"b", tensor(B), true}, {"c", makeTensor(DataType::Float32, {uint32_t(N)},
                                                                       std::vector<float>(bias.data(), bias.data() + N)), true}},
          [](GraphBuilder& b, const std::vector<int>& ids) {
            std::vector<int> g = b.addOperation("gemm", {{"a", ids[0]}, {"b", ids[1]}, {"c", ids[2]}}, {}, "");
            if (g.empty()) return g;
            return b.addOperation("relu", {{"input", g[0]}}, {}, "");
          },
          threads);
      REQUIRE(r.status.isOk());
      const char* kernel = M == 1 ? "(1x16 gemv)" : M <= 4 ? "(4x16 small-M)" : "(2x16)";
      INFO("threads=" << threads << " M=" << M << "\n" << r.plan);
      CHECK(r.plan.find(std::string("gemm+relu ") + kernel) != std::string::npos);
      MatD want = A.cast<double>() * B.cast<double>(), mag = A.cast<double>().cwiseAbs() * B.cast<double>().cwiseAbs();
      want.rowwise() += bias.cast<double>().row(0);
      mag.rowwise() += bias.cast<double>().cwiseAbs().row(0);
      std::vector<float> got(M * N);
      std::memcpy(got.data(), r.outputs[0].bytes.data(), got.size() * sizeof(float));
      CHECK(mismatches(got, N, want, mag, K, relu(), 0.f) == 0);

      // matmul with a batch folded into M: [2, 1, K] x [K, N] is 2 rows -> 4x16.
      if (M == 1) {
        RunResult mm = runOp("matmul", {{"a", makeTensor(DataType::Float32, {2, 1, uint32_t(K)}, randomVector(2 * K, rng))},
                                        {"b", tensor(B), true}});
        REQUIRE(mm.status.isOk());
        CHECK(mm.plan.find("matmul (4x16 small-M)") != std::string::npos);
      }
    }
}

#endif  // __has_include(<Eigen/Dense>)
