#include "compiler/elementwise_fusion.h"

#include <memory>

#include "kernels/elementwise/chain.h"
#include "ops/activation.h"

namespace webnn {
namespace {

bool binaryOpOf(const std::string& name, BinaryOp* op) {
  static const std::pair<const char*, BinaryOp> kOps[] = {{"add", BinaryOp::Add}, {"sub", BinaryOp::Sub},
                                                          {"mul", BinaryOp::Mul}, {"div", BinaryOp::Div},
                                                          {"max", BinaryOp::Max}, {"min", BinaryOp::Min},
                                                          {"pow", BinaryOp::Pow}};
  for (auto& [n, o] : kOps)
    if (name == n) {
      *op = o;
      return true;
    }
  return false;
}

// How operand shape `s` broadcasts to the chain's shape `out`.
ChainSide sideKind(const Shape& s, const Shape& out, size_t* rowLength) {
  uint64_t n = 1, total = 1;
  for (uint32_t d : s) n *= d;
  for (uint32_t d : out) total *= d;
  if (s.size() > out.size()) return ChainSide::None;
  if (n == total) return ChainSide::Full;  // broadcastable with the same count: the same layout
  if (n == 1) return ChainSide::Scalar;
  // A row: right-aligned, s's dims equal out's trailing dims after its leading 1s.
  size_t lead = 0;
  while (lead < s.size() && s[lead] == 1) ++lead;
  for (size_t i = lead; i < s.size(); ++i)
    if (s[i] != out[out.size() - s.size() + i]) return ChainSide::None;
  *rowLength = size_t(n);
  return ChainSide::Row;
}

// Describes node `n` as a chain op fed by `value` (the running value); false when it cannot be.
// *side receives the side operand id (-1 for activations).
bool chainOpOf(const Graph& g, const Node& n, int value, const Shape& shape, ChainOp* op, int* side) {
  if (n.removed || n.outputs.size() != 1 || g.desc(n.outputs[0]).dataType != DataType::Float32) return false;
  if (g.desc(n.outputs[0]).shape != shape) return false;
  Activation act;
  if (activationOf(n, &act)) {
    if (n.input("input") != value) return false;
    op->isBinary = false;
    op->act = act;
    *side = -1;
    return true;
  }
  BinaryOp bop;
  if (!binaryOpOf(n.op, &bop)) return false;
  int a = n.input("a"), b = n.input("b");
  if (a == b) return false;
  op->isBinary = true;
  op->op = bop;
  op->valueIsLeft = a == value;
  *side = op->valueIsLeft ? b : a;
  if ((op->valueIsLeft ? a : b) != value) return false;
  op->side = sideKind(g.desc(*side).shape, shape, &op->rowLength);
  return op->side != ChainSide::None;
}

// The chain op a node starts with, choosing its running value (an input of the output's shape).
bool startOf(const Graph& g, const Node& n, ChainOp* op, int* value, int* side) {
  if (n.outputs.size() != 1) return false;
  const Shape& shape = g.desc(n.outputs[0]).shape;
  for (const char* arg : {"input", "a", "b"}) {
    int v = n.input(arg);
    if (v < 0 || g.desc(v).shape != shape || g.desc(v).dataType != DataType::Float32) continue;
    if (chainOpOf(g, n, v, shape, op, side)) {
      *value = v;
      return true;
    }
  }
  return false;
}

// Where each operand is computed: the index of the live node that writes it (-1 for inputs and
// constants). Earlier passes moved outputs between nodes (a fused activation's output is written
// by its conv), so this reads the nodes as they are now rather than Operand::producer.
std::vector<int> computedAt(const Graph& g) {
  std::vector<int> at(g.operands.size(), -1);
  for (size_t i = 0; i < g.nodes.size(); ++i)
    if (!g.nodes[i].removed)
      for (int o : g.nodes[i].outputs) at[o] = int(i);
  return at;
}

}  // namespace

void fuseElementwiseChains(Graph& g, const std::vector<bool>& keep, std::vector<std::string>* report) {
  std::vector<int> position = computedAt(g);
  for (size_t ni = 0; ni < g.nodes.size(); ++ni) {
    ChainOp first;
    int value, side;
    if (g.nodes[ni].removed || !startOf(g, g.nodes[ni], &first, &value, &side)) continue;
    const Shape shape = g.desc(g.nodes[ni].outputs[0]).shape;
    int out = g.nodes[ni].outputs[0];
    std::vector<int> chain, values{value};
    std::string line = g.nodes[ni].op + "#" + std::to_string(ni);
    for (;;) {
      if (out < int(keep.size()) && keep[out]) break;
      int ci = soleConsumer(g, out);
      ChainOp op;
      int s;
      if (ci < 0 || !chainOpOf(g, g.nodes[ci], out, shape, &op, &s)) break;
      // The chain runs at its head's place: a link whose other operand is computed after the head
      // (the second pow of add(pow(x, 2), pow(y, 2))) ends it.
      if (s >= 0 && position[s] >= int(ni)) break;
      chain.push_back(ci);
      values.push_back(out);
      line += " + " + g.nodes[ci].op + "#" + std::to_string(ci);
      out = g.nodes[ci].outputs[0];
    }
    if (chain.empty()) continue;
    Node& head = g.nodes[ni];
    for (int ci : chain) {
      g.nodes[ci].removed = true;
      head.fusedName += "+" + g.nodes[ci].op;
    }
    head.chainNodes = chain;
    head.chainValues = values;
    head.outputs[0] = out;
    position[out] = int(ni);
    report->push_back("elementwise-chains: " + line + " (" + std::to_string(chain.size() + 1) + " ops, one pass)");
  }
}

Status lowerElementwiseChain(const Node& head, Lowering& l) {
  const Graph& g = l.graph();
  const Shape shape = g.desc(head.outputs[0]).shape;
  std::vector<ChainOp> ops(1 + head.chainNodes.size());
  std::vector<int> sides(ops.size(), -1);
  int value = head.chainValues[0];
  if (!chainOpOf(g, head, value, shape, &ops[0], &sides[0]))
    return Status::error(ErrorKind::UnknownError, head.displayName() + ": bad element-wise chain");
  for (size_t k = 0; k < head.chainNodes.size(); ++k) {
    Node n = g.nodes[head.chainNodes[k]];
    n.removed = false;
    if (!chainOpOf(g, n, head.chainValues[k + 1], shape, &ops[k + 1], &sides[k + 1]))
      return Status::error(ErrorKind::UnknownError, n.displayName() + ": bad element-wise chain link");
  }
  int out = head.outputs[0];
  size_t n = g.desc(out).elementCount();
  std::vector<int> reads{value};
  bool sideIsValue = false;
  for (int s : sides)
    if (s >= 0) {
      reads.push_back(s);
      sideIsValue = sideIsValue || s == value;
    }
  std::string name = head.op + head.fusedName;
  // The side pointers of one dispatch, in a buffer made at build (a graph runs one dispatch at a time).
  auto sidePtrs = std::make_shared<std::vector<const float*>>(sides.size(), nullptr);
  l.addStep(name, reads, {out}, [=](const StepContext& c) {
    const float** sp = sidePtrs->data();
    for (size_t k = 0; k < sides.size(); ++k) sp[k] = sides[k] >= 0 ? c.get<const float>(sides[k]) : nullptr;
    runElementwiseChain(c.pool, ops, c.get<const float>(value), sp, c.get<float>(out), n);
  });
  // In place when the running value dies here and no op reads it as a side.
  if (!sideIsValue) l.allowAlias(value, out, /*view=*/false);
  return Status::ok();
}

}  // namespace webnn
