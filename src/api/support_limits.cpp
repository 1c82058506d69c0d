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
  s += ",\"input\":" + tensorLimitsJson(kAllTypes, 0, 8);
  s += ",\"constant\":" + tensorLimitsJson(kAllTypes, 0, 8);
  s += ",\"output\":" + tensorLimitsJson(kAllTypes, 0, 8);
  for (const OpDef& op : OpRegistry::instance().all()) {
    s += ",\"" + op.name + "\":{";
    for (size_t i = 0; i < op.limits.size(); ++i) {
      const TensorLimits& t = op.limits[i];
      s += (i ? ",\"" : "\"") + t.name + "\":" + tensorLimitsJson(t.dataTypes, t.minRank, t.maxRank);
    }
    s += "}";
  }
  return s + "}";
}

}  // namespace webnn
