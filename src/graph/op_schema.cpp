#include "graph/op_schema.h"

#include <algorithm>

namespace webnn {
namespace {

// The .inc as data: one row per operand or result, in the .inc's order. Filling the vectors from a
// constant table in one loop keeps the schema out of the code (a push_back per line inlined ~370
// times made this the engine's largest object file after the binary kernels).
struct TensorRow {
  OpType type;
  bool result;
  TensorSpec spec;
};
const TensorRow kTensorRows[] = {
#define WEBNN_OP(...)
#define WEBNN_OPERAND(type, name, role, dataTypes, minRank, maxRank) \
  {OpType::type, false, {name, OperandRole::role, dataTypes, minRank, maxRank}},
#define WEBNN_RESULT(type, name, dataTypes, minRank, maxRank) \
  {OpType::type, true, {name, OperandRole::Required, dataTypes, minRank, maxRank}},
#define WEBNN_BINARY(...)
#include "graph/op_schema.inc"
#undef WEBNN_OP
#undef WEBNN_OPERAND
#undef WEBNN_RESULT
#undef WEBNN_BINARY
};

std::vector<OpSchema> buildSchemas() {
  // One entry per op, and a blank one (no name, no traits) for OpType::Count, a Node's type before
  // it is set, so asking a trait of such a node is safe.
  std::vector<OpSchema> schemas(kOpTypeCount + 1);
  schemas[kOpTypeCount] = OpSchema{OpType::Count, "", false, ElementwiseKind::None, nullptr, nullptr, nullptr, false, {}, {}};
#define WEBNN_OP(type, name, float16Native, elementwise, bias, biasScale, layoutAttr, nhwcIO)                \
  schemas[size_t(OpType::type)] = OpSchema{OpType::type, name, float16Native, ElementwiseKind::elementwise, \
                                           bias, biasScale, layoutAttr, nhwcIO, {}, {}};
#define WEBNN_OPERAND(...)
#define WEBNN_RESULT(...)
#define WEBNN_BINARY(...)
#include "graph/op_schema.inc"
#undef WEBNN_OP
#undef WEBNN_OPERAND
#undef WEBNN_RESULT
#undef WEBNN_BINARY
  for (const TensorRow& row : kTensorRows) {
    OpSchema& s = schemas[size_t(row.type)];
    (row.result ? s.results : s.operands).push_back(row.spec);
  }
  return schemas;
}

const std::vector<OpSchema>& schemas() {
  static const std::vector<OpSchema> table = buildSchemas();
  return table;
}

}  // namespace

const TensorSpec* OpSchema::operand(const std::string& argument) const {
  for (const TensorSpec& t : operands)
    if (argument == t.name) return &t;
  return nullptr;
}

const OpSchema& opSchema(OpType type) { return schemas()[std::min(size_t(type), kOpTypeCount)]; }

bool opTypeOf(const std::string& name, OpType* out) {
  for (const OpSchema& s : schemas())
    if (s.type != OpType::Count && name == s.name) {
      *out = s.type;
      return true;
    }
  return false;
}

}  // namespace webnn
