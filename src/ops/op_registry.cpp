#include "ops/op_registry.h"

namespace webnn {

const OpRegistry& OpRegistry::instance() {
  static const OpRegistry registry = [] {
    OpRegistry r;
#define X(family) register##family##Ops(r);
    WEBNN_OP_FAMILIES(X)
#undef X
    return r;
  }();
  return registry;
}

const OpDef* OpRegistry::find(const std::string& name) const {
  for (const OpDef& def : ops_)
    if (def.name == name) return &def;
  return nullptr;
}

}  // namespace webnn
