#include "api/context.h"

#include <algorithm>
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

bool Context::setCompileOptions(const CompileOptions& options) {
  const std::vector<std::string>& known = compilerPassNames();
  for (const std::string& pass : options.disabledPasses)
    if (std::find(known.begin(), known.end(), pass) == known.end()) {
      setError(Status::typeError("createContext: '" + pass + "' is not a compiler pass of webnn-wasm"));
      return false;
    }
  compileOptions_ = options;
  return true;
}

namespace {

// Room for k more elements, growing geometrically (reserve(size + k) alone would reallocate, and
// copy everything, on every call). May throw std::bad_alloc; a push_back after it cannot.
template <typename V>
void reserveFor(V& v, size_t k) {
  if (v.capacity() - v.size() < k) v.reserve(std::max(v.size() + k, 2 * v.capacity()));
}

}  // namespace

// The op's operand arguments against its schema entry: every name is one the op takes, every
// required one is present, and only sequences ("inputs") repeat. The JS layer guarantees this for
// calls made through the API; native callers (and the fuzzer) get a TypeError instead of a crash.
static Status checkOperandArguments(const OpSchema& schema, const Node& node) {
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const std::string& name = node.inputs[i].first;
    const TensorSpec* spec = schema.operand(name);
    if (!spec)
      return Status::typeError(node.displayName() + ": '" + name + "' is not an operand argument of " + node.op);
    if (spec->role != OperandRole::Sequence)
      for (size_t j = 0; j < i; ++j)
        if (node.inputs[j].first == name)
          return Status::typeError(node.displayName() + ": the operand argument '" + name + "' is given twice");
  }
  for (const TensorSpec& spec : schema.operands)
    if (spec.role != OperandRole::Optional && node.input(spec.name) < 0)
      return Status::typeError(node.displayName() + ": the operand argument '" + spec.name + "' is required");
  return Status::ok();
}

// Each operand argument against its schema limits, which are what opSupportLimits() reports: the
// spec's "allowed data types" and "allowed ranks" steps, in one place for every op (validate keeps
// only the relational rules).
static Status checkOperandLimits(const Graph& g, const OpSchema& schema, const Node& node) {
  for (auto& [name, id] : node.inputs) {
    const TensorSpec& spec = *schema.operand(name);  // checkOperandArguments found it
    const OperandDesc& d = g.desc(id);
    WEBNN_RETURN_IF_ERROR(checkDataType(node, spec.name, d, spec.dataTypes));
    WEBNN_RETURN_IF_ERROR(checkRank(node, spec.name, d, size_t(spec.minRank), size_t(spec.maxRank)));
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
  if (inputNames_.count(name)) {
    setError(Status::typeError("input: an input named '" + name + "' already exists"));
    return -1;
  }
  Status s = validateGraphOperand(desc, "input '" + name + "'");
  if (!s.isOk()) {
    setError(s);
    return -1;
  }
  // Everything that may throw std::bad_alloc first, then changes that cannot fail: a builder that
  // ran out of memory half-way stays consistent (and usable once memory is freed).
  Operand operand{desc, OperandKind::Input, name, nullptr, -1};
  reserveFor(graph_.operands, 1);
  inputNames_.insert(name);
  graph_.operands.push_back(std::move(operand));
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
  if (byteLength && data) std::memcpy(buffer->data(), data, byteLength);
  Operand operand{desc, OperandKind::Constant, "", std::move(buffer), -1};
  reserveFor(graph_.operands, 1);
  graph_.operands.push_back(std::move(operand));
  return int(graph_.operands.size()) - 1;
}

uint8_t* GraphBuilder::constantData(int id) {
  if (id < 0 || size_t(id) >= graph_.operands.size() || !graph_.operands[id].constant) return nullptr;
  return graph_.operands[id].constant->data();
}

std::vector<int> GraphBuilder::addOperation(const std::string& op, const std::vector<std::pair<std::string, int>>& inputs,
                                            const Attributes& attrs, const std::string& label) {
  Node node;
  node.op = op;
  node.label = label;
  node.inputs = inputs;
  node.attrs = attrs;
  if (!checkUsable(node.displayName().c_str())) return {};
  const OpDef* def = opTypeOf(op, &node.type) ? OpRegistry::instance().find(node.type) : nullptr;
  if (!def) {
    setError(Status::notSupported(node.displayName() + ": this operator is not supported by webnn-wasm"));
    return {};
  }
  for (auto& [name, id] : inputs)
    if (id < 0 || size_t(id) >= graph_.operands.size()) {
      setError(Status::typeError(node.displayName() + ": " + name + " is not an operand of this builder"));
      return {};
    }
  Status argStatus = checkOperandArguments(*def->schema, node);
  if (argStatus.isOk()) argStatus = checkOperandLimits(graph_, *def->schema, node);
  if (!argStatus.isOk()) {
    setError(argStatus);
    return {};
  }
  std::vector<OperandDesc> outDescs;
  Status s = def->validate(graph_, node, &outDescs, &node.params);
  if (s.isOk())
    for (const OperandDesc& d : outDescs) {
      s = validateGraphOperand(d, node.displayName() + ": the output " + descToString(d));
      if (!s.isOk()) break;
    }
  if (!s.isOk()) {
    setError(s);
    return {};
  }
  // Allocations first (see input()), then moves into reserved space, which cannot fail.
  int nodeIndex = int(graph_.nodes.size());
  std::vector<Operand> outputs;
  for (const OperandDesc& d : outDescs) {
    outputs.push_back(Operand{d, OperandKind::Intermediate, "", nullptr, nodeIndex});
    node.outputs.push_back(int(graph_.operands.size() + outputs.size()) - 1);
  }
  reserveFor(graph_.operands, outputs.size());
  reserveFor(graph_.nodes, 1);
  for (Operand& o : outputs) graph_.operands.push_back(std::move(o));
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
  // The builder is spent: the compiler takes its graph (and the only references to the constants),
  // so each constant can be freed as soon as it is packed.
  Status s = GraphCompiler::compile(std::move(graph_), outputs, context_->pool(), &compiled, context_->compileOptions());
  graph_ = Graph();
  // The spec rejects a graph the implementation cannot build with an OperationError (out of memory
  // packing weights or allocating the arena included); NotSupportedError stays as it is.
  if (!s.isOk() && s.kind() == ErrorKind::UnknownError) s = Status::error(ErrorKind::OperationError, s.message());
  if (!s.isOk()) return fail(s);
  return compiled;
}

}  // namespace webnn
