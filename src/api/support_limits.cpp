#include "api/support_limits.h"

#include "graph/operand.h"
#include "ops/op_registry.h"

namespace webnn {

static std::string tensorLimitsJson(DataTypeSet types, int minRank, int maxRank) {
  std::string s = "{\"dataTypes\":[";
  bool first = true;
  for (int i = 0; i < kDataTypeCount; ++i) {
    if (!(types & (1u << i))) continue;
    s += std::string(first ? "" : ",") + "\"" + dataTypeName(static_cast<DataType>(i)) + "\"";
    first = false;
  }
  return s + "],\"rankRange\":{\"min\":" + std::to_string(minRank) + ",\"max\":" + std::to_string(maxRank) + "}}";
}

std::string opSupportLimitsJson() {
  std::string s = "{\"preferredInputLayout\":\"nhwc\",\"maxTensorByteLength\":" + std::to_string(kMaxTensorByteLength);
  s += ",\"input\":" + tensorLimitsJson(kAllTypes, 0, int(kMaxRank));
  s += ",\"constant\":" + tensorLimitsJson(kAllTypes, 0, int(kMaxRank));
  s += ",\"output\":" + tensorLimitsJson(kAllTypes, 0, int(kMaxRank));
  // Every registered op, with the operand and result limits of its schema entry.
  for (const OpDef& op : OpRegistry::instance().all()) {
    s += ",\"" + op.name + "\":{";
    bool first = true;
    for (const auto* list : {&op.schema->operands, &op.schema->results})
      for (const TensorSpec& t : *list) {
        s += std::string(first ? "\"" : ",\"") + t.name + "\":" + tensorLimitsJson(t.dataTypes, t.minRank, t.maxRank);
        first = false;
      }
    s += "}";
  }
  return s + "}";
}

}  // namespace webnn
