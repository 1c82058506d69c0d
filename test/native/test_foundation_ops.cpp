// The foundation ops through the C++ API (validation, lowering, compiler), against naive references.
#include <algorithm>
#include <cmath>
#include <cstring>

#include "compiler/memory_plan.h"
#include "kernels/pool/pool2d.h"
#include "kernels/softmax/softmax.h"
#include "core/thread_pool.h"
#include "ops/validation.h"
#include "harness.h"

using namespace webnn;
using namespace webnn::test;

namespace {

std::vector<double> nums(std::initializer_list<double> l) { return std::vector<double>(l); }

// Index of a multi-index in a row-major shape, with broadcasting (size-1 dims read index 0).
size_t broadcastIndex(const Shape& shape, const std::vector<size_t>& idx) {
  size_t off = 0, rank = shape.size(), outRank = idx.size();
  for (size_t d = 0; d < rank; ++d) {
    size_t i = idx[outRank - rank + d];
    off = off * shape[d] + (shape[d] == 1 ? 0 : i);
  }
  return off;
}
std::vector<size_t> unravel(size_t flat, const Shape& shape) {
  std::vector<size_t> idx(shape.size());
  for (size_t d = shape.size(); d-- > 0;) {
    idx[d] = flat % shape[d];
    flat /= shape[d];
  }
  return idx;
}

// Naive NCHW/OIHW conv2d.
std::vector<float> refConv(const std::vector<float>& x, Shape xs, const std::vector<float>& w, Shape ws,
                           const std::vector<float>* bias, std::vector<size_t> pad, std::vector<size_t> stride,
                           std::vector<size_t> dil, size_t groups, Shape* outShape) {
  size_t N = xs[0], C = xs[1], H = xs[2], W = xs[3], O = ws[0], CI = ws[1], KH = ws[2], KW = ws[3];
  size_t OH = (H + pad[0] + pad[1] - ((KH - 1) * dil[0] + 1)) / stride[0] + 1;
  size_t OW = (W + pad[2] + pad[3] - ((KW - 1) * dil[1] + 1)) / stride[1] + 1;
  *outShape = {uint32_t(N), uint32_t(O), uint32_t(OH), uint32_t(OW)};
  std::vector<float> y(N * O * OH * OW);
  size_t og = O / groups;
  for (size_t n = 0; n < N; ++n)
    for (size_t o = 0; o < O; ++o)
      for (size_t oh = 0; oh < OH; ++oh)
        for (size_t ow = 0; ow < OW; ++ow) {
          double acc = bias ? (*bias)[o] : 0.0;
          size_t g = o / og;
          for (size_t ci = 0; ci < CI; ++ci)
            for (size_t kh = 0; kh < KH; ++kh)
              for (size_t kw = 0; kw < KW; ++kw) {
                long ih = long(oh * stride[0] + kh * dil[0]) - long(pad[0]);
                long iw = long(ow * stride[1] + kw * dil[1]) - long(pad[2]);
                if (ih < 0 || iw < 0 || ih >= long(H) || iw >= long(W)) continue;
                acc += double(x[((n * C + g * CI + ci) * H + ih) * W + iw]) * w[((o * CI + ci) * KH + kh) * KW + kw];
              }
          y[((n * O + o) * OH + oh) * OW + ow] = float(acc);
        }
  return y;
}

std::vector<float> permute(const std::vector<float>& v, const Shape& shape, const std::vector<size_t>& perm, Shape* out) {
  out->clear();
  for (size_t p : perm) out->push_back(shape[p]);
  std::vector<float> r(v.size());
  for (size_t i = 0; i < v.size(); ++i) {
    std::vector<size_t> idx = unravel(i, *out), src(shape.size());
    for (size_t d = 0; d < perm.size(); ++d) src[perm[d]] = idx[d];
    r[i] = v[broadcastIndex(shape, src)];
  }
  return r;
}

}  // namespace

TEST_CASE("binary ops broadcast like the spec", "[elementwise]") {
  struct Case { Shape a, b; };
  for (auto c : {Case{{2, 3, 4}, {4}}, Case{{2, 1, 4}, {3, 1}}, Case{{1}, {5}}, Case{{3, 1, 2, 1}, {1, 4, 1, 5}},
                 Case{{7}, {7}}, Case{{}, {2, 2}}}) {
    for (const char* op : {"add", "sub", "mul", "div", "max", "min", "pow"}) {
      GraphHarness h(2);
      auto av = randomFloats(count(c.a), 1, 0.5f, 2.f), bv = randomFloats(count(c.b), 2, -2.f, 2.f);
      int a = h.input("a", c.a, av), b = h.input("b", c.b, bv);
      int y = h.op(op, {{"a", a}, {"b", b}});
      Shape out;
      REQUIRE(broadcastShapes(c.a, c.b, &out));
      CHECK(h.builder.operandDesc(y)->shape == out);
      auto got = h.run({y})[0];
      std::vector<float> want(count(out));
      for (size_t i = 0; i < want.size(); ++i) {
        auto idx = unravel(i, out);
        float x = av[broadcastIndex(c.a, idx)], z = bv[broadcastIndex(c.b, idx)];
        std::string o = op;
        want[i] = o == "add" ? x + z : o == "sub" ? x - z : o == "mul" ? x * z : o == "div" ? x / z
                : o == "max" ? std::max(x, z) : o == "min" ? std::min(x, z) : std::pow(x, z);
      }
      INFO(op);
      requireClose(got, want, 1e-6f, 1e-6f);
    }
  }
}

TEST_CASE("integer division never traps", "[elementwise]") {
  GraphHarness h;
  std::vector<int32_t> av{7, -7, INT32_MIN, 5}, bv{0, 2, -1, -5};
  int a = h.constant<int32_t>({4}, av, DataType::Int32);
  int b = h.input("b", {4}, {}, DataType::Int32);
  h.inputData[0].resize(4);
  std::memcpy(h.inputData[0].data(), bv.data(), 16);
  int y = h.op("div", {{"a", a}, {"b", b}});
  auto got = h.run({y})[0];
  int32_t r[4];
  std::memcpy(r, got.data(), 16);
  CHECK(r[0] == 0);
  CHECK(r[1] == -3);
  CHECK(r[2] == INT32_MIN);
  CHECK(r[3] == -1);
}

TEST_CASE("binary op validation", "[elementwise][errors]") {
  GraphHarness h;
  int a = h.input("a", {2, 3}, {}), b = h.input("b", {4}, {});
  h.expectTypeError("add", {{"a", a}, {"b", b}});
  int i = h.input("i", {2, 3}, {}, DataType::Int32);
  h.expectTypeError("mul", {{"a", a}, {"b", i}});
}

TEST_CASE("pooling: every option against a naive reference", "[pool]") {
  struct Case { const char* op; bool nhwc; std::vector<double> window, pad, stride, dil; std::string rounding; };
  std::vector<Case> cases = {
      {"averagePool2d", false, {3, 3}, {1, 1, 1, 1}, {1, 1}, {1, 1}, "floor"},
      {"maxPool2d", true, {2, 2}, {0, 0, 0, 0}, {2, 2}, {1, 1}, "floor"},
      {"maxPool2d", false, {3, 2}, {0, 1, 2, 0}, {2, 1}, {1, 2}, "ceil"},
      {"averagePool2d", true, {2, 3}, {1, 0, 0, 1}, {2, 2}, {2, 1}, "ceil"},
      {"l2Pool2d", false, {2, 2}, {0, 0, 0, 0}, {1, 1}, {1, 1}, "floor"},
      {"averagePool2d", false, {}, {0, 0, 0, 0}, {1, 1}, {1, 1}, "floor"},  // global
  };
  for (const Case& c : cases) {
    size_t N = 2, C = 3, H = 7, W = 6;
    Shape nchw{uint32_t(N), uint32_t(C), uint32_t(H), uint32_t(W)};
    auto xv = randomFloats(count(nchw), 3);
    Shape nhwcShape;
    auto xin = c.nhwc ? permute(xv, nchw, {0, 2, 3, 1}, &nhwcShape) : xv;
    GraphHarness h(2);
    int x = h.input("x", c.nhwc ? nhwcShape : nchw, xin);
    Attributes at;
    if (!c.window.empty()) at.set("windowDimensions", c.window);
    at.set("padding", c.pad);
    at.set("strides", c.stride);
    at.set("dilations", c.dil);
    at.set("outputShapeRounding", c.rounding);
    at.set("layout", std::string(c.nhwc ? "nhwc" : "nchw"));
    int y = h.op(c.op, {{"input", x}}, at);
    Shape ys = h.builder.operandDesc(y)->shape;
    auto got = h.run({y})[0];
    size_t KH = c.window.empty() ? H : size_t(c.window[0]), KW = c.window.empty() ? W : size_t(c.window[1]);
    size_t OH = c.nhwc ? ys[1] : ys[2], OW = c.nhwc ? ys[2] : ys[3];
    auto span = [&](size_t in, size_t k, size_t pb, size_t pe, size_t s, size_t d) {
      long sp = long(in + pb + pe) - long((k - 1) * d + 1);
      return size_t(c.rounding == "ceil" ? (sp + long(s) - 1) / long(s) + 1 : sp / long(s) + 1);
    };
    REQUIRE(OH == span(H, KH, size_t(c.pad[0]), size_t(c.pad[1]), size_t(c.stride[0]), size_t(c.dil[0])));
    REQUIRE(OW == span(W, KW, size_t(c.pad[2]), size_t(c.pad[3]), size_t(c.stride[1]), size_t(c.dil[1])));
    std::vector<float> want(N * C * OH * OW);
    for (size_t n = 0; n < N; ++n)
      for (size_t ch = 0; ch < C; ++ch)
        for (size_t oh = 0; oh < OH; ++oh)
          for (size_t ow = 0; ow < OW; ++ow) {
            double acc = std::string(c.op) == "maxPool2d" ? -INFINITY : 0;
            size_t cnt = 0;
            for (size_t kh = 0; kh < KH; ++kh)
              for (size_t kw = 0; kw < KW; ++kw) {
                long ih = long(oh * size_t(c.stride[0]) + kh * size_t(c.dil[0])) - long(c.pad[0]);
                long iw = long(ow * size_t(c.stride[1]) + kw * size_t(c.dil[1])) - long(c.pad[2]);
                if (ih < 0 || iw < 0 || ih >= long(H) || iw >= long(W)) continue;
                float v = xv[((n * C + ch) * H + ih) * W + iw];
                ++cnt;
                if (std::string(c.op) == "maxPool2d") acc = std::max<double>(acc, v);
                else if (std::string(c.op) == "l2Pool2d") acc += double(v) * v;
                else acc += v;
              }
            if (std::string(c.op) == "averagePool2d") acc /= cnt;
            if (std::string(c.op) == "l2Pool2d") acc = std::sqrt(acc);
            want[((n * C + ch) * OH + oh) * OW + ow] = float(acc);
          }
    Shape outNchw{uint32_t(N), uint32_t(C), uint32_t(OH), uint32_t(OW)}, tmp;
    INFO(c.op << (c.nhwc ? " nhwc" : " nchw"));
    requireClose(got, c.nhwc ? permute(want, outNchw, {0, 2, 3, 1}, &tmp) : want);
  }
}

TEST_CASE("pool validation names the op and label", "[pool][errors]") {
  GraphHarness h;
  int x = h.input("x", {1, 2, 4, 4}, {});
  h.expectTypeError("maxPool2d", {{"input", x}}, attrs({{"windowDimensions", nums({5, 5})}}));
  h.expectTypeError("averagePool2d", {{"input", x}}, attrs({{"strides", nums({0, 1})}}));
  h.expectTypeError("averagePool2d", {{"input", x}}, attrs({{"outputSizes", nums({9, 9})}, {"windowDimensions", nums({2, 2})}}));
  int x3 = h.input("x3", {2, 4, 4}, {});
  h.expectTypeError("maxPool2d", {{"input", x3}});
}

namespace {
// Naive pool2d on NHWC data: the window's taps inside the input, in (kh, kw) order, in float
// (the kernels' order, so average and L2 match to rounding; max exactly, NaN included).
std::vector<float> refPool(PoolKind kind, const Pool2dParams& p, const std::vector<float>& in) {
  std::vector<float> out(p.batch * p.outputHeight * p.outputWidth * p.channels);
  for (size_t n = 0; n < p.batch; ++n)
    for (size_t oh = 0; oh < p.outputHeight; ++oh)
      for (size_t ow = 0; ow < p.outputWidth; ++ow)
        for (size_t c = 0; c < p.channels; ++c) {
          float acc = kind == PoolKind::Max ? -INFINITY : 0.f;
          size_t cnt = 0;
          bool nan = false;
          for (size_t kh = 0; kh < p.windowHeight; ++kh)
            for (size_t kw = 0; kw < p.windowWidth; ++kw) {
              long ih = long(oh * p.strideHeight + kh * p.dilationHeight) - long(p.padTop);
              long iw = long(ow * p.strideWidth + kw * p.dilationWidth) - long(p.padLeft);
              if (ih < 0 || iw < 0 || ih >= long(p.inputHeight) || iw >= long(p.inputWidth)) continue;
              float v = in[((n * p.inputHeight + size_t(ih)) * p.inputWidth + size_t(iw)) * p.channels + c];
              ++cnt;
              nan = nan || std::isnan(v);
              if (kind == PoolKind::Max) acc = std::max(acc, v);
              else acc += kind == PoolKind::L2 ? v * v : v;
            }
          float r = kind == PoolKind::Average ? (cnt ? acc / float(cnt) : 0.f) : kind == PoolKind::L2 ? std::sqrt(acc) : acc;
          if (kind == PoolKind::Max && cnt == 0) r = 0.f;
          if (nan) r = NAN;
          out[((n * p.outputHeight + oh) * p.outputWidth + ow) * p.channels + c] = r;
        }
  return out;
}
}  // namespace

// The kernel's SIMD128 path takes channels in blocks of 16, then 4, then one at a time (windows of
// more than 16 valid taps: chunks of 1024 channels): channel counts around those, windows reaching
// far into the padding (some entirely), dilation, NaN.
TEST_CASE("pool2dF32 kernel: channel blocks, padding-heavy windows, NaN, thread counts", "[pool2d]") {
  struct Case {
    size_t n, h, w, c, kh, kw, sh, sw, dh, dw, pt, pl, oh, ow;
  };
  const std::vector<Case> cases{
      {1, 8, 8, 1, 3, 3, 1, 1, 1, 1, 1, 1, 8, 8},      {2, 7, 9, 3, 3, 3, 2, 2, 1, 1, 1, 1, 4, 5},
      {1, 6, 6, 4, 2, 2, 2, 2, 1, 1, 0, 0, 3, 3},      {1, 5, 5, 5, 5, 5, 1, 1, 1, 1, 4, 4, 9, 9},
      {1, 3, 3, 16, 2, 2, 1, 1, 1, 1, 4, 4, 10, 10},   {2, 9, 7, 17, 3, 2, 2, 1, 2, 2, 2, 1, 6, 8},
      {1, 7, 7, 35, 7, 7, 1, 1, 1, 1, 0, 0, 1, 1},     {1, 12, 12, 64, 3, 3, 2, 2, 1, 1, 1, 1, 6, 6},
      {3, 10, 11, 21, 4, 3, 3, 2, 1, 3, 3, 0, 5, 6},   {1, 6, 6, 1030, 5, 5, 1, 1, 1, 1, 2, 2, 6, 6},
  };
  uint32_t seed = 40;
  for (const Case& c : cases)
    for (PoolKind kind : {PoolKind::Max, PoolKind::Average, PoolKind::L2})
      for (bool withNan : {false, true})
        for (size_t threads : {1, 2, 3}) {
          Pool2dParams p;
          p.batch = c.n, p.channels = c.c, p.inputHeight = c.h, p.inputWidth = c.w;
          p.windowHeight = c.kh, p.windowWidth = c.kw, p.strideHeight = c.sh, p.strideWidth = c.sw;
          p.dilationHeight = c.dh, p.dilationWidth = c.dw, p.padTop = c.pt, p.padLeft = c.pl;
          p.outputHeight = c.oh, p.outputWidth = c.ow;
          std::vector<float> in = randomFloats(c.n * c.h * c.w * c.c, seed++, -2.f, 2.f);
          if (withNan)
            for (size_t i = 0; i < in.size(); i += 37) in[i] = NAN;
          for (size_t i = 5; i < in.size(); i += 53) in[i] = (i % 2) ? -0.f : 0.f;
          std::vector<float> want = refPool(kind, p, in), got(want.size(), 123.f);
          ThreadPool pool(threads);
          pool2dF32(&pool, kind, p, in.data(), got.data());
          for (size_t i = 0; i < want.size(); ++i) {
            INFO("case c=" << c.c << " kind=" << int(kind) << " threads=" << threads << " i=" << i);
            if (std::isnan(want[i])) REQUIRE(std::isnan(got[i]));
            else if (kind == PoolKind::Max) REQUIRE(got[i] == want[i]);
            else REQUIRE(std::fabs(got[i] - want[i]) <= 1e-6f + 1e-6f * std::fabs(want[i]));
          }
        }
}

// The SIMD128 path for inner > 1 works on column blocks of up to 256 (narrower when a few slices are
// shared by threads) with the exp approximation; checked against double precision.
TEST_CASE("softmaxF32 kernel: inner > 1 column blocks, -inf and NaN columns, thread counts", "[softmax]") {
  struct Case {
    size_t outer, axis, inner;
  };
  const std::vector<Case> cases{{1, 5, 3}, {2, 7, 4}, {3, 4, 17}, {1, 33, 64}, {2, 3, 300}, {1, 9, 1031}, {5, 1, 6}, {4, 50, 1}};
  uint32_t seed = 90;
  for (const Case& c : cases)
    for (size_t threads : {1, 2, 3}) {
      std::vector<float> in = randomFloats(c.outer * c.axis * c.inner, seed++, -20.f, 20.f);
      if (c.inner > 2) {
        for (size_t a = 0; a < c.axis; ++a) in[a * c.inner + 1] = -INFINITY;  // column 1 of slice 0: all -inf
        in[(c.axis - 1) * c.inner + 2] = NAN;                               // column 2 of slice 0: a NaN
        in[c.inner] = 1e30f;                                                // large: max subtraction
      }
      std::vector<float> got(in.size());
      ThreadPool pool(threads);
      softmaxF32(&pool, in.data(), got.data(), c.outer, c.axis, c.inner);
      for (size_t o = 0; o < c.outer; ++o)
        for (size_t j = 0; j < c.inner; ++j) {
          const float* x = in.data() + o * c.axis * c.inner + j;
          double m = -INFINITY, sum = 0;
          bool nan = false;
          for (size_t a = 0; a < c.axis; ++a) m = std::max(m, double(x[a * c.inner])), nan = nan || std::isnan(x[a * c.inner]);
          for (size_t a = 0; a < c.axis; ++a) sum += std::exp(double(x[a * c.inner]) - m);
          for (size_t a = 0; a < c.axis; ++a) {
            size_t i = (o * c.axis + a) * c.inner + j;
            INFO("outer=" << c.outer << " axis=" << c.axis << " inner=" << c.inner << " threads=" << threads << " o=" << o
                          << " a=" << a << " j=" << j);
            if (nan || std::isinf(m)) {
              REQUIRE(std::isnan(got[i]));  // NaN in the column, or every value -inf (0 / 0)
            } else {
              double want = std::exp(double(in[i]) - m) / sum;
              REQUIRE(std::fabs(got[i] - want) <= 1e-6 + 1e-5 * want);
            }
          }
        }
    }
}

TEST_CASE("softmax along each axis", "[softmax]") {
  Shape s{2, 3, 4};
  auto xv = randomFloats(24, 5, -3, 3);
  for (int axis = 0; axis < 3; ++axis) {
    GraphHarness h;
    int x = h.input("x", s, xv);
    int y = h.op("softmax", {{"input", x}}, attrs({{"axis", double(axis)}}));
    auto got = h.run({y})[0];
    std::vector<float> want(24);
    for (size_t i = 0; i < 24; ++i) {
      auto idx = unravel(i, s);
      double sum = 0;
      for (size_t k = 0; k < s[axis]; ++k) {
        auto j = idx;
        j[axis] = k;
        sum += std::exp(double(xv[broadcastIndex(s, j)]));
      }
      want[i] = float(std::exp(double(xv[i])) / sum);
    }
    requireClose(got, want, 1e-6f, 1e-5f);
  }
  GraphHarness h;
  int x = h.input("x", s, xv);
  h.expectTypeError("softmax", {{"input", x}}, attrs({{"axis", 3.0}}));
}

TEST_CASE("transpose, reshape and concat move data like the spec", "[layout]") {
  Shape s{2, 3, 4};
  auto xv = randomFloats(24, 7);
  {
    GraphHarness h;
    int x = h.input("x", s, xv);
    int t1 = h.op("transpose", {{"input", x}}, attrs({{"permutation", nums({1, 2, 0})}}));
    int t2 = h.op("transpose", {{"input", x}});  // default: reversed dims
    int r = h.op("reshape", {{"input", x}}, attrs({{"newShape", nums({4, 6})}}));
    auto got = h.run({t1, t2, r});
    Shape o;
    requireClose(got[0], permute(xv, s, {1, 2, 0}, &o));
    requireClose(got[1], permute(xv, s, {2, 1, 0}, &o));
    requireClose(got[2], xv);
  }
  for (int axis = 0; axis < 3; ++axis) {
    GraphHarness h;
    Shape s2 = s;
    s2[axis] = 5;
    auto yv = randomFloats(count(s2), 8);
    int x = h.input("x", s, xv), y = h.input("y", s2, yv);
    int c = h.op("concat", {{"inputs", x}, {"inputs", y}, {"inputs", x}}, attrs({{"axis", double(axis)}}));
    Shape cs = *&h.builder.operandDesc(c)->shape;
    CHECK(cs[axis] == s[axis] * 2 + 5);
    auto got = h.run({c})[0];
    std::vector<float> want(count(cs));
    for (size_t i = 0; i < want.size(); ++i) {
      auto idx = unravel(i, cs);
      size_t k = idx[axis];
      if (k < s[axis]) want[i] = xv[broadcastIndex(s, idx)];
      else if (k < s[axis] + 5) { idx[axis] = k - s[axis]; want[i] = yv[broadcastIndex(s2, idx)]; }
      else { idx[axis] = k - s[axis] - 5; want[i] = xv[broadcastIndex(s, idx)]; }
    }
    requireClose(got, want);
  }
  GraphHarness h;
  int x = h.input("x", s, xv);
  h.expectTypeError("reshape", {{"input", x}}, attrs({{"newShape", nums({5, 5})}}));
  h.expectTypeError("transpose", {{"input", x}}, attrs({{"permutation", nums({0, 0, 1})}}));
  int y = h.input("y", {2, 3, 5}, {});
  h.expectTypeError("concat", {{"inputs", x}, {"inputs", y}}, attrs({{"axis", 0.0}}));
}

TEST_CASE("conv2d: every layout, groups, strides, dilations, padding and bias", "[conv2d]") {
  struct Case { Shape x; Shape w; size_t groups; std::vector<size_t> pad, stride, dil; bool bias; };
  std::vector<Case> cases = {
      {{1, 3, 7, 7}, {4, 3, 3, 3}, 1, {1, 1, 1, 1}, {1, 1}, {1, 1}, true},
      {{2, 4, 9, 8}, {6, 2, 3, 2}, 2, {0, 2, 1, 0}, {2, 1}, {1, 2}, false},
      {{1, 5, 6, 6}, {5, 1, 3, 3}, 5, {1, 1, 1, 1}, {1, 1}, {1, 1}, true},   // depthwise
      {{1, 3, 6, 6}, {6, 1, 3, 3}, 3, {1, 1, 1, 1}, {2, 2}, {1, 1}, true},   // depthwise, multiplier 2
      {{1, 8, 5, 5}, {3, 8, 1, 1}, 1, {0, 0, 0, 0}, {1, 1}, {1, 1}, true},   // 1x1
  };
  for (const Case& c : cases) {
    auto xv = randomFloats(count(c.x), 11), wv = randomFloats(count(c.w), 12), bv = randomFloats(c.w[0], 13);
    Shape ys;
    auto want = refConv(xv, c.x, wv, c.w, c.bias ? &bv : nullptr, c.pad, c.stride, c.dil, c.groups, &ys);
    struct Layout { const char* name; std::vector<size_t> perm; };  // OIHW → layout
    for (Layout fl : {Layout{"oihw", {0, 1, 2, 3}}, Layout{"hwio", {2, 3, 1, 0}}, Layout{"ohwi", {0, 2, 3, 1}},
                      Layout{"ihwo", {1, 2, 3, 0}}}) {
      for (bool nhwc : {false, true}) {
        GraphHarness h(2);
        Shape xs, ws;
        auto xin = nhwc ? permute(xv, c.x, {0, 2, 3, 1}, &xs) : xv;
        if (!nhwc) xs = c.x;
        auto win = permute(wv, c.w, fl.perm, &ws);
        int x = h.input("x", xs, xin);
        int w = h.constant(ws, win);
        std::vector<std::pair<std::string, int>> ins{{"input", x}, {"filter", w}};
        if (c.bias) ins.push_back({"bias", h.constant({uint32_t(c.w[0])}, bv)});
        Attributes at;
        at.set("padding", std::vector<double>(c.pad.begin(), c.pad.end()));
        at.set("strides", std::vector<double>(c.stride.begin(), c.stride.end()));
        at.set("dilations", std::vector<double>(c.dil.begin(), c.dil.end()));
        at.set("groups", double(c.groups));
        at.set("inputLayout", std::string(nhwc ? "nhwc" : "nchw"));
        at.set("filterLayout", std::string(fl.name));
        int y = h.op("conv2d", ins, at);
        auto got = h.run({y})[0];
        Shape tmp;
        INFO(fl.name << (nhwc ? " nhwc" : " nchw") << " groups " << c.groups);
        requireClose(got, nhwc ? permute(want, ys, {0, 2, 3, 1}, &tmp) : want, 1e-4f, 1e-4f);
      }
    }
  }
}

TEST_CASE("conv2d validation", "[conv2d][errors]") {
  GraphHarness h;
  int x = h.input("x", {1, 4, 5, 5}, {});
  int w = h.constant({2, 3, 3, 3}, std::vector<float>(54));
  h.expectTypeError("conv2d", {{"input", x}, {"filter", w}});  // 4 input channels vs 3
  int w2 = h.constant({2, 4, 7, 7}, std::vector<float>(392));
  h.expectTypeError("conv2d", {{"input", x}, {"filter", w2}});  // filter larger than the input
  int w3 = h.constant({2, 4, 3, 3}, std::vector<float>(72));
  int b = h.constant({3}, std::vector<float>(3));
  h.expectTypeError("conv2d", {{"input", x}, {"filter", w3}, {"bias", b}});
  h.expectTypeError("conv2d", {{"input", x}, {"filter", w3}}, attrs({{"filterLayout", std::string("xyzw")}}));
  h.expectTypeError("conv2d", {{"input", x}, {"filter", w3}}, attrs({{"groups", 3.0}}));
}

TEST_CASE("conv2d + add + relu fuse into one step with the same result", "[conv2d][fusion]") {
  auto xv = randomFloats(1 * 6 * 6 * 3, 21), wv = randomFloats(4 * 3 * 3 * 3, 22), bv = randomFloats(4, 23);
  std::vector<float> results[2];
  for (int variant = 0; variant < 2; ++variant) {
    GraphHarness h;
    int x = h.input("x", {1, 6, 6, 3}, xv);
    int w = h.constant({4, 3, 3, 3}, wv);
    int conv = h.op("conv2d", {{"input", x}, {"filter", w}},
                    attrs({{"inputLayout", std::string("nhwc")}, {"filterLayout", std::string("ohwi")}, {"padding", nums({1, 1, 1, 1})}}));
    int b = h.constant({4}, bv);
    int add = h.op("add", {{"a", conv}, {"b", b}});
    int relu = h.op("relu", {{"input", add}});
    std::string plan;
    // variant 1 also outputs the add, which must then stay observable (no fusion past it).
    auto got = variant == 0 ? h.run({relu}, &plan) : h.run({relu, add}, &plan);
    results[variant] = got[0];
    if (variant == 0) {
      CHECK(plan.find("conv2d+add+relu") != std::string::npos);
      CHECK(plan.find("steps: 1") != std::string::npos);
    } else {
      CHECK(plan.find("conv2d+add+relu") == std::string::npos);
    }
  }
  requireClose(results[0], results[1]);
  for (float v : results[0]) CHECK(v >= 0.f);
}

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

TEST_CASE("the memory plan reuses space only between disjoint lifetimes", "[compiler]") {
  std::vector<BufferLifetime> bufs = {{100, 0, 1}, {200, 1, 2}, {50, 2, 3}, {300, 3, 4}, {64, 0, 4}};
  size_t arena = 0;
  auto off = placeBuffers(bufs, &arena);
  for (size_t i = 0; i < bufs.size(); ++i) {
    CHECK(off[i] % 64 == 0);
    CHECK(off[i] + bufs[i].bytes <= arena);
    for (size_t j = i + 1; j < bufs.size(); ++j) {
      bool liveTogether = bufs[i].firstStep <= bufs[j].lastStep && bufs[j].firstStep <= bufs[i].lastStep;
      bool overlap = off[i] < off[j] + bufs[j].bytes && off[j] < off[i] + bufs[i].bytes;
      CHECK(!(liveTogether && overlap));
    }
  }
  CHECK(arena < 100 + 200 + 50 + 300 + 64 + 5 * 64);  // some reuse happened
}

TEST_CASE("build rejects bad outputs and a spent builder", "[api][errors]") {
  GraphHarness h;
  int x = h.input("x", {2}, {1, 2});
  CHECK(h.builder.build({{"y", x}}) == nullptr);  // an input as output
  CHECK(h.builder.error().kind() == ErrorKind::TypeError);
  int y = h.op("relu", {{"input", x}});
  CHECK(h.builder.build({{"y", y}, {"y", y}}) == nullptr);  // duplicate name
  CHECK(h.builder.build({{"y", y}, {"z", y}}) != nullptr);  // one operand, two names: fine
  CHECK(h.builder.addOperation("relu", {{"input", x}}, {}, "").empty());
  CHECK(h.builder.error().kind() == ErrorKind::InvalidStateError);
  CHECK(h.builder.input("q", {DataType::Float32, {0}}) == -1);
}
