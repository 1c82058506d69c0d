// resample2d through the GraphBuilder against the spec's formulas: nearest and linear, scales, sizes, axes.
#include <cmath>

#include "harness.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

namespace {

// The spec's formulas, straight.
std::vector<float> refResample(const Shape& s, const std::vector<float>& x, const Shape& os, size_t a0, size_t a1, bool linear) {
  std::vector<float> out;
  auto coord = [](size_t o, size_t in, size_t outSize) {
    double scale = double(outSize) / in, u = (o + 0.5) / scale - 0.5;
    return std::min(std::max(u, 0.0), double(in - 1));
  };
  forEachCoord(os, [&](const std::vector<size_t>& c) {
    double u = coord(c[a0], s[a0], os[a0]), v = coord(c[a1], s[a1], os[a1]);
    auto at = [&](size_t i, size_t j) {
      std::vector<size_t> ic = c;
      ic[a0] = i;
      ic[a1] = j;
      return double(x[linearIndex(s, ic)]);
    };
    if (!linear) {
      out.push_back(float(at(size_t(std::ceil(u - 0.5)), size_t(std::ceil(v - 0.5)))));
      return;
    }
    size_t u0 = size_t(std::floor(u)), u1 = size_t(std::ceil(u)), v0 = size_t(std::floor(v)), v1 = size_t(std::ceil(v));
    double tu = u - u0, tv = v - v0;
    double r0 = at(u0, v0) * (1 - tv) + at(u0, v1) * tv, r1 = at(u1, v0) * (1 - tv) + at(u1, v1) * tv;
    out.push_back(float(r0 * (1 - tu) + r1 * tu));
  });
  return out;
}

}  // namespace

TEST_CASE("resample2d: the spec's example, nearest and linear, scales, sizes, axes", "[data_movement][resample2d]") {
  {
    GraphHarness h;
    int x = h.input("x", {1, 1, 4, 4}, {0, 1, 2, 3, 0, 1, 2, 3, 12, 13, 14, 15, 12, 13, 14, 15});
    int y = h.op("resample2d", {{"input", x}}, attrs({{"mode", std::string("linear")}, {"sizes", nums({8, 8})}}));
    auto r = h.run({y});
    std::vector<float> rowA{0, 0.25, 0.75, 1.25, 1.75, 2.25, 2.75, 3};
    std::vector<float> want;
    float offsets[8] = {0, 0, 0, 3, 9, 12, 12, 12};
    for (float o : offsets)
      for (float v : rowA) want.push_back(v + o);
    requireClose(r[0], want);
  }
  struct Case {
    Shape s;
    std::vector<double> axes, scales, sizes;
  };
  std::vector<Case> cases = {
      {{1, 2, 3, 5}, {}, {2.0, 1.5}, {}},
      {{2, 1, 5, 4}, {}, {0.5, 0.75}, {}},
      {{1, 4, 6, 3}, {1, 2}, {}, {7, 2}},
      {{3, 4, 2, 2}, {0, 1}, {1.0, 2.5}, {}},
      {{1, 3, 4, 5}, {3, 2}, {}, {9, 3}},
  };
  for (const Case& c : cases)
    for (bool linear : {false, true}) {
      auto x = randomFloats(count(c.s), 7);
      GraphHarness h;
      int in = h.input("x", c.s, x);
      Attributes a;
      a.set("mode", std::string(linear ? "linear" : "nearest-neighbor"));
      if (!c.axes.empty()) a.set("axes", c.axes);
      if (!c.scales.empty()) a.set("scales", c.scales);
      if (!c.sizes.empty()) a.set("sizes", c.sizes);
      int y = h.op("resample2d", {{"input", in}}, a);
      Shape os = h.builder.operandDesc(y)->shape;
      size_t a0 = c.axes.empty() ? 2 : size_t(c.axes[0]), a1 = c.axes.empty() ? 3 : size_t(c.axes[1]);
      Shape wantShape = c.s;
      for (size_t i = 0; i < 2; ++i) {
        size_t ax = i ? a1 : a0;
        wantShape[ax] = c.sizes.empty() ? uint32_t(std::floor(c.s[ax] * c.scales[i])) : uint32_t(c.sizes[i]);
      }
      REQUIRE(os == wantShape);
      requireClose(h.run({y})[0], refResample(c.s, x, os, a0, a1, linear), 1e-6f, 1e-5f);
    }
  GraphHarness h;
  int x = h.input("x", {1, 1, 2, 2}, std::vector<float>(4));
  int x3 = h.input("x3", {1, 2, 2}, std::vector<float>(4));
  int xi = h.input("xi", {1, 1, 2, 2}, std::vector<float>(4), DataType::Int32);
  h.expectTypeError("resample2d", {{"input", x3}});
  h.expectTypeError("resample2d", {{"input", xi}});
  h.expectTypeError("resample2d", {{"input", x}}, attrs({{"scales", nums({0, 1})}}));
  h.expectTypeError("resample2d", {{"input", x}}, attrs({{"scales", nums({1})}}));
  h.expectTypeError("resample2d", {{"input", x}}, attrs({{"sizes", nums({0, 2})}}));
  h.expectTypeError("resample2d", {{"input", x}}, attrs({{"axes", nums({2, 2})}}));
  h.expectTypeError("resample2d", {{"input", x}}, attrs({{"axes", nums({3, 4})}}));
  h.expectTypeError("resample2d", {{"input", x}}, attrs({{"scales", nums({0.1, 1})}}));  // floor(0.2) = 0
}
