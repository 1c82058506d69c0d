// Element-wise binary ops (add, sub, mul, div, max, min, pow) through the C++ API: broadcasting against
// a naive reference, every data type, integer division that never traps, validation errors.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstring>

#include "harness.h"
#include "nd_reference.h"
#include "ops/validation.h"

using namespace webnn;
using namespace webnn::test;

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

TEST_CASE("element-wise binary ops accept float16 and every integer type", "[binary][float16]") {
  Rng rng(11);
  for (DataType t : allDataTypes())
    for (const char* op : {"add", "sub", "mul", "max", "min"}) {
      TensorData a = fromDoubles(t, {2, 3}, smallValues(6, rng, isSigned(t)));
      TensorData b = fromDoubles(t, {3}, smallValues(3, rng, isSigned(t)));
      RunResult r = runOp(op, {{"a", a}, {"b", b}});
      REQUIRE(r.status.isOk());
      for (size_t o = 0; o < 6; ++o) {
        double x = a.value(o), y = b.value(o % 3);
        std::string s = op;
        double e = s == "add" ? x + y : s == "sub" ? x - y : s == "mul" ? x * y : s == "max" ? std::max(x, y) : std::min(x, y);
        if (!isSigned(t) && e < 0) e += t == DataType::Uint8 ? 256.0 : t == DataType::Uint32 ? 4294967296.0 : 18446744073709551616.0;
        INFO(op << " " << dataTypeName(t));
        CHECK(r.outputs[0].value(o) == e);
      }
    }
  // Integer division by zero gives 0 and INT_MIN / -1 wraps (no trap).
  RunResult d = runOp("div", {{"a", makeTensor(DataType::Int32, {2}, std::vector<int32_t>{7, INT32_MIN})},
                              {"b", makeTensor(DataType::Int32, {2}, std::vector<int32_t>{0, -1})}});
  CHECK(d.outputs[0].at<int32_t>(0) == 0);
  CHECK(d.outputs[0].at<int32_t>(1) == INT32_MIN);
}
