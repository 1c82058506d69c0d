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

void OpRegistry::add(OpType type, ValidateFn validate, LowerFn lower) {
  const OpSchema& schema = opSchema(type);
  ops_.push_back(OpDef{type, schema.name, validate, lower, schema.float16Native, &schema});
  index_[size_t(type)] = int(ops_.size());
}

const OpDef* OpRegistry::find(OpType type) const {
  if (size_t(type) >= kOpTypeCount || !index_[size_t(type)]) return nullptr;
  return &ops_[index_[size_t(type)] - 1];
}

const OpDef* OpRegistry::find(const std::string& name) const {
  OpType type;
  return opTypeOf(name, &type) ? find(type) : nullptr;
}

}  // namespace webnn
