// Helpers of the passes that recognise an op written out as several or fold one op into another
// (gelu-recognition, layernorm-recognition, batchnorm-folding): walking a pattern's nodes through
// the graph's readers, and the constants they may read.
#pragma once
#include <initializer_list>
#include <vector>

#include "graph/graph.h"

namespace webnn {

// True when operand id is a float32 constant whose data is at hand.
inline bool isFloat32Constant(const Graph& g, int id) {
  return id >= 0 && g.isConstant(id) && g.operands[id].constant && g.desc(id).dataType == DataType::Float32;
}

// The other operand of binary node ni of `type` that reads v through one of its inputs, or -1.
inline int otherOperand(const Graph& g, int ni, OpType type, int v) {
  if (ni < 0 || g.nodes[ni].removed || g.nodes[ni].type != type) return -1;
  const int a = g.nodes[ni].input("a"), b = g.nodes[ni].input("b");
  if (a == v && b != v) return b;
  if (b == v && a != v) return a;
  return -1;
}

struct PatternMatcher {
  const Graph& g;
  const std::vector<bool>& keep;  // graph outputs (operands created since are not)
  const Readers& readers;
  bool kept(int v) const { return v < int(keep.size()) && keep[v]; }
  // The only live reader of intermediate v (not a graph output), or -1.
  int onlyReader(int v) const { return kept(v) ? -1 : soleConsumer(readers, v); }
  // True when v is no graph output and every live reader of v is one of `allowed` (a removed reader
  // counts as the step that absorbed it, as in soleConsumer).
  bool readOnlyBy(int v, std::initializer_list<int> allowed) const {
    if (kept(v)) return false;
    auto [begin, end] = readers.of(v);
    for (const int* it = begin; it != end; ++it) {
      int reader = *it;
      if (g.nodes[reader].removed) {
        reader = g.nodes[reader].absorbedBy;
        if (reader < 0 || g.nodes[reader].removed) continue;
      }
      bool ok = false;
      for (int a : allowed) ok = ok || (a >= 0 && reader == a);
      if (!ok) return false;
    }
    return true;
  }
  // True when node ni is live and of `type`.
  bool is(int ni, OpType type) const { return ni >= 0 && !g.nodes[ni].removed && g.nodes[ni].type == type; }
  int out(int ni) const { return g.nodes[ni].outputs[0]; }
};

}  // namespace webnn
