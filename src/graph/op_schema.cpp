#include "graph/op_schema.h"

#include <algorithm>

namespace webnn {
namespace {

std::vector<OpSchema> buildSchemas() {
  // One entry per op, and a blank one (no name, no traits) for OpType::Count, a Node's type before
  // it is set, so asking a trait of such a node is safe.
  std::vector<OpSchema> schemas(kOpTypeCount + 1);
  schemas[kOpTypeCount] = OpSchema{OpType::Count, "", false, ElementwiseKind::None, nullptr, nullptr, nullptr, false, {}, {}};
#define WEBNN_OP(type, name, float16Native, elementwise, bias, biasScale, layoutAttr, nhwcIO)                \
  schemas[size_t(OpType::type)] = OpSchema{OpType::type, name, float16Native, ElementwiseKind::elementwise, \
                                           bias, biasScale, layoutAttr, nhwcIO, {}, {}};
#define WEBNN_OPERAND(type, name, role, dataTypes, minRank, maxRank) \
  schemas[size_t(OpType::type)].operands.push_back({name, OperandRole::role, dataTypes, minRank, maxRank});
#define WEBNN_RESULT(type, name, dataTypes, minRank, maxRank) \
  schemas[size_t(OpType::type)].results.push_back({name, OperandRole::Required, dataTypes, minRank, maxRank});
#define WEBNN_BINARY(...)
#include "graph/op_schema.inc"
#undef WEBNN_OP
#undef WEBNN_OPERAND
#undef WEBNN_RESULT
#undef WEBNN_BINARY
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
