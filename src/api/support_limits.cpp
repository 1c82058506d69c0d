#include "api/support_limits.h"

#include "graph/operand.h"
#include "ops/op_registry.h"

namespace webnn {

// Everything is appended to one reserved string, not a temporary per piece: this runs at every
// engine load (the TF.js backend's setBackend), in V8's baseline code.
static void appendTensorLimits(std::string& s, DataTypeSet types, int minRank, int maxRank) {
  s += "{\"dataTypes\":[";
  bool first = true;
  for (int i = 0; i < kDataTypeCount; ++i) {
    if (!(types & (1u << i))) continue;
    s += first ? "\"" : ",\"";
    s += dataTypeName(static_cast<DataType>(i));
    s += '"';
    first = false;
  }
  s += "],\"rankRange\":{\"min\":";
  s += std::to_string(minRank);
  s += ",\"max\":";
  s += std::to_string(maxRank);
  s += "}}";
}

std::string opSupportLimitsJson() {
  std::string s;
  s.reserve(32 * 1024);  // ~25 KB with today's ops
  s += "{\"preferredInputLayout\":\"nhwc\",\"maxTensorByteLength\":";
  s += std::to_string(kMaxTensorByteLength);
  for (const char* what : {"input", "constant", "output"}) {
    s += ",\"";
    s += what;
    s += "\":";
    appendTensorLimits(s, kAllTypes, 0, int(kMaxRank));
  }
  // Every registered op, with the operand and result limits of its schema entry.
  for (const OpDef& op : OpRegistry::instance().all()) {
    s += ",\"";
    s += op.name;
    s += "\":{";
    bool first = true;
    for (const auto* list : {&op.schema->operands, &op.schema->results})
      for (const TensorSpec& t : *list) {
        s += first ? "\"" : ",\"";
        s += t.name;
        s += "\":";
        appendTensorLimits(s, t.dataTypes, t.minRank, t.maxRank);
        first = false;
      }
    s += '}';
  }
  s += '}';
  return s;
}

}  // namespace webnn
