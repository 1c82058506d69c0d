// The op schema (src/graph/op_schema.inc, generated from op_schema.mjs) against the registry and the
// generic operand checks of addOperation that derive from it; every op's ranks stay within kMaxRank
// (which the kernels' fixed arrays rely on), and a higher rank is a TypeError.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "graph/op_schema.h"
#include "harness.h"
#include "nd_reference.h"
#include "ops/activation.h"
#include "ops/elementwise_binary.h"
#include "ops/op_registry.h"

using namespace webnn;
using namespace webnn::test;

TEST_CASE("every schema op is registered once, under its own name and traits", "[schema]") {
  const OpRegistry& registry = OpRegistry::instance();
  CHECK(registry.all().size() == kOpTypeCount);
  std::set<std::string> names;
  for (size_t i = 0; i < kOpTypeCount; ++i) {
    OpType type = OpType(i);
    const OpSchema& schema = opSchema(type);
    INFO(schema.name);
    CHECK(schema.type == type);
    CHECK(names.insert(schema.name).second);
    OpType parsed;
    REQUIRE(opTypeOf(schema.name, &parsed));
    CHECK(parsed == type);
    const OpDef* def = registry.find(type);
    REQUIRE(def);
    CHECK(def->type == type);
    CHECK(def->name == schema.name);
    CHECK(def->schema == &schema);
    CHECK(def->float16Native == schema.float16Native);
    CHECK(registry.find(std::string(schema.name)) == def);
    CHECK(!schema.operands.empty());
    CHECK(!schema.results.empty());
    // Exactly the binary ops have a kernel kind, and the passes' traits are consistent.
    BinaryOp kind;
    CHECK(binaryOpOf(type, &kind) == (schema.elementwise == ElementwiseKind::Binary));
    if (schema.nhwcIO) CHECK(schema.layoutAttr != nullptr);
    if (schema.epilogueBias) CHECK(schema.results.size() == 1);
  }
  CHECK(names.size() == 95);
  OpType unknown;
  CHECK_FALSE(opTypeOf("notAnOp", &unknown));
  CHECK_FALSE(opTypeOf("", &unknown));
  CHECK(opSchema(OpType::Count).epilogueBias == nullptr);  // a node whose type is unset has no traits
  CHECK_FALSE(opSchema(OpType::Count).nhwcIO);
  CHECK(registry.find("notAnOp") == nullptr);
}

TEST_CASE("the schema's traits name the ops the passes handle", "[schema]") {
  CHECK(std::string(opSchema(OpType::Conv2d).epilogueBias) == "bias");
  CHECK(std::string(opSchema(OpType::Gemm).epilogueBias) == "c");
  CHECK(std::string(opSchema(OpType::Gemm).epilogueBiasScale) == "beta");
  CHECK(opSchema(OpType::Matmul).epilogueBias != nullptr);
  CHECK(opSchema(OpType::Softmax).epilogueBias == nullptr);
  CHECK(opSchema(OpType::Conv2d).nhwcIO);
  CHECK_FALSE(opSchema(OpType::ConvTranspose2d).nhwcIO);
  CHECK(std::string(opSchema(OpType::MaxPool2d).layoutAttr) == "layout");
  BinaryOp kind = BinaryOp::Add;
  CHECK(binaryOpOf(OpType::Pow, &kind));
  CHECK(kind == BinaryOp::Pow);
  CHECK_FALSE(binaryOpOf(OpType::Relu, &kind));  // an op that is not binary is no binary kernel
  CHECK(opSchema(OpType::Relu).elementwise == ElementwiseKind::Activation);
  // prelu is element-wise but takes a second operand: not an activation the passes can fold.
  CHECK(opSchema(OpType::Prelu).elementwise == ElementwiseKind::None);
}

TEST_CASE("addOperation checks operands against the schema: names, required, optional, types, ranks", "[schema]") {
  TensorData f = fromDoubles(DataType::Float32, {2, 3}, {1, 2, 3, 4, 5, 6});
  TensorData u = fromDoubles(DataType::Uint8, {2, 3}, {1, 0, 1, 0, 1, 0});
  auto message = [](Status s) { return s.message(); };
  // The spec's names: logicalNot and isNaN take `input`; `a` is not theirs.
  CHECK(opStatus("logicalNot", {{"input", u}}).isOk());
  CHECK(message(opStatus("logicalNot", {{"a", u}})) == "logicalNot: 'a' is not an operand argument of logicalNot");
  CHECK(message(opStatus("isNaN", {{"a", f}})) == "isNaN: 'a' is not an operand argument of isNaN");
  // Required operands come from the IDL's positional arguments, optional ones from the options
  // dictionary: gemm without c is fine, without b it is not.
  TensorData m = fromDoubles(DataType::Float32, {3, 2}, {1, 2, 3, 4, 5, 6});
  CHECK(opStatus("gemm", {{"a", f}, {"b", m}}).isOk());
  CHECK(message(opStatus("gemm", {{"a", f}})) == "gemm: the operand argument 'b' is required");
  CHECK(message(opStatus("gemm", {{"a", f}, {"b", m}, {"output", f}})) == "gemm: 'output' is not an operand argument of gemm");
  CHECK(message(opStatus("add", {{"a", f}, {"a", f}, {"b", f}})) == "add: the operand argument 'a' is given twice");
  // Data types and ranks from the schema, with the argument's name.
  CHECK(message(opStatus("softmax", {{"input", u}}, attrs({{"axis", 1.0}}))) ==
        "softmax: the data type of input (uint8) is not supported; expected one of float32, float16");
  TensorData v = fromDoubles(DataType::Float32, {3}, {1, 2, 3});
  CHECK(message(opStatus("gemm", {{"a", v}, {"b", m}})) == "gemm: the rank of a [3] is 1; expected 2");
}

TEST_CASE("every op registers ranks within kMaxRank, and a higher rank is a TypeError", "[dispatch][alloc]") {
  for (const OpDef& def : OpRegistry::instance().all())
    for (const auto* list : {&def.schema->operands, &def.schema->results})
      for (const TensorSpec& l : *list) {
        INFO(def.name << "." << l.name);
        CHECK(size_t(l.maxRank) <= kMaxRank);
      }
  Context ctx(1);
  GraphBuilder gb(&ctx);
  Shape rank9(9, 1);
  int x = gb.input("x", {DataType::Float32, rank9});
  CHECK(gb.addOperation("transpose", {{"input", x}}, {}, "").empty());
  CHECK(gb.error().kind() == ErrorKind::TypeError);
  CHECK(gb.errorMessage().find("transpose") != std::string::npos);
  int y = gb.input("y", {DataType::Float32, {2, 1, 1, 1, 1, 1, 1, 1}});
  CHECK(gb.addOperation("reshape", {{"input", y}}, attrs({{"newShape", nums({1, 1, 1, 1, 1, 1, 1, 1, 2})}}), "").empty());
  CHECK(gb.error().kind() == ErrorKind::TypeError);
  CHECK_FALSE(gb.addOperation("transpose", {{"input", y}}, {}, "").empty());  // rank 8 is fine
}
