// slice, split, pad, expand, tile, reverse, triangular, transpose, reshape and concat through the
// GraphBuilder against naive references, for several element sizes.
#include <cmath>

#include "harness.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

namespace {

// Runs a one-input op on typed data and returns the typed output.
template <typename T>
std::vector<T> runUnaryTyped(DataType t, const std::string& op, const Shape& shape, const std::vector<T>& data,
                             const Attributes& a, Shape* outShape = nullptr) {
  GraphHarness h;
  int x = h.input("x", shape, packBytes(data), t);
  int y = h.op(op, {{"input", x}}, a);
  Shape os = h.builder.operandDesc(y)->shape;
  if (outShape) *outShape = os;
  auto r = h.run({y});
  return unpackBytes<T>(r[0], count(os));
}

template <typename T>
std::vector<T> refSlice(const Shape& s, const std::vector<T>& x, const std::vector<size_t>& starts,
                        const std::vector<size_t>& strides, const Shape& os) {
  std::vector<T> out;
  forEachCoord(os, [&](const std::vector<size_t>& c) {
    std::vector<size_t> ic(c.size());
    for (size_t d = 0; d < c.size(); ++d) ic[d] = starts[d] + c[d] * strides[d];
    out.push_back(x[linearIndex(s, ic)]);
  });
  return out;
}

template <typename T>
void checkSlice(DataType t) {
  Shape s{4, 5, 6};
  auto x = iota<T>(count(s), T(1));
  Shape os;
  auto got = runUnaryTyped<T>(t, "slice", s, x,
                              attrs({{"starts", nums({1, 0, 2})}, {"sizes", nums({3, 5, 4})}, {"strides", nums({2, 3, 1})}}), &os);
  REQUIRE(os == Shape{2, 2, 4});
  CHECK(got == refSlice<T>(s, x, {1, 0, 2}, {2, 3, 1}, os));
}

}  // namespace

TEST_CASE("slice: strided, every element size", "[data_movement][slice]") {
  checkSlice<float>(DataType::Float32);
  checkSlice<int8_t>(DataType::Int8);
  checkSlice<uint16_t>(DataType::Float16);
  checkSlice<int64_t>(DataType::Int64);
  // No strides; rank 1 and rank 0.
  Shape os;
  auto got = runUnaryTyped<int32_t>(DataType::Int32, "slice", {7}, iota<int32_t>(7), attrs({{"starts", nums({2})}, {"sizes", nums({4})}}), &os);
  CHECK(got == std::vector<int32_t>{2, 3, 4, 5});
  auto scalar = runUnaryTyped<float>(DataType::Float32, "slice", {}, {3.5f}, attrs({{"starts", nums({})}, {"sizes", nums({})}}), &os);
  CHECK(os.empty());
  CHECK(scalar[0] == 3.5f);
}

TEST_CASE("slice: invalid arguments are TypeErrors", "[data_movement][slice]") {
  GraphHarness h;
  int x = h.input("x", {4, 5}, std::vector<float>(20));
  h.expectTypeError("slice", {{"input", x}}, attrs({{"starts", nums({0})}, {"sizes", nums({1, 1})}}));
  h.expectTypeError("slice", {{"input", x}}, attrs({{"starts", nums({0, 0})}, {"sizes", nums({0, 1})}}));
  h.expectTypeError("slice", {{"input", x}}, attrs({{"starts", nums({4, 0})}, {"sizes", nums({1, 1})}}));
  h.expectTypeError("slice", {{"input", x}}, attrs({{"starts", nums({3, 0})}, {"sizes", nums({2, 1})}}));
  h.expectTypeError("slice", {{"input", x}}, attrs({{"starts", nums({0, 0})}, {"sizes", nums({1, 1})}, {"strides", nums({0, 1})}}));
  h.expectTypeError("slice", {{"input", x}}, attrs({{"starts", nums({0, 0})}, {"sizes", nums({1, 1})}, {"strides", nums({1})}}));
}

TEST_CASE("split: by count and by sizes, along each axis", "[data_movement][split]") {
  Shape s{2, 6, 3};
  auto x = iota<float>(count(s));
  for (size_t axis = 0; axis < 3; ++axis) {
    for (bool bySizes : {false, true}) {
      GraphHarness h;
      int in = h.input("x", s, x);
      Attributes a;
      a.set("axis", double(axis));
      std::vector<uint32_t> sizes;
      if (bySizes) {
        if (s[axis] == 2) sizes = {1, 1};
        else if (s[axis] == 6) sizes = {1, 3, 2};
        else sizes = {2, 1};
        std::vector<double> d(sizes.begin(), sizes.end());
        a.set("splits", d);
      } else {
        sizes.assign(s[axis] == 6 ? 3 : 1, s[axis] == 6 ? 2 : s[axis]);
        a.set("splits", double(sizes.size()));
      }
      std::vector<int> outs = h.builder.addOperation("split", {{"input", in}}, a, "");
      REQUIRE(outs.size() == sizes.size());
      auto r = h.run(outs);
      size_t start = 0;
      for (size_t i = 0; i < sizes.size(); ++i) {
        Shape os = s;
        os[axis] = sizes[i];
        std::vector<size_t> starts(3, 0), strides(3, 1);
        starts[axis] = start;
        auto want = refSlice<float>(s, x, starts, strides, os);
        r[i].resize(want.size());
        CHECK(r[i] == want);
        start += sizes[i];
      }
    }
  }
  GraphHarness h;
  int in = h.input("x", s, x);
  h.expectTypeError("split", {{"input", in}}, attrs({{"splits", 4.0}, {"axis", 1.0}}));
  h.expectTypeError("split", {{"input", in}}, attrs({{"splits", 0.0}}));
  h.expectTypeError("split", {{"input", in}}, attrs({{"splits", nums({2, 3})}, {"axis", 1.0}}));
  h.expectTypeError("split", {{"input", in}}, attrs({{"splits", nums({6, 0})}, {"axis", 1.0}}));
  h.expectTypeError("split", {{"input", in}}, attrs({{"splits", 1.0}, {"axis", 3.0}}));
}

namespace {

int64_t refPadIndex(const std::string& mode, int64_t i, int64_t n) {
  if (i >= 0 && i < n) return i;
  if (mode == "constant") return -1;
  if (mode == "edge") return i < 0 ? 0 : n - 1;
  // Reflection (validation keeps the padding below n): walk one step at a time.
  int64_t pos = 0, dir = 1;
  if (n == 1) return 0;
  int64_t steps = i < 0 ? -i : i;
  if (i < 0) dir = -1;
  for (int64_t k = 0; k < steps; ++k) {
    if (pos + dir < 0 || pos + dir >= n) dir = -dir;
    pos += dir;
  }
  return pos;
}

template <typename T>
void checkPad(DataType t, const std::string& mode, const Shape& s, std::vector<double> b, std::vector<double> e, double value) {
  auto x = iota<T>(count(s), T(1));
  Attributes a = attrs({{"beginningPadding", b}, {"endingPadding", e}, {"mode", mode}, {"value", value}});
  Shape os;
  auto got = runUnaryTyped<T>(t, "pad", s, x, a, &os);
  std::vector<T> want;
  forEachCoord(os, [&](const std::vector<size_t>& c) {
    std::vector<size_t> ic(c.size());
    bool fill = false;
    for (size_t d = 0; d < c.size(); ++d) {
      int64_t j = refPadIndex(mode, int64_t(c[d]) - int64_t(b[d]), s[d]);
      if (j < 0) fill = true; else ic[d] = size_t(j);
    }
    want.push_back(fill ? T(value) : x[linearIndex(s, ic)]);
  });
  INFO(mode);
  CHECK(got == want);
}

}  // namespace

TEST_CASE("pad: constant, edge (including paddings past the dimension), reflection", "[data_movement][pad]") {
  for (std::string mode : {"constant", "edge"}) {
    checkPad<float>(DataType::Float32, mode, {3, 4}, {1, 2}, {2, 0}, 9.5);
    checkPad<int32_t>(DataType::Int32, mode, {2, 3, 2}, {0, 2, 1}, {1, 1, 3}, -7);
    checkPad<uint8_t>(DataType::Uint8, mode, {5}, {7}, {9}, 200);
    checkPad<float>(DataType::Float32, mode, {1, 3}, {2, 0}, {1, 4}, 0);
  }
  // Reflection: every padding below its dimension (the spec's TypeError otherwise).
  checkPad<float>(DataType::Float32, "reflection", {3, 4}, {1, 2}, {2, 0}, 9.5);
  checkPad<int32_t>(DataType::Int32, "reflection", {2, 3, 2}, {0, 2, 1}, {1, 1, 1}, -7);
  checkPad<uint8_t>(DataType::Uint8, "reflection", {5}, {4}, {4}, 200);
  GraphHarness h;
  int x = h.input("x", {2, 2}, std::vector<float>(4));
  h.expectTypeError("pad", {{"input", x}}, attrs({{"beginningPadding", nums({0, 2})}, {"endingPadding", nums({0, 0})}, {"mode", std::string("reflection")}}));
  h.expectTypeError("pad", {{"input", x}}, attrs({{"beginningPadding", nums({0, 0})}, {"endingPadding", nums({3, 0})}, {"mode", std::string("reflection")}}));
  h.expectTypeError("pad", {{"input", x}}, attrs({{"beginningPadding", nums({1})}, {"endingPadding", nums({1, 1})}}));
  h.expectTypeError("pad", {{"input", x}}, attrs({{"beginningPadding", nums({1, 1})}, {"endingPadding", nums({1, 1})}, {"mode", std::string("wrap")}}));
}

TEST_CASE("expand and tile", "[data_movement][expand][tile]") {
  Shape os;
  auto e = runUnaryTyped<int16_t>(DataType::Float16, "expand", {3, 1}, {1, 2, 3}, attrs({{"newShape", nums({2, 3, 4})}}), &os);
  REQUIRE(os == Shape{2, 3, 4});
  std::vector<int16_t> want;
  for (int b = 0; b < 2; ++b)
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 4; ++j) want.push_back(int16_t(i + 1));
  CHECK(e == want);
  auto s = runUnaryTyped<float>(DataType::Float32, "expand", {}, {4.f}, attrs({{"newShape", nums({2, 2})}}), &os);
  CHECK(s == std::vector<float>{4, 4, 4, 4});
  auto same = runUnaryTyped<int64_t>(DataType::Int64, "expand", {1, 3}, {7, 8, 9}, attrs({{"newShape", nums({2, 3})}}), &os);
  CHECK(same == std::vector<int64_t>{7, 8, 9, 7, 8, 9});

  Shape ts{2, 3};
  auto x = iota<int8_t>(6);
  auto t = runUnaryTyped<int8_t>(DataType::Int8, "tile", ts, x, attrs({{"repetitions", nums({2, 3})}}), &os);
  REQUIRE(os == Shape{4, 9});
  std::vector<int8_t> tw;
  forEachCoord(os, [&](const std::vector<size_t>& c) { tw.push_back(x[(c[0] % 2) * 3 + c[1] % 3]); });
  CHECK(t == tw);

  GraphHarness h;
  int in = h.input("x", {2, 3}, std::vector<float>(6));
  h.expectTypeError("expand", {{"input", in}}, attrs({{"newShape", nums({3, 3})}}));
  h.expectTypeError("expand", {{"input", in}}, attrs({{"newShape", nums({3})}}));
  h.expectTypeError("tile", {{"input", in}}, attrs({{"repetitions", nums({1})}}));
  h.expectTypeError("tile", {{"input", in}}, attrs({{"repetitions", nums({1, 0})}}));
}

TEST_CASE("reverse and triangular", "[data_movement][reverse][triangular]") {
  Shape s{2, 3, 4};
  auto x = iota<float>(24);
  auto refRev = [&](std::vector<bool> rev) {
    std::vector<float> out;
    forEachCoord(s, [&](const std::vector<size_t>& c) {
      std::vector<size_t> ic = c;
      for (size_t d = 0; d < 3; ++d)
        if (rev[d]) ic[d] = s[d] - 1 - c[d];
      out.push_back(x[linearIndex(s, ic)]);
    });
    return out;
  };
  CHECK(runUnaryTyped<float>(DataType::Float32, "reverse", s, x, {}) == refRev({true, true, true}));
  CHECK(runUnaryTyped<float>(DataType::Float32, "reverse", s, x, attrs({{"axes", nums({})}})) == x);
  CHECK(runUnaryTyped<float>(DataType::Float32, "reverse", s, x, attrs({{"axes", nums({2, 0})}})) == refRev({true, false, true}));
  auto u8 = runUnaryTyped<uint8_t>(DataType::Uint8, "reverse", {5}, iota<uint8_t>(5), {});
  CHECK(u8 == std::vector<uint8_t>{4, 3, 2, 1, 0});

  Shape ts{2, 3, 5};
  auto y = iota<int32_t>(30, 1);
  for (bool upper : {true, false})
    for (int diag : {-4, -1, 0, 2, 7}) {
      auto got = runUnaryTyped<int32_t>(DataType::Int32, "triangular", ts, y, attrs({{"upper", upper}, {"diagonal", double(diag)}}));
      std::vector<int32_t> want;
      forEachCoord(ts, [&](const std::vector<size_t>& c) {
        int64_t k = int64_t(c[2]) - int64_t(c[1]);
        bool keep = upper ? k >= diag : k <= diag;
        want.push_back(keep ? y[linearIndex(ts, c)] : 0);
      });
      INFO("upper " << upper << " diagonal " << diag);
      CHECK(got == want);
    }
  GraphHarness h;
  int in = h.input("x", {2, 3}, std::vector<float>(6));
  int v = h.input("v", {3}, std::vector<float>(3));
  h.expectTypeError("reverse", {{"input", in}}, attrs({{"axes", nums({2})}}));
  h.expectTypeError("reverse", {{"input", in}}, attrs({{"axes", nums({1, 1})}}));
  h.expectTypeError("triangular", {{"input", v}});
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
