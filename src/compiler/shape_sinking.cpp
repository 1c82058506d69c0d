#include "compiler/shape_sinking.h"

#include <memory>
#include <utility>

#include "compiler/broadcast_folding.h"
#include "ops/activation.h"
#include "ops/elementwise_binary.h"
#include "ops/elementwise_unary.h"
#include "ops/op_registry.h"

namespace webnn {
namespace {

// The input of a reshape or a broadcast (expand, tile of size-1 dims); -1 for any other node.
int shapeOpSource(const Graph& g, const Node& n, bool* isReshape) {
  *isReshape = !n.removed && n.type == OpType::Reshape && n.outputs.size() == 1;
  return *isReshape ? n.input("input") : broadcastSource(g, n);
}

// The shape a binary op's side operand takes after the move: its own, or for a constant with more
// dims than `in`, without the leading 1s beyond in's rank (a view of the same data).
Shape sideShapeFor(const Graph& g, int side, const Shape& in) {
  Shape s = g.desc(side).shape;
  if (g.isConstant(side))
    while (s.size() > in.size() && s.front() == 1) s.erase(s.begin());
  return s;
}

// Whether element-wise node `n`, reading the shape op's output `r` (shape `out`, the op's input
// having shape `in`), gives the same values on the op's input: a per-element function of r alone, or
// of r and a side that broadcasts to the same element of `in` as of `out`.
bool commutes(const Graph& g, const Node& n, int r, bool isReshape, const Shape& in, const Shape& out) {
  if (n.removed || n.outputs.size() != 1) return false;
  const OperandDesc& y = g.desc(n.outputs[0]);
  if (y.shape != out || y.dataType != g.desc(r).dataType) return false;
  Activation act;
  if (activationOf(n, &act) || isElementwiseUnary(n.type)) return n.input("input") == r;
  BinaryOp op;
  if (!binaryOpOf(n.type, &op)) return false;
  const int a = n.input("a"), b = n.input("b");
  if (a == r && b == r) return true;
  if (a != r && b != r) return false;
  const int sideId = a == r ? b : a;
  const Shape side = sideShapeFor(g, sideId, in);
  if (side.size() > in.size()) return false;  // it would add leading dims to the output
  uint64_t count = 1;
  for (uint32_t d : side) count *= d;
  if (count == 1) return true;  // a single value
  // A row [1, ..., 1, L] along the last dim, which the reshape keeps: element i meets side[i % L]
  // before and after it.
  if (!isReshape || side.back() != out.back() || in.empty() || in.back() != out.back()) return false;
  return count == side.back();
}

// The node producing `operand` comes before node `at` (constants and graph inputs have none).
bool availableBefore(const Graph& g, int operand, size_t at) {
  const int p = g.operands[operand].producer;
  return p < int(at);
}

}  // namespace

Status sinkShapeOps(Graph& g, std::vector<bool>& keep, std::vector<std::string>* report) {
  const OpRegistry& registry = OpRegistry::instance();
  // Rebuilt after each move (moves swap node positions); graphs have few of them.
  auto readers = std::make_unique<Readers>(g);
  for (size_t si = 0; si < g.nodes.size(); ++si) {
    bool isReshape;
    if (shapeOpSource(g, g.nodes[si], &isReshape) < 0) continue;
    for (size_t at = si;;) {
      Node& s = g.nodes[at];
      const int x = s.input("input"), r = s.outputs[0];
      if (keep[r]) break;
      const int ni = soleConsumer(*readers, r, /*sameNodeTwice=*/true);
      if (ni < 0 || g.nodes[ni].removed) break;
      Node& n = g.nodes[ni];
      const int y = n.outputs[0];
      if (keep[y] || !commutes(g, n, r, isReshape, g.desc(x).shape, g.desc(r).shape)) break;
      bool sidesReady = true;  // n moves up to `at`: what else it reads must exist by then
      for (auto& [name, id] : n.inputs) sidesReady = sidesReady && (id == r || availableBefore(g, id, at));
      if (!sidesReady) break;
      // n(s(x)) -> s(n(x)): n reads x and writes t (x's shape), s reads t and writes y.
      g.operands.push_back(Operand{{g.desc(y).dataType, g.desc(x).shape}, OperandKind::Intermediate, "", nullptr, int(at)});
      keep.push_back(false);
      const int t = int(g.operands.size()) - 1;
      for (auto& [name, id] : n.inputs) {
        if (id == r) {
          id = x;
        } else if (g.desc(id).shape.size() > g.desc(x).shape.size()) {  // a constant side: a view without the leading 1s
          Operand view = g.operands[id];
          view.desc.shape = sideShapeFor(g, id, g.desc(x).shape);
          g.operands.push_back(view);
          keep.push_back(false);
          id = int(g.operands.size()) - 1;
        }
      }
      n.outputs[0] = t;
      s.setInput("input", t);
      s.outputs[0] = y;
      report->push_back("shape-sinking: " + s.op + "#" + std::to_string(at) + " below " + n.op + "#" + std::to_string(ni));
      std::swap(g.nodes[at], g.nodes[ni]);
      g.operands[y].producer = int(ni);
      // n's parameters from its new input shapes (the activations' do not depend on them).
      Node& moved = g.nodes[at];
      std::vector<OperandDesc> outputs;
      const OpDef* def = registry.find(moved.type);
      if (def) WEBNN_RETURN_IF_ERROR(def->validate(g, moved, &outputs, &moved.params));
      readers = std::make_unique<Readers>(g);
      at = ni;
    }
  }
  return Status::ok();
}

}  // namespace webnn
