// The graph IR: operands (inputs, constants, intermediates) and nodes that name a spec op (OpType), its
// operand inputs by the spec's argument names, its attributes and its outputs.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/aligned_buffer.h"
#include "graph/attributes.h"
#include "graph/op_schema.h"
#include "graph/operand.h"

namespace webnn {

enum class OperandKind { Input, Constant, Intermediate };

struct Operand {
  OperandDesc desc;
  OperandKind kind = OperandKind::Intermediate;
  std::string name;                         // for inputs
  std::shared_ptr<AlignedBuffer> constant;  // for constants
  int producer = -1;                        // node index, for intermediates
  // A float32 constant widened from this float16 constant only when a lowering first needs it
  // (float16.cpp, constant_lifetime.h); `constant` is null until then.
  int float16Source = -1;
};

// What an op's validate parsed and derived from the node's attributes and operand shapes (axes,
// window geometry, ...), stored on the node and read by its lower: nothing is parsed twice. Each op
// family that has parameters derives its own struct (e.g. Conv2dParams in ops/conv2d.cpp).
struct OpParams {
  virtual ~OpParams() = default;
};

struct Node {
  OpType type = OpType::Count;  // what passes and lowerings ask (its schema: opSchema(type))
  std::string op;     // the spec's method name of `type`, e.g. "conv2d", for messages and reports
  std::string label;  // MLOperatorOptions.label
  std::vector<std::pair<std::string, int>> inputs;  // (argument name, operand id); sequences repeat a name
  Attributes attrs;
  std::shared_ptr<const OpParams> params;  // set by the op's validate (null for ops without)
  std::vector<int> outputs;
  bool removed = false;     // set by compiler passes that fold this node into another
  // Activation nodes folded into this one's output stage, in order (several only when they are
  // clamps that compose into one, e.g. relu then clamp(0, 6)).
  std::vector<int> fusedActivations;
  std::string fusedName;     // "+add+relu": what was folded in, for the plan report
  std::vector<int> chainNodes;   // element-wise nodes fused after this one (elementwise_fusion.cpp)
  std::vector<int> chainValues;  // the running value each op of the chain reads (this node's first)
  bool nhwcIn = false, nhwcOut = false;  // layout pass: an NCHW op reading/writing NHWC data as is
  // A node that absorbed later nodes (fusion, element-wise chains) is lowered at the position of the
  // last one it absorbed: the producers of every operand the absorbed nodes read come before it.
  int lowerAt = -1;
  // The chain head that absorbed this (removed) node, whose step reads what this node read.
  int absorbedBy = -1;

  // The operand bound to argument `name`, or -1 when absent.
  int input(const std::string& name) const {
    for (auto& [n, id] : inputs)
      if (n == name) return id;
    return -1;
  }
  // Binds argument `name` (not a sequence) to `id`: replaces its operand, or adds the argument.
  void setInput(const std::string& name, int id) {
    for (auto& [n, bound] : inputs)
      if (n == name) {
        bound = id;
        return;
      }
    inputs.push_back({name, id});
  }
  std::vector<int> inputList(const std::string& name) const {
    std::vector<int> ids;
    for (auto& [n, id] : inputs)
      if (n == name) ids.push_back(id);
    return ids;
  }
  // The Params struct this node's validate stored (the caller names the op's own type).
  template <typename P>
  const P& paramsAs() const { return static_cast<const P&>(*params); }
  // "conv2d" or "conv2d [my label]": how errors name this node.
  std::string displayName() const { return label.empty() ? op : op + " [" + label + "]"; }
};

struct Graph {
  std::vector<Operand> operands;
  std::vector<Node> nodes;

  const OperandDesc& desc(int id) const { return operands[id].desc; }
  bool isConstant(int id) const { return operands[id].kind == OperandKind::Constant; }
  template <typename T>
  const T* constantData(int id) const { return operands[id].constant->as<T>(); }
};

// Which nodes read each operand (a node reading it through k inputs is listed k times), indexed
// once per pass: scanning every node per query made the fusion passes quadratic in the node count.
// An index built at the start of a pass stays valid while the pass marks nodes removed (they are
// skipped when queried) and gives nodes inputs only on operands it creates (never queried).
class Readers {
 public:
  explicit Readers(const Graph& g) : g_(g), start_(g.operands.size() + 1, 0) {
    for (const Node& n : g.nodes)
      for (auto& in : n.inputs) ++start_[size_t(in.second) + 1];
    for (size_t i = 1; i < start_.size(); ++i) start_[i] += start_[i - 1];
    nodes_.resize(start_.back());
    std::vector<size_t> next(start_.begin(), start_.end() - 1);
    for (size_t i = 0; i < g.nodes.size(); ++i)
      for (auto& in : g.nodes[i].inputs) nodes_[next[size_t(in.second)]++] = int(i);
  }
  const Graph& graph() const { return g_; }
  // The nodes (removed ones included) reading `operand`, or none for an operand created later.
  std::pair<const int*, const int*> of(int operand) const {
    if (operand < 0 || size_t(operand) + 1 >= start_.size()) return {nullptr, nullptr};
    return {nodes_.data() + start_[operand], nodes_.data() + start_[operand + 1]};
  }

 private:
  const Graph& g_;
  std::vector<size_t> start_;  // CSR: readers of operand i are nodes_[start_[i], start_[i + 1])
  std::vector<int> nodes_;
};

// The live node producing `operand`, or -1 (a graph input, a constant, a removed node).
inline int producerOf(const Graph& g, int operand) {
  const int p = g.operands[operand].producer;
  return p >= 0 && !g.nodes[p].removed ? p : -1;
}

// The single live node that reads `operand`, or -1 when none or several do. A node reading it
// through two of its inputs counts once when sameNodeTwice is true, as two readers otherwise. An
// element-wise chain's head reads what its absorbed nodes read (their side operands).
inline int soleConsumer(const Readers& readers, int operand, bool sameNodeTwice = false) {
  const std::vector<Node>& nodes = readers.graph().nodes;
  int found = -1;
  auto [begin, end] = readers.of(operand);
  for (const int* it = begin; it != end; ++it) {
    int reader = *it;
    if (nodes[reader].removed) {
      reader = nodes[reader].absorbedBy;  // read by the chain's step, if it was absorbed into one
      if (reader < 0 || nodes[reader].removed) continue;
    }
    if (found >= 0 && !(sameNodeTwice && found == reader)) return -1;
    found = reader;
  }
  return found;
}

}  // namespace webnn
