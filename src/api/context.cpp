#include "api/context.h"

#include <cstring>

#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {

std::unique_ptr<Tensor> Context::createTensor(const OperandDesc& desc) {
  Status s = validateDescriptor(desc, "createTensor");
  if (!s.isOk()) {
    setError(s);
    return nullptr;
  }
  AlignedBuffer buffer;
  if (!buffer.allocate(size_t(desc.byteLength()), /*zero=*/true)) {
    setError(Status::error(ErrorKind::UnknownError, "createTensor: out of memory allocating " +
                                                        std::to_string(desc.byteLength()) + " bytes for " +
                                                        descToString(desc)));
    return nullptr;
  }
  return std::make_unique<Tensor>(desc, std::move(buffer));
}

namespace {

// Operand arguments that live in an options dictionary in the spec (absent unless given). Every
// other operand argument an op lists in its limits is required.
bool isOptionalOperand(const std::string& op, const std::string& name) {
  if (name == "bias" || name == "c" || name == "recurrentBias" || name == "initialHiddenState" ||
      name == "initialCellState" || name == "peepholeWeight")
    return true;
  if (name == "scale")
    return op == "batchNormalization" || op == "instanceNormalization" || op == "layerNormalization";
  return false;
}

}  // namespace

// The op's operand arguments against its registered limits: every name is one the op takes, every
// required one is present, and only sequences ("inputs") repeat. The JS layer guarantees this for
// calls made through the API; native callers (and the fuzzer) get a TypeError instead of a crash.
static Status checkOperandArguments(const OpDef& def, const Node& node) {
  // A single operand may arrive as "a" or "input" (some ops read either, e.g. isNaN's unaryOperand).
  auto alias = [](const std::string& name) -> std::string {
    return name == "a" ? "input" : name == "input" ? "a" : "";
  };
  auto listedExactly = [&](const std::string& name) {
    for (const TensorLimits& l : def.limits)
      if (l.name == name) return true;
    return false;
  };
  auto listed = [&](const std::string& name) { return listedExactly(name) || listedExactly(alias(name)); };
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const std::string& name = node.inputs[i].first;
    if (isOutputLimit(name) || !listed(name))
      return Status::typeError(node.displayName() + ": '" + name + "' is not an operand argument of " + node.op);
    if (name != "inputs")
      for (size_t j = 0; j < i; ++j)
        if (node.inputs[j].first == name)
          return Status::typeError(node.displayName() + ": the operand argument '" + name + "' is given twice");
  }
  for (const TensorLimits& l : def.limits) {
    if (isOutputLimit(l.name) || isOptionalOperand(node.op, l.name)) continue;
    if (node.input(l.name) < 0 && (alias(l.name).empty() || node.input(alias(l.name)) < 0))
      return Status::typeError(node.displayName() + ": the operand argument '" + l.name + "' is required");
  }
  return Status::ok();
}

// Each operand argument against its registered limits, which are what opSupportLimits() reports:
// the spec's "allowed data types" and "allowed ranks" steps, in one place for every op.
static Status checkOperandLimits(const Graph& g, const OpDef& def, const Node& node) {
  for (auto& [name, id] : node.inputs)
    for (const TensorLimits& l : def.limits) {
      if (l.name != name && !(l.name == "input" && name == "a") && !(l.name == "a" && name == "input")) continue;
      const OperandDesc& d = g.desc(id);
      WEBNN_RETURN_IF_ERROR(checkDataType(node, name.c_str(), d, l.dataTypes));
      WEBNN_RETURN_IF_ERROR(checkRank(node, name.c_str(), d, l.minRank, l.maxRank));
      break;
    }
  return Status::ok();
}

bool GraphBuilder::checkUsable(const char* what) {
  if (!built_) return true;
  setError(Status::invalidState(std::string(what) + ": this MLGraphBuilder has already built a graph"));
  return false;
}

int GraphBuilder::input(const std::string& name, const OperandDesc& desc) {
  if (!checkUsable("input")) return -1;
  if (name.empty()) {
    setError(Status::typeError("input: the name must not be empty"));
    return -1;
  }
  for (const std::string& n : inputNames_)
    if (n == name) {
      setError(Status::typeError("input: an input named '" + name + "' already exists"));
      return -1;
    }
  Status s = validateGraphOperand(desc, "input '" + name + "'");
  if (!s.isOk()) {
    setError(s);
    return -1;
  }
  inputNames_.push_back(name);
  graph_.operands.push_back(Operand{desc, OperandKind::Input, name, nullptr, -1});
  return int(graph_.operands.size()) - 1;
}

int GraphBuilder::constant(const OperandDesc& desc, const void* data, size_t byteLength) {
  if (!checkUsable("constant")) return -1;
  Status s = validateGraphOperand(desc, "constant");
  if (!s.isOk()) {
    setError(s);
    return -1;
  }
  if (byteLength != desc.byteLength()) {
    setError(Status::typeError("constant: the buffer has " + std::to_string(byteLength) + " bytes but " +
                               descToString(desc) + " needs " + std::to_string(desc.byteLength())));
    return -1;
  }
  auto buffer = std::make_shared<AlignedBuffer>();
  if (!buffer->allocate(byteLength)) {
    setError(Status::error(ErrorKind::UnknownError, "constant: out of memory for " + descToString(desc)));
    return -1;
  }
  if (byteLength) std::memcpy(buffer->data(), data, byteLength);
  graph_.operands.push_back(Operand{desc, OperandKind::Constant, "", std::move(buffer), -1});
  return int(graph_.operands.size()) - 1;
}

std::vector<int> GraphBuilder::addOperation(const std::string& op, const std::vector<std::pair<std::string, int>>& inputs,
                                            const Attributes& attrs, const std::string& label) {
  Node node;
  node.op = op;
  node.label = label;
  node.inputs = inputs;
  node.attrs = attrs;
  if (!checkUsable(node.displayName().c_str())) return {};
  const OpDef* def = OpRegistry::instance().find(op);
  if (!def) {
    setError(Status::notSupported(node.displayName() + ": this operator is not supported by webnn-wasm"));
    return {};
  }
  for (auto& [name, id] : inputs)
    if (id < 0 || size_t(id) >= graph_.operands.size()) {
      setError(Status::typeError(node.displayName() + ": " + name + " is not an operand of this builder"));
      return {};
    }
  Status argStatus = checkOperandArguments(*def, node);
  if (argStatus.isOk()) argStatus = checkOperandLimits(graph_, *def, node);
  if (!argStatus.isOk()) {
    setError(argStatus);
    return {};
  }
  std::vector<OperandDesc> outDescs;
  Status s = def->validate(graph_, node, &outDescs);
  if (s.isOk())
    for (const OperandDesc& d : outDescs) {
      s = validateGraphOperand(d, node.displayName() + ": the output " + descToString(d));
      if (!s.isOk()) break;
    }
  if (!s.isOk()) {
    setError(s);
    return {};
  }
  int nodeIndex = int(graph_.nodes.size());
  for (const OperandDesc& d : outDescs) {
    graph_.operands.push_back(Operand{d, OperandKind::Intermediate, "", nullptr, nodeIndex});
    node.outputs.push_back(int(graph_.operands.size()) - 1);
  }
  graph_.nodes.push_back(std::move(node));
  return graph_.nodes.back().outputs;
}

const OperandDesc* GraphBuilder::operandDesc(int id) const {
  if (id < 0 || size_t(id) >= graph_.operands.size()) return nullptr;
  return &graph_.operands[id].desc;
}

std::unique_ptr<CompiledGraph> GraphBuilder::build(const std::vector<std::pair<std::string, int>>& outputs) {
  if (!checkUsable("build")) return nullptr;
  auto fail = [&](Status s) -> std::unique_ptr<CompiledGraph> {
    setError(std::move(s));
    return nullptr;
  };
  if (outputs.empty()) return fail(Status::typeError("build: at least one output is required"));
  for (size_t i = 0; i < outputs.size(); ++i) {
    auto& [name, id] = outputs[i];
    if (name.empty()) return fail(Status::typeError("build: an output name must not be empty"));
    if (id < 0 || size_t(id) >= graph_.operands.size())
      return fail(Status::typeError("build: output '" + name + "' is not an operand of this builder"));
    if (graph_.operands[id].kind != OperandKind::Intermediate)
      return fail(Status::typeError("build: output '" + name + "' is an input or a constant; outputs must be computed by an operator"));
    for (size_t j = 0; j < i; ++j)
      if (outputs[j].first == name) return fail(Status::typeError("build: the output name '" + name + "' is used twice"));
  }
  built_ = true;
  std::unique_ptr<CompiledGraph> compiled;
  Status s = GraphCompiler::compile(graph_, outputs, context_->pool(), &compiled);
  graph_ = Graph();  // the builder is spent: free its copy of the constants
  if (!s.isOk()) return fail(s);
  return compiled;
}

}  // namespace webnn
