// gather, gatherElements, gatherND, scatterElements, scatterND through the GraphBuilder against naive
// references: every index type, negative and out-of-range indices (clamped), validation errors.
#include <cmath>

#include "harness.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

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
