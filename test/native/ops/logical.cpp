// Comparisons, logical ops, isNaN/isInfinite and where, through GraphBuilder.
#include <catch2/catch.hpp>

#include <array>
#include <cmath>

#include "harness.h"

using namespace webnn;
using namespace webnn::test;

namespace {

const std::vector<std::pair<Shape, Shape>> kShapePairs{
    {{}, {}}, {{5}, {5}}, {{2, 3}, {3}}, {{2, 1, 4}, {3, 1}}, {{1}, {2, 2, 2}}, {{4, 1}, {1, 5}}};

bool refCompare(const std::string& op, double a, double b) {
  if (op == "equal") return a == b;
  if (op == "notEqual") return a != b;
  if (op == "greater") return a > b;
  if (op == "greaterOrEqual") return a >= b;
  if (op == "lesser") return a < b;
  return a <= b;
}

}  // namespace

TEST_CASE("comparisons broadcast over every data type and output uint8", "[logical]") {
  Rng rng(3);
  for (const char* op : {"equal", "notEqual", "greater", "greaterOrEqual", "lesser", "lesserOrEqual"})
    for (DataType t : allDataTypes())
      for (auto& [sa, sb] : kShapePairs) {
        Shape out = broadcast(sa, sb);
        TensorData a = fromDoubles(t, sa, smallValues(OperandDesc{t, sa}.elementCount(), rng, isSigned(t)));
        TensorData b = fromDoubles(t, sb, smallValues(OperandDesc{t, sb}.elementCount(), rng, isSigned(t)));
        RunResult r = runOp(op, {{"a", a}, {"b", b}});
        REQUIRE(r.status.isOk());
        REQUIRE(r.outputs[0].desc == OperandDesc{DataType::Uint8, out});
        for (size_t o = 0; o < r.outputs[0].count(); ++o) {
          bool expected = refCompare(op, a.value(broadcastIndex(out, sa, o)), b.value(broadcastIndex(out, sb, o)));
          INFO(op << " " << dataTypeName(t));
          CHECK(r.outputs[0].at<uint8_t>(o) == uint8_t(expected));
        }
      }
}

TEST_CASE("comparisons with NaN are false except notEqual; int64 compares exactly", "[logical]") {
  TensorData a = fromDoubles(DataType::Float32, {3}, {NAN, 1, NAN});
  TensorData b = fromDoubles(DataType::Float32, {3}, {NAN, NAN, 1});
  for (const char* op : {"equal", "greater", "greaterOrEqual", "lesser", "lesserOrEqual"}) {
    RunResult r = runOp(op, {{"a", a}, {"b", b}});
    for (size_t i = 0; i < 3; ++i) CHECK(r.outputs[0].at<uint8_t>(i) == 0);
  }
  RunResult ne = runOp("notEqual", {{"a", a}, {"b", b}});
  for (size_t i = 0; i < 3; ++i) CHECK(ne.outputs[0].at<uint8_t>(i) == 1);
  std::vector<int64_t> x{INT64_MAX, INT64_MAX - 1}, y{INT64_MAX - 1, INT64_MAX - 1};
  RunResult g = runOp("greater", {{"a", makeTensor(DataType::Int64, {2}, x)}, {"b", makeTensor(DataType::Int64, {2}, y)}});
  CHECK(g.outputs[0].at<uint8_t>(0) == 1);
  CHECK(g.outputs[0].at<uint8_t>(1) == 0);
}

TEST_CASE("logical ops treat non-zero as true", "[logical]") {
  Rng rng(4);
  for (auto& [sa, sb] : kShapePairs) {
    Shape out = broadcast(sa, sb);
    TensorData a = fromDoubles(DataType::Uint8, sa, smallValues(OperandDesc{DataType::Uint8, sa}.elementCount(), rng, false));
    TensorData b = fromDoubles(DataType::Uint8, sb, smallValues(OperandDesc{DataType::Uint8, sb}.elementCount(), rng, false));
    for (const char* op : {"logicalAnd", "logicalOr", "logicalXor"}) {
      RunResult r = runOp(op, {{"a", a}, {"b", b}});
      REQUIRE(r.status.isOk());
      for (size_t o = 0; o < r.outputs[0].count(); ++o) {
        bool x = a.value(broadcastIndex(out, sa, o)) != 0, y = b.value(broadcastIndex(out, sb, o)) != 0;
        bool e = std::string(op) == "logicalAnd" ? (x && y) : std::string(op) == "logicalOr" ? (x || y) : (x != y);
        CHECK(r.outputs[0].at<uint8_t>(o) == uint8_t(e));
      }
    }
    RunResult n = runOp("logicalNot", {{"input", a}});
    REQUIRE(n.status.isOk());
    for (size_t i = 0; i < a.count(); ++i) CHECK(n.outputs[0].at<uint8_t>(i) == uint8_t(a.value(i) == 0));
  }
}

TEST_CASE("isNaN and isInfinite on float32 and float16", "[logical][float16]") {
  std::vector<double> v{0, NAN, INFINITY, -INFINITY, 1e30, -2.5};
  for (DataType t : {DataType::Float32, DataType::Float16}) {
    TensorData in = fromDoubles(t, {2, 3}, v);
    RunResult n = runOp("isNaN", {{"input", in}}), f = runOp("isInfinite", {{"input", in}});
    REQUIRE(n.status.isOk());
    REQUIRE(f.status.isOk());
    for (size_t i = 0; i < v.size(); ++i) {
      CHECK(n.outputs[0].at<uint8_t>(i) == uint8_t(std::isnan(in.value(i))));
      CHECK(f.outputs[0].at<uint8_t>(i) == uint8_t(std::isinf(in.value(i))));  // 1e30 is Inf in float16
    }
  }
}

TEST_CASE("where broadcasts three ways for every data type", "[logical][where]") {
  Rng rng(5);
  const std::vector<std::array<Shape, 3>> shapes{
      {Shape{}, Shape{}, Shape{}}, {Shape{4}, Shape{4}, Shape{4}}, {Shape{2, 1, 3}, Shape{4, 1}, Shape{3}},
      {Shape{1}, Shape{2, 3}, Shape{}}, {Shape{3, 1, 1}, Shape{1, 2, 1}, Shape{1, 1, 5}}};
  for (DataType t : allDataTypes())
    for (auto& s : shapes) {
      Shape out = broadcast(s[0], broadcast(s[1], s[2]));
      auto count = [](const Shape& sh) { return size_t(OperandDesc{DataType::Uint8, sh}.elementCount()); };
      TensorData c = fromDoubles(DataType::Uint8, s[0], smallValues(count(s[0]), rng, false));
      for (size_t i = 0; i < c.count(); ++i) c.bytes[i] = c.bytes[i] % 3;  // 0, 1, 2 (non-zero is true)
      TensorData tv = fromDoubles(t, s[1], smallValues(count(s[1]), rng, isSigned(t)));
      TensorData fv = fromDoubles(t, s[2], smallValues(count(s[2]), rng, isSigned(t)));
      RunResult r = runOp("where", {{"condition", c}, {"trueValue", tv}, {"falseValue", fv}});
      REQUIRE(r.status.isOk());
      REQUIRE(r.outputs[0].desc == OperandDesc{t, out});
      for (size_t o = 0; o < r.outputs[0].count(); ++o) {
        double e = c.value(broadcastIndex(out, s[0], o)) != 0 ? tv.value(broadcastIndex(out, s[1], o))
                                                              : fv.value(broadcastIndex(out, s[2], o));
        CHECK(r.outputs[0].value(o) == e);
      }
    }
}

TEST_CASE("logical validation errors name the op and label", "[logical]") {
  TensorData f = fromDoubles(DataType::Float32, {2}, {1, 2});
  TensorData i = fromDoubles(DataType::Int32, {2}, {1, 2});
  TensorData u3 = fromDoubles(DataType::Uint8, {3}, {1, 2, 3});
  auto expectTypeError = [](Status s, const std::string& prefix) {
    CHECK(s.kind() == ErrorKind::TypeError);
    CHECK(s.message().find(prefix) == 0);
  };
  expectTypeError(opStatus("equal", {{"a", f}, {"b", i}}, {}, "e"), "equal [e]:");
  expectTypeError(opStatus("greater", {{"a", f}, {"b", fromDoubles(DataType::Float32, {3}, {1, 2, 3})}}, {}, "g"), "greater [g]:");
  expectTypeError(opStatus("logicalAnd", {{"a", f}, {"b", f}}, {}, "x"), "logicalAnd [x]:");
  expectTypeError(opStatus("logicalNot", {{"input", i}}, {}, "n"), "logicalNot [n]:");
  expectTypeError(opStatus("isNaN", {{"input", i}}, {}, "q"), "isNaN [q]:");
  expectTypeError(opStatus("where", {{"condition", f}, {"trueValue", f}, {"falseValue", f}}, {}, "w"), "where [w]:");
  expectTypeError(opStatus("where", {{"condition", u3}, {"trueValue", f}, {"falseValue", f}}, {}, "w"), "where [w]:");
  expectTypeError(opStatus("where", {{"condition", fromDoubles(DataType::Uint8, {2}, {1, 0})}, {"trueValue", f}, {"falseValue", i}}, {}, "w"), "where [w]:");
}
