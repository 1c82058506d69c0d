// Weights held once (compiler/constant_lifetime.h): after build a constant consumed packed is freed,
// one also read as is (by a step or a fused element-wise chain) is kept and still right, and
// float16 weights are widened only to be packed.
#include "harness.h"

#include "kernels/elementwise/float16.h"

namespace webnn::test {
namespace {

// y[M,N] = x[M,K] w[K,N] (naive).
std::vector<float> matmulRef(const std::vector<float>& x, const std::vector<float>& w, size_t M, size_t K, size_t N) {
  std::vector<float> y(M * N, 0.f);
  for (size_t i = 0; i < M; ++i)
    for (size_t k = 0; k < K; ++k)
      for (size_t j = 0; j < N; ++j) y[i * N + j] += x[i * K + k] * w[k * N + j];
  return y;
}

// An input x and a constant w, both [n, n] with random values.
struct SquareOperands {
  std::vector<float> xd, wd;
  int x, w;
};
SquareOperands squareOperands(GraphHarness& h, size_t n, uint32_t seed) {
  SquareOperands o{randomFloats(n * n, seed), randomFloats(n * n, seed + 1), -1, -1};
  o.x = h.input("x", {uint32_t(n), uint32_t(n)}, o.xd);
  o.w = h.constant({uint32_t(n), uint32_t(n)}, o.wd);
  return o;
}

std::unique_ptr<CompiledGraph> buildOne(GraphHarness& h, int output) {
  auto graph = h.builder.build({{"y", output}});
  INFO(h.builder.errorMessage());
  REQUIRE(graph);
  return graph;
}

}  // namespace

TEST_CASE("weights once: packed constants are freed at build, the graph holds the packed panels only") {
  size_t before = AlignedBuffer::bytesHeld();
  GraphHarness h;
  const size_t K = 256, N = 256, layers = 4;
  int v = h.input("x", {1, uint32_t(K)}, randomFloats(K, 1));
  for (size_t i = 0; i < layers; ++i)
    v = h.op("relu", {{"input", h.op("matmul", {{"a", v}, {"b", h.constant({uint32_t(K), uint32_t(N)}, randomFloats(K * N, 2 + i))}})}});
  size_t weightBytes = layers * K * N * sizeof(float);
  CHECK(AlignedBuffer::bytesHeld() - before >= weightBytes);
  auto graph = buildOne(h, v);
  size_t held = AlignedBuffer::bytesHeld() - before;
  // The packed panels (K x N: no padding for N a multiple of 16) and the arena: no source constant.
  CHECK(held <= weightBytes + AlignedBuffer::roundedSize(graph->arenaBytes()) + 4096);
  CHECK(graph->memory().weightBytes >= weightBytes);
  CHECK(graph->memory().weightBytes <= weightBytes + 4096);
  CHECK(graph->planReport().find("memory: weights 1.0 MB held") != std::string::npos);
  graph.reset();
  CHECK(AlignedBuffer::bytesHeld() == before);
}

TEST_CASE("weights once: a constant read packed by matmul and as is by add is kept and right") {
  GraphHarness h;
  const size_t n = 8;
  auto [xd, wd, x, w] = squareOperands(h, n, 3);
  int y = h.op("add", {{"a", h.op("matmul", {{"a", x}, {"b", w}})}, {"b", w}});
  auto got = h.run({y})[0];
  auto want = matmulRef(xd, wd, n, n, n);
  for (size_t i = 0; i < want.size(); ++i) want[i] += wd[i];
  requireClose(got, want, 1e-5f, 1e-5f);
}

TEST_CASE("weights once: a constant packed by matmul and read by a later element-wise chain link is kept") {
  // add(t, x) heads a chain and mul(., w) is fused into it: w's only as-is reader is a node the
  // chain removed, lowered after matmul packed w. (Pass residual-add would fold add(t, x) into the
  // matmul instead, leaving no chain: it is off here, and its own case follows.)
  for (bool residualPass : {false, true}) {
  GraphHarness h;
  CompileOptions options;
  if (!residualPass) options.disabledPasses = {"residual-add"};
  REQUIRE(h.context.setCompileOptions(options));
  const size_t n = 8;
  auto [xd, wd, x, w] = squareOperands(h, n, 5);
  int t = h.op("matmul", {{"a", x}, {"b", w}});
  int y = h.op("mul", {{"a", h.op("add", {{"a", t}, {"b", x}})}, {"b", w}});
  std::string plan;
  auto got = h.run({y}, &plan)[0];
  INFO(plan);
  CHECK((plan.find(residualPass ? "residual-add: matmul#" : "elementwise-chains") != std::string::npos));
  auto want = matmulRef(xd, wd, n, n, n);
  for (size_t i = 0; i < want.size(); ++i) want[i] = (want[i] + xd[i]) * wd[i];
  requireClose(got, want, 1e-5f, 1e-5f);
  }
}

TEST_CASE("weights once: float16 weights are widened only to be packed, and neither copy is kept") {
  size_t before = AlignedBuffer::bytesHeld();
  GraphHarness h;
  const size_t K = 128, N = 128;
  auto wf = randomFloats(K * N, 7), xf = randomFloats(K, 8);
  std::vector<uint16_t> wh(K * N), xh(K);
  convertF32ToF16(wf.data(), wh.data(), wh.size());
  convertF16ToF32(wh.data(), wf.data(), wf.size());
  convertF32ToF16(xf.data(), xh.data(), xh.size());
  convertF16ToF32(xh.data(), xf.data(), xf.size());
  int x = h.builder.input("x", {DataType::Float16, {1, uint32_t(K)}});
  int w = h.constant<uint16_t>({uint32_t(K), uint32_t(N)}, wh, DataType::Float16);
  int y = h.op("matmul", {{"a", x}, {"b", w}});
  auto graph = buildOne(h, y);
  size_t held = AlignedBuffer::bytesHeld() - before;
  size_t packed = K * N * sizeof(float);
  // The packed float32 panels, the arena and the float16 output's cast buffers: no float16
  // source (K*N*2 bytes) and no float32 widening (K*N*4) beside them.
  CHECK(held < packed + AlignedBuffer::roundedSize(graph->arenaBytes()) + K * N * 2);
  std::vector<uint16_t> out(N);
  void* in[] = {xh.data()};
  void* outs[] = {out.data()};
  graph->dispatch(in, outs);
  auto want = matmulRef(xf, wf, 1, K, N);
  for (size_t j = 0; j < N; ++j) {
    float got;
    convertF16ToF32(&out[j], &got, 1);
    INFO("column " << j);
    CHECK(std::fabs(got - want[j]) <= 2e-3f + 2e-3f * std::fabs(want[j]));
  }
}

TEST_CASE("weights once: gemm alpha scales the packed panels (bTranspose, constant c)") {
  GraphHarness h;
  const size_t M = 3, K = 20, N = 17;
  auto ad = randomFloats(M * K, 9), bd = randomFloats(N * K, 10), cd = randomFloats(N, 11);
  int a = h.input("a", {uint32_t(M), uint32_t(K)}, ad);
  Attributes attrs;
  attrs.set("alpha", 0.75);
  attrs.set("bTranspose", true);
  int y = h.op("gemm", {{"a", a}, {"b", h.constant({uint32_t(N), uint32_t(K)}, bd)}, {"c", h.constant({uint32_t(N)}, cd)}}, attrs);
  auto got = h.run({y})[0];
  std::vector<float> want(M * N);
  for (size_t i = 0; i < M; ++i)
    for (size_t j = 0; j < N; ++j) {
      float s = 0.f;
      for (size_t k = 0; k < K; ++k) s += ad[i * K + k] * bd[j * K + k];
      want[i * N + j] = 0.75f * s + cd[j];
    }
  requireClose(got, want, 1e-5f, 1e-5f);
}

}  // namespace webnn::test
