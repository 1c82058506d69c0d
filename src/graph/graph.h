// The graph IR: operands (inputs, constants, intermediates) and nodes that name a spec op, its
// operand inputs by the spec's argument names, its attributes and its outputs.
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "core/aligned_buffer.h"
#include "graph/attributes.h"
#include "graph/operand.h"

namespace webnn {

enum class OperandKind { Input, Constant, Intermediate };

struct Operand {
  OperandDesc desc;
  OperandKind kind = OperandKind::Intermediate;
  std::string name;                         // for inputs
  std::shared_ptr<AlignedBuffer> constant;  // for constants
  int producer = -1;                        // node index, for intermediates
};

struct Node {
  std::string op;     // the spec's method name, e.g. "conv2d"
  std::string label;  // MLOperatorOptions.label
  std::vector<std::pair<std::string, int>> inputs;  // (argument name, operand id); sequences repeat a name
  Attributes attrs;
  std::vector<int> outputs;
  bool removed = false;     // set by compiler passes that fold this node into another
  int fusedActivation = -1;  // index of an activation node folded into this one's output stage
  std::string fusedName;     // "+add+relu": what was folded in, for the plan report
  std::vector<int> chainNodes;   // element-wise nodes fused after this one (elementwise_fusion.cpp)
  std::vector<int> chainValues;  // the running value each op of the chain reads (this node's first)
  bool nhwcIn = false, nhwcOut = false;  // layout pass: an NCHW op reading/writing NHWC data as is
  // A node that absorbed later nodes (fusion, element-wise chains) is lowered at the position of the
  // last one it absorbed: the producers of every operand the absorbed nodes read come before it.
  int lowerAt = -1;

  // The operand bound to argument `name`, or -1 when absent.
  int input(const std::string& name) const {
    for (auto& [n, id] : inputs)
      if (n == name) return id;
    return -1;
  }
  std::vector<int> inputList(const std::string& name) const {
    std::vector<int> ids;
    for (auto& [n, id] : inputs)
      if (n == name) ids.push_back(id);
    return ids;
  }
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

// The single live node that reads `operand`, or -1 when none or several do. A node reading it
// through two of its inputs counts once when sameNodeTwice is true, as two readers otherwise. An
// element-wise chain's head reads what its absorbed nodes read (their side operands).
inline int soleConsumer(const Graph& g, int operand, bool sameNodeTwice = false) {
  int found = -1;
  for (size_t i = 0; i < g.nodes.size(); ++i) {
    const Node& n = g.nodes[i];
    if (n.removed) continue;
    for (size_t part = 0; part <= n.chainNodes.size(); ++part) {
      const Node& reader = part == 0 ? n : g.nodes[n.chainNodes[part - 1]];
      for (auto& in : reader.inputs) {
        if (in.second != operand) continue;
        if (found >= 0 && !(sameNodeTwice && found == int(i))) return -1;
        found = int(i);
      }
    }
  }
  return found;
}

}  // namespace webnn
