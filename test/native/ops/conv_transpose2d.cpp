// convTranspose2d through the GraphBuilder against a direct scatter reference (NCHW, IOHW), for every
// input/filter layout, strides, dilations, padding, groups, outputPadding/outputSizes, bias, and a fused relu.
#include <cmath>

#include "harness.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

namespace {

struct CT {
  size_t N, C, H, W, Og, KH, KW, sh, sw, dh, dw, pt, pb, pl, pr, groups, oph, opw;
};

void runCase(const CT& t, const std::string& inputLayout, const std::string& filterLayout, bool constFilter, bool withBias,
             bool useOutputSizes, bool relu) {
  size_t O = t.Og * t.groups, Ig = t.C / t.groups;
  size_t OH = (t.H - 1) * t.sh + (t.KH - 1) * t.dh + 1 - t.pt - t.pb + t.oph;
  size_t OW = (t.W - 1) * t.sw + (t.KW - 1) * t.dw + 1 - t.pl - t.pr + t.opw;
  Shape xs{uint32_t(t.N), uint32_t(t.C), uint32_t(t.H), uint32_t(t.W)};
  Shape fs{uint32_t(t.C), uint32_t(t.Og), uint32_t(t.KH), uint32_t(t.KW)};  // iohw
  auto x = randomFloats(count(xs), 31), f = randomFloats(count(fs), 32), b = randomFloats(O, 33);
  std::vector<double> ref(t.N * O * OH * OW, 0.0);
  for (size_t n = 0; n < t.N; ++n)
    for (size_t ic = 0; ic < t.C; ++ic) {
      size_t gr = ic / Ig;
      for (size_t ih = 0; ih < t.H; ++ih)
        for (size_t iw = 0; iw < t.W; ++iw)
          for (size_t o = 0; o < t.Og; ++o)
            for (size_t kh = 0; kh < t.KH; ++kh)
              for (size_t kw = 0; kw < t.KW; ++kw) {
                long oh = long(ih * t.sh + kh * t.dh) - long(t.pt), ow = long(iw * t.sw + kw * t.dw) - long(t.pl);
                if (oh < 0 || ow < 0 || oh >= long(OH) || ow >= long(OW)) continue;
                size_t oc = gr * t.Og + o;
                ref[((n * O + oc) * OH + oh) * OW + ow] +=
                    double(x[((n * t.C + ic) * t.H + ih) * t.W + iw]) * f[((ic * t.Og + o) * t.KH + kh) * t.KW + kw];
              }
    }
  std::vector<float> want(ref.size());
  for (size_t i = 0; i < ref.size(); ++i) {
    double v = ref[i] + (withBias ? b[(i / (OH * OW)) % O] : 0.0);
    want[i] = float(relu ? std::max(v, 0.0) : v);
  }
  Shape xsl = xs, fsl = fs, ws{uint32_t(t.N), uint32_t(O), uint32_t(OH), uint32_t(OW)};
  std::vector<float> xl = x, fl = f;
  if (inputLayout == "nhwc") {
    xl = permute(x, xs, {0, 2, 3, 1}, &xsl);
    Shape nhwc;
    want = permute(want, ws, {0, 2, 3, 1}, &nhwc);
    ws = nhwc;
  }
  if (filterLayout == "hwoi") fl = permute(f, fs, {2, 3, 1, 0}, &fsl);
  if (filterLayout == "ohwi") fl = permute(f, fs, {1, 2, 3, 0}, &fsl);

  GraphHarness h(2);
  int in = h.input("x", xsl, xl);
  int filt = constFilter ? h.constant(fsl, fl) : h.input("f", fsl, fl);
  std::vector<std::pair<std::string, int>> ins{{"input", in}, {"filter", filt}};
  if (withBias) ins.push_back({"bias", constFilter ? h.constant({uint32_t(O)}, b) : h.input("b", {uint32_t(O)}, b)});
  Attributes a;
  a.set("padding", std::vector<double>{double(t.pt), double(t.pb), double(t.pl), double(t.pr)});
  a.set("strides", std::vector<double>{double(t.sh), double(t.sw)});
  a.set("dilations", std::vector<double>{double(t.dh), double(t.dw)});
  if (useOutputSizes) a.set("outputSizes", std::vector<double>{double(OH), double(OW)});
  else a.set("outputPadding", std::vector<double>{double(t.oph), double(t.opw)});
  a.set("groups", double(t.groups));
  a.set("inputLayout", inputLayout);
  a.set("filterLayout", filterLayout);
  int y = h.op("convTranspose2d", ins, a);
  REQUIRE(h.builder.operandDesc(y)->shape == ws);
  if (relu) y = h.op("relu", {{"input", y}});
  std::string plan;
  auto got = h.run({y}, &plan);
  if (relu) CHECK(plan.find("convTranspose2d+relu") != std::string::npos);
  INFO(inputLayout << " " << filterLayout << " const " << constFilter << " bias " << withBias);
  requireClose(got[0], want, 1e-5f, 1e-4f);
}

}  // namespace

TEST_CASE("convTranspose2d: layouts, strides, dilations, padding, groups, output sizes, bias", "[convTranspose2d]") {
  std::vector<CT> cases = {
      {1, 1, 3, 3, 1, 3, 3, 1, 1, 1, 1, 0, 0, 0, 0, 1, 0, 0},
      {2, 3, 4, 5, 2, 3, 2, 2, 3, 1, 1, 1, 0, 0, 2, 1, 1, 2},
      {1, 4, 3, 3, 3, 2, 3, 2, 2, 2, 1, 0, 1, 1, 1, 2, 1, 0},
      {1, 6, 5, 4, 1, 3, 3, 1, 2, 1, 2, 2, 2, 1, 0, 3, 0, 1},
      {2, 2, 2, 2, 20, 4, 4, 3, 3, 1, 1, 1, 1, 1, 1, 1, 2, 2},  // wide outputs (several GEMM column panels)
  };
  for (const CT& t : cases)
    for (std::string il : {"nchw", "nhwc"})
      for (std::string fl : {"iohw", "hwoi", "ohwi"}) {
        runCase(t, il, fl, true, true, false, false);
        runCase(t, il, fl, false, fl == "iohw", fl == "ohwi", false);
      }
  runCase(cases[1], "nchw", "iohw", true, true, false, true);
  runCase(cases[2], "nhwc", "ohwi", true, false, true, true);
}

TEST_CASE("convTranspose2d: invalid arguments are TypeErrors", "[convTranspose2d]") {
  GraphHarness h;
  int x = h.input("x", {1, 4, 3, 3}, std::vector<float>(36));
  int f = h.constant({4, 2, 3, 3}, std::vector<float>(72));
  int f3 = h.constant({3, 2, 3, 3}, std::vector<float>(54));
  int x3 = h.input("x3", {1, 4, 3}, std::vector<float>(12));
  auto a = [](std::initializer_list<std::pair<const char*, AttrValue>> kv) {
    Attributes r;
    for (auto& [k, v] : kv) r.set(k, v);
    return r;
  };
  h.expectTypeError("convTranspose2d", {{"input", x3}, {"filter", f}});
  h.expectTypeError("convTranspose2d", {{"input", x}, {"filter", f3}});
  h.expectTypeError("convTranspose2d", {{"input", x}, {"filter", f}}, a({{"strides", nums({0, 1})}}));
  h.expectTypeError("convTranspose2d", {{"input", x}, {"filter", f}}, a({{"padding", nums({0, 0})}}));
  h.expectTypeError("convTranspose2d", {{"input", x}, {"filter", f}}, a({{"outputPadding", nums({1, 0})}}));  // >= stride 1
  h.expectTypeError("convTranspose2d", {{"input", x}, {"filter", f}}, a({{"outputSizes", nums({6, 5})}}));  // computed 5
  h.expectTypeError("convTranspose2d", {{"input", x}, {"filter", f}}, a({{"outputSizes", nums({4, 5})}}));
  h.expectTypeError("convTranspose2d", {{"input", x}, {"filter", f}}, a({{"groups", 3.0}}));
  h.expectTypeError("convTranspose2d", {{"input", x}, {"filter", f}, {"bias", h.constant({3}, std::vector<float>(3))}});
  h.expectTypeError("convTranspose2d", {{"input", x}, {"filter", f}}, a({{"filterLayout", std::string("oihw")}}));
  h.expectTypeError("convTranspose2d", {{"input", x}, {"filter", f}}, a({{"padding", nums({3, 3, 0, 0})}}));  // 5-6 < 1
  // outputSizes within [computed, computed + stride) is accepted.
  CHECK(h.builder.addOperation("convTranspose2d", {{"input", x}, {"filter", f}},
                               a({{"strides", nums({2, 2})}, {"outputSizes", nums({8, 7})}}), "").size() == 1);
}
