// Element-wise unary ops through GraphBuilder against naive references.
#include <catch2/catch.hpp>

#include <cmath>
#include <limits>

#include "harness.h"

using namespace webnn;
using namespace webnn::test;

namespace {

double refUnary(const std::string& op, double x) {
  if (op == "abs") return std::fabs(x);
  if (op == "ceil") return std::ceil(x);
  if (op == "cos") return std::cos(x);
  if (op == "erf") return std::erf(x);
  if (op == "exp") return std::exp(x);
  if (op == "floor") return std::floor(x);
  if (op == "identity") return x;
  if (op == "log") return std::log(x);
  if (op == "neg") return -x;
  if (op == "reciprocal") return 1.0 / x;
  if (op == "roundEven") return std::nearbyint(x);
  if (op == "sign") return x > 0 ? 1 : x < 0 ? -1 : 0;
  if (op == "sin") return std::sin(x);
  if (op == "sqrt") return std::sqrt(x);
  return std::tan(x);
}

const char* kFloatOps[] = {"abs", "ceil", "cos", "erf", "exp", "floor", "identity", "log",
                           "neg", "reciprocal", "roundEven", "sign", "sin", "sqrt", "tan"};

std::vector<double> inputsFor(const std::string& op, size_t n, Rng& rng) {
  std::vector<double> v(n);
  for (auto& x : v) {
    x = rng.uniform(-4.f, 4.f);
    if (op == "log" || op == "sqrt") x = std::fabs(x) + 0.01;
    if (op == "tan") x = rng.uniform(-1.4f, 1.4f);
  }
  return v;
}

}  // namespace

TEST_CASE("unary float32 ops match the reference within a few ULP", "[unary]") {
  Rng rng(1);
  for (const char* op : kFloatOps) {
    for (Shape shape : {Shape{}, Shape{7}, Shape{2, 3, 5}, Shape{4, 1, 2, 2, 3}}) {
      size_t n = OperandDesc{DataType::Float32, shape}.elementCount();
      std::vector<double> x = inputsFor(op, n, rng);
      if (std::string(op) == "roundEven" && n >= 7) x[0] = 2.5, x[1] = -0.5, x[2] = 3.5, x[3] = -2.5;
      TensorData in = fromDoubles(DataType::Float32, shape, x);
      RunResult r = runOp(op, {{"input", in}});
      REQUIRE(r.status.isOk());
      REQUIRE(r.outputs[0].desc == in.desc);
      for (size_t i = 0; i < n; ++i) {
        float expected = float(refUnary(op, in.value(i)));
        INFO(op << " x=" << in.value(i) << " got " << r.outputs[0].value(i) << " expected " << expected);
        CHECK(ulpDistance(float(r.outputs[0].value(i)), expected) <= 4);
      }
    }
  }
}

TEST_CASE("unary float16 ops compute in float32 and round once", "[unary][float16]") {
  Rng rng(2);
  for (const char* op : kFloatOps) {
    Shape shape{3, 4};
    std::vector<double> x = inputsFor(op, 12, rng);
    TensorData in = fromDoubles(DataType::Float16, shape, x);
    RunResult r = runOp(op, {{"input", in}});
    REQUIRE(r.status.isOk());
    REQUIRE(r.outputs[0].desc.dataType == DataType::Float16);
    for (size_t i = 0; i < 12; ++i) {
      double expected = refUnary(op, in.value(i));
      INFO(op << " x=" << in.value(i));
      CHECK(close(r.outputs[0].value(i), expected, 1e-3, 1e-3));  // float16: ~2^-11 relative
    }
  }
}

TEST_CASE("abs, neg, sign on signed integers wrap at the minimum", "[unary]") {
  for (DataType t : {DataType::Int8, DataType::Int32, DataType::Int64}) {
    double lo = t == DataType::Int8 ? -128 : t == DataType::Int32 ? -2147483648.0 : -9223372036854775808.0;
    std::vector<double> x{lo, -5, -1, 0, 1, 7, 100};
    TensorData in = fromDoubles(t, {7}, x);
    RunResult a = runOp("abs", {{"input", in}}), n = runOp("neg", {{"input", in}}), s = runOp("sign", {{"input", in}});
    REQUIRE(a.status.isOk());
    REQUIRE(n.status.isOk());
    REQUIRE(s.status.isOk());
    for (size_t i = 0; i < x.size(); ++i) {
      double expAbs = i == 0 ? lo : std::fabs(x[i]);  // |min| wraps to min
      double expNeg = i == 0 ? lo : -x[i];
      CHECK(a.outputs[0].value(i) == expAbs);
      CHECK(n.outputs[0].value(i) == expNeg);
      CHECK(s.outputs[0].value(i) == (x[i] > 0 ? 1 : x[i] < 0 ? -1 : 0));
    }
  }
}

TEST_CASE("identity copies every data type, float16 bits included", "[unary]") {
  for (DataType t : allDataTypes()) {
    TensorData in = fromDoubles(t, {2, 3}, {0, 1, 2, 3, 100, 7});
    RunResult r = runOp("identity", {{"input", in}});
    REQUIRE(r.status.isOk());
    CHECK(r.outputs[0].bytes == in.bytes);
  }
}

TEST_CASE("unary ops reject data types the spec does not allow, naming op and label", "[unary]") {
  TensorData u8 = fromDoubles(DataType::Uint8, {2}, {1, 2});
  TensorData i32 = fromDoubles(DataType::Int32, {2}, {1, 2});
  for (const char* op : {"abs", "neg", "sign"}) {
    Status s = opStatus(op, {{"input", u8}}, {}, "L1");
    CHECK(s.kind() == ErrorKind::TypeError);
    CHECK(s.message().find(std::string(op) + " [L1]") == 0);
  }
  for (const char* op : {"ceil", "cos", "erf", "exp", "floor", "log", "reciprocal", "roundEven", "sin", "sqrt", "tan"}) {
    Status s = opStatus(op, {{"input", i32}}, {}, "lbl");
    CHECK(s.kind() == ErrorKind::TypeError);
    CHECK(s.message().find(std::string(op) + " [lbl]:") == 0);
  }
}
