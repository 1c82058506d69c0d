#include "compiler/elementwise_fusion.h"

#include <memory>

#include "kernels/elementwise/chain.h"
#include "ops/activation.h"
#include "ops/elementwise_binary.h"

namespace webnn {
namespace {

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
  bool row = true;
  for (size_t i = lead; i < s.size(); ++i) row = row && s[i] == out[out.size() - s.size() + i];
  if (row) {
    *rowLength = size_t(n);
    return ChainSide::Row;
  }
  // A column: s (right-aligned) equals out's leading dims, then 1s. Runs of fewer than
  // kMinColumnRun outputs per value stay a binary op (the kernel would call its row code per run).
  constexpr uint64_t kMinColumnRun = 16;
  const size_t pad = out.size() - s.size();
  size_t end = out.size();
  while (end > pad && s[end - 1 - pad] == 1) --end;
  for (size_t i = 0; i < end; ++i)
    if ((i < pad ? 1u : s[i - pad]) != out[i]) return ChainSide::None;
  if (total / n < kMinColumnRun) return ChainSide::None;
  *rowLength = size_t(total / n);
  return ChainSide::Column;
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
  if (!binaryOpOf(n.type, &bop)) return false;
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

}  // namespace

void fuseElementwiseChains(Graph& g, const std::vector<bool>& keep, std::vector<std::string>* report) {
  const Readers readers(g);
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
      int ci = soleConsumer(readers, out);
      ChainOp op;
      int s;
      if (ci < 0 || !chainOpOf(g, g.nodes[ci], out, shape, &op, &s)) break;
      chain.push_back(ci);
      values.push_back(out);
      line += " + " + g.nodes[ci].op + "#" + std::to_string(ci);
      out = g.nodes[ci].outputs[0];
    }
    if (chain.empty()) continue;
    Node& head = g.nodes[ni];
    for (int ci : chain) {
      g.nodes[ci].removed = true;
      g.nodes[ci].absorbedBy = int(ni);
      head.fusedName += "+" + g.nodes[ci].op;
    }
    head.chainNodes = chain;
    head.lowerAt = chain.back();  // after the producers of every side operand (issue #13)
    head.chainValues = values;
    head.outputs[0] = out;
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
  for (int s : sides)
    if (s >= 0) reads.push_back(s);
  std::string name = head.op + head.fusedName;
  // The side pointers of one dispatch, in a buffer made at build (a graph runs one dispatch at a time).
  auto sidePtrs = std::make_shared<std::vector<const float*>>(sides.size(), nullptr);
  l.addStep(name, reads, {out}, [=](const StepContext& c) {
    const float** sp = sidePtrs->data();
    for (size_t k = 0; k < sides.size(); ++k) sp[k] = sides[k] >= 0 ? c.get<const float>(sides[k]) : nullptr;
    runElementwiseChain(c.pool, ops, c.get<const float>(value), sp, c.get<float>(out), n);
  });
  // In place when the running value dies here and no side is it or a view of it (memory-aliasing
  // checks both: the kernel reads a side after writing the block's output).
  l.allowAlias(value, out, /*view=*/false);
  return Status::ok();
}

}  // namespace webnn
