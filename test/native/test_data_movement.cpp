// slice, split, pad, expand, tile, reverse, triangular, gather*, scatter*, resample2d through the
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

namespace {

template <typename I>
std::vector<float> runGather(DataType it, const Shape& s, const std::vector<float>& x, const Shape& is,
                             const std::vector<I>& idx, size_t axis, const std::string& op, Shape* os) {
  GraphHarness h;
  int in = h.input("x", s, x);
  int ii = h.constant<I>(is, idx, it);
  Attributes a;
  if (op != "gatherND") a.set("axis", double(axis));
  int y = h.op(op, {{"input", in}, {"indices", ii}}, a);
  *os = h.builder.operandDesc(y)->shape;
  auto r = h.run({y});
  r[0].resize(count(*os));
  return r[0];
}

size_t clampIndex(int64_t v, size_t dim) {
  if (v < 0) v += int64_t(dim);
  return size_t(std::min<int64_t>(std::max<int64_t>(v, 0), int64_t(dim) - 1));
}

template <typename I>
void checkGather(DataType it) {
  Shape s{3, 4, 2};
  auto x = iota<float>(24);
  Shape is{2, 3};
  std::vector<I> idx = std::is_signed<I>::value ? std::vector<I>{0, 2, I(-1), 1, 9, I(-9)} : std::vector<I>{0, 2, 3, 1, 9, 100};
  for (size_t axis = 0; axis < 3; ++axis) {
    Shape os;
    auto got = runGather<I>(it, s, x, is, idx, axis, "gather", &os);
    Shape wantShape;
    for (size_t d = 0; d < axis; ++d) wantShape.push_back(s[d]);
    for (uint32_t d : is) wantShape.push_back(d);
    for (size_t d = axis + 1; d < 3; ++d) wantShape.push_back(s[d]);
    REQUIRE(os == wantShape);
    std::vector<float> want;
    forEachCoord(os, [&](const std::vector<size_t>& c) {
      std::vector<size_t> ic;
      for (size_t d = 0; d < axis; ++d) ic.push_back(c[d]);
      size_t n = c[axis] * is[1] + c[axis + 1];
      ic.push_back(clampIndex(int64_t(idx[n]), s[axis]));
      for (size_t d = axis + 2; d < c.size(); ++d) ic.push_back(c[d]);
      want.push_back(x[linearIndex(s, ic)]);
    });
    INFO("axis " << axis);
    CHECK(got == want);
  }
}

}  // namespace

TEST_CASE("gather: every index type, negative and out-of-range indices clamped", "[data_movement][gather]") {
  checkGather<int32_t>(DataType::Int32);
  checkGather<int64_t>(DataType::Int64);
  checkGather<uint32_t>(DataType::Uint32);
  // Scalar indices drop the axis.
  Shape os;
  auto got = runGather<int32_t>(DataType::Int32, {3, 2}, iota<float>(6), {}, {2}, 0, "gather", &os);
  CHECK(os == Shape{2});
  CHECK(got == std::vector<float>{4, 5});
  GraphHarness h;
  int x = h.input("x", {3, 2}, std::vector<float>(6));
  int fi = h.constant<float>({2}, {0, 1});
  int ii = h.constant<int32_t>({2}, {0, 1}, DataType::Int32);
  h.expectTypeError("gather", {{"input", x}, {"indices", fi}});
  h.expectTypeError("gather", {{"input", x}, {"indices", ii}}, attrs({{"axis", 2.0}}));
}

TEST_CASE("gatherElements and scatterElements", "[data_movement][gatherElements][scatterElements]") {
  Shape s{3, 4};
  auto x = iota<float>(12, 1.f);
  for (size_t axis = 0; axis < 2; ++axis) {
    Shape is = s;
    is[axis] = 2;
    std::vector<int64_t> idx;
    for (size_t i = 0; i < count(is); ++i) idx.push_back(int64_t(i * 7 % 5) - 1);  // some negative / out of range
    Shape os;
    auto got = runGather<int64_t>(DataType::Int64, s, x, is, idx, axis, "gatherElements", &os);
    REQUIRE(os == is);
    std::vector<float> want;
    forEachCoord(is, [&](const std::vector<size_t>& c) {
      std::vector<size_t> ic = c;
      ic[axis] = clampIndex(idx[linearIndex(is, c)], s[axis]);
      want.push_back(x[linearIndex(s, ic)]);
    });
    CHECK(got == want);

    // scatterElements with a permutation along the axis (no duplicates).
    std::vector<int32_t> sidx;
    forEachCoord(is, [&](const std::vector<size_t>& c) { sidx.push_back(int32_t((c[axis] + c[1 - axis]) % s[axis])); });
    auto upd = iota<float>(count(is), 100.f);
    GraphHarness h;
    int in = h.input("x", s, x);
    int ii = h.constant<int32_t>(is, sidx, DataType::Int32);
    int uu = h.input("u", is, upd);
    int y = h.op("scatterElements", {{"input", in}, {"indices", ii}, {"updates", uu}}, attrs({{"axis", double(axis)}}));
    auto r = h.run({y});
    std::vector<float> sw = x;
    forEachCoord(is, [&](const std::vector<size_t>& c) {
      std::vector<size_t> oc = c;
      oc[axis] = size_t(sidx[linearIndex(is, c)]);
      sw[linearIndex(s, oc)] = upd[linearIndex(is, c)];
    });
    CHECK(r[0] == sw);
  }
  GraphHarness h;
  int in = h.input("x", s, x);
  int bad = h.constant<int32_t>({2, 3}, std::vector<int32_t>(6), DataType::Int32);
  int rank1 = h.constant<int32_t>({4}, std::vector<int32_t>(4), DataType::Int32);
  h.expectTypeError("gatherElements", {{"input", in}, {"indices", bad}});
  h.expectTypeError("gatherElements", {{"input", in}, {"indices", rank1}});
  int ok = h.constant<int32_t>({2, 4}, std::vector<int32_t>(8), DataType::Int32);
  int upd = h.input("u", {2, 3}, std::vector<float>(6));
  h.expectTypeError("scatterElements", {{"input", in}, {"indices", ok}, {"updates", upd}});
}

TEST_CASE("gatherND and scatterND", "[data_movement][gatherND][scatterND]") {
  Shape s{2, 3, 4};
  auto x = iota<float>(24);
  // k = 2: slices of 4; k = 3: elements; k = 1: slices of 12.
  for (size_t k = 1; k <= 3; ++k) {
    Shape is{2, 2, uint32_t(k)};
    std::vector<int32_t> idx;
    for (size_t i = 0; i < count(is); ++i) idx.push_back(int32_t(i * 5 % 7) - 2);
    Shape os;
    auto got = runGather<int32_t>(DataType::Int32, s, x, is, idx, 0, "gatherND", &os);
    size_t slice = count(Shape(s.begin() + k, s.end()));
    Shape wantShape{2, 2};
    for (size_t d = k; d < 3; ++d) wantShape.push_back(s[d]);
    REQUIRE(os == wantShape);
    std::vector<float> want;
    for (size_t row = 0; row < 4; ++row) {
      std::vector<size_t> c(3, 0);
      for (size_t d = 0; d < k; ++d) c[d] = clampIndex(idx[row * k + d], s[d]);
      size_t base = linearIndex(s, c);
      for (size_t j = 0; j < slice; ++j) want.push_back(x[base + j]);
    }
    INFO("k " << k);
    CHECK(got == want);
  }
  // scatterND: rows 0 and 1 of a [3, 2] tensor replaced.
  GraphHarness h;
  int in = h.input("x", {3, 2}, {1, 2, 3, 4, 5, 6});
  int ii = h.constant<uint32_t>({2, 1}, {2, 0}, DataType::Uint32);
  int uu = h.input("u", {2, 2}, {10, 20, 30, 40});
  int y = h.op("scatterND", {{"input", in}, {"indices", ii}, {"updates", uu}});
  CHECK(h.run({y})[0] == std::vector<float>{30, 40, 3, 4, 10, 20});
  GraphHarness e;
  int ein = e.input("x", {3, 2}, std::vector<float>(6));
  int deep = e.constant<int32_t>({1, 3}, {0, 0, 0}, DataType::Int32);
  e.expectTypeError("gatherND", {{"input", ein}, {"indices", deep}});
  int good = e.constant<int32_t>({2, 1}, {0, 1}, DataType::Int32);
  int badUpd = e.input("u", {2, 3}, std::vector<float>(6));
  e.expectTypeError("scatterND", {{"input", ein}, {"indices", good}, {"updates", badUpd}});
}

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
