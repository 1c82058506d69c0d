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

// Describes node `n` as a chain op fed by `value` (the running value, of shape `shape`); false when
// it cannot be. *side receives the side operand id (-1 for activations). n's output must have the
// running value's shape (checkOutput: a chain head, lowered, carries the chain's last output).
bool chainOpOf(const Graph& g, const Node& n, int value, const Shape& shape, ChainOp* op, int* side,
               bool checkOutput = true) {
  if (n.removed || n.outputs.size() != 1 || g.desc(n.outputs[0]).dataType != DataType::Float32) return false;
  if (checkOutput && g.desc(n.outputs[0]).shape != shape) return false;
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
    auto kept = [&](int operand) { return operand < int(keep.size()) && keep[operand]; };
    int out = g.nodes[ni].outputs[0];
    std::vector<int> chain, views, values{value};
    std::string line = g.nodes[ni].op + "#" + std::to_string(ni);
    for (;;) {
      if (kept(out)) break;
      int ci = soleConsumer(readers, out);
      // Reshapes between two links are views of the same elements: the chain goes on through them.
      int next = out;
      std::vector<int> through;
      while (ci >= 0 && g.nodes[ci].type == OpType::Reshape && !kept(g.nodes[ci].outputs[0])) {
        through.push_back(ci);
        next = g.nodes[ci].outputs[0];
        ci = soleConsumer(readers, next);
      }
      ChainOp op;
      int s;
      if (ci < 0 || !chainOpOf(g, g.nodes[ci], next, g.desc(next).shape, &op, &s)) break;
      for (int vi : through) line += " + reshape#" + std::to_string(vi);
      views.insert(views.end(), through.begin(), through.end());
      chain.push_back(ci);
      values.push_back(next);
      line += " + " + g.nodes[ci].op + "#" + std::to_string(ci);
      out = g.nodes[ci].outputs[0];
    }
    if (chain.empty()) continue;
    Node& head = g.nodes[ni];
    for (int vi : views) {
      g.nodes[vi].removed = true;
      g.nodes[vi].absorbedBy = int(ni);
    }
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
  std::vector<ChainOp> ops(1 + head.chainNodes.size());
  std::vector<int> sides(ops.size(), -1);
  int value = head.chainValues[0];
  if (!chainOpOf(g, head, value, g.desc(value).shape, &ops[0], &sides[0], /*checkOutput=*/false))
    return Status::error(ErrorKind::UnknownError, head.displayName() + ": bad element-wise chain");
  for (size_t k = 0; k < head.chainNodes.size(); ++k) {
    Node n = g.nodes[head.chainNodes[k]];
    n.removed = false;
    const int linkValue = head.chainValues[k + 1];  // after a reshape, of another shape
    if (!chainOpOf(g, n, linkValue, g.desc(linkValue).shape, &ops[k + 1], &sides[k + 1]))
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
