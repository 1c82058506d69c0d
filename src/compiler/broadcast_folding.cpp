#include "compiler/broadcast_folding.h"

#include "ops/validation.h"

namespace webnn {

int broadcastSource(const Graph& g, const Node& n) {
  if (n.removed || n.outputs.size() != 1) return -1;
  if (n.type == OpType::Expand) return n.input("input");
  if (n.type != OpType::Tile) return -1;
  const int in = n.input("input");
  const Shape& s = g.desc(in).shape;
  const Shape& out = g.desc(n.outputs[0]).shape;
  for (size_t d = 0; d < s.size(); ++d)
    if (s[d] != out[d] && s[d] != 1) return -1;
  return in;
}

void foldBroadcastsIntoBinaryOps(Graph& g, const std::vector<bool>& keep, std::vector<std::string>* report) {
  const Readers readers(g);
  for (size_t ei = 0; ei < g.nodes.size(); ++ei) {
    const int source = broadcastSource(g, g.nodes[ei]);
    if (source < 0) continue;
    const int expanded = g.nodes[ei].outputs[0];
    bool allFolded = true;
    auto [begin, end] = readers.of(expanded);
    for (const int* it = begin; it != end; ++it) {
      Node& op = g.nodes[*it];
      if (op.removed) continue;
      if (opSchema(op.type).elementwise != ElementwiseKind::Binary || op.input("a") < 0 || op.input("b") < 0) {
        allFolded = false;
        continue;
      }
      for (const char* arg : {"a", "b"}) {
        if (op.input(arg) != expanded) continue;
        const int other = op.input(arg[0] == 'a' ? "b" : "a");
        Shape out;
        if (!broadcastShapes(g.desc(source).shape, g.desc(other).shape, &out) || out != g.desc(op.outputs[0]).shape) {
          allFolded = false;
          continue;
        }
        op.setInput(arg, source);
        report->push_back("broadcast-folding: " + g.nodes[ei].op + "#" + std::to_string(ei) + " into " + op.op + "#" +
                          std::to_string(*it) + " (" + arg + ")");
      }
    }
    if (allFolded && !(expanded < int(keep.size()) && keep[expanded])) g.nodes[ei].removed = true;
  }
}

}  // namespace webnn
