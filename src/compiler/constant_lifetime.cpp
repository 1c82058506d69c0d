#include "compiler/constant_lifetime.h"

#include "kernels/elementwise/float16.h"

namespace webnn {

template <typename F>
void ConstantLifetimes::forEachInput(const Node& node, F f) const {
  for (auto& in : node.inputs) f(in.second);
  for (int ci : node.chainNodes)
    for (auto& in : g_.nodes[ci].inputs) f(in.second);
}

ConstantLifetimes::ConstantLifetimes(Graph& g) : g_(g), pending_(g.operands.size(), 0), stepReads_(g.operands.size(), false) {
  for (const Node& n : g.nodes)
    if (!n.removed) forEachInput(n, [&](int id) { ++pending_[id]; });
  // A twin still to be widened needs its float16 source.
  for (const Operand& o : g.operands)
    if (o.float16Source >= 0 && !o.constant && pending_[&o - g.operands.data()] > 0) ++pending_[o.float16Source];
  for (size_t id = 0; id < g.operands.size(); ++id)
    if (pending_[id] == 0 && g.operands[id].kind == OperandKind::Constant) g.operands[id].constant.reset();
}

Status ConstantLifetimes::prepare(const Node& node) {
  Status status;
  forEachInput(node, [&](int id) {
    Operand& twin = g_.operands[id];
    if (twin.kind != OperandKind::Constant || twin.constant || twin.float16Source < 0 || !status.isOk()) return;
    auto buffer = std::make_shared<AlignedBuffer>();
    size_t count = size_t(twin.desc.elementCount());
    if (!buffer->allocate(count * sizeof(float))) {
      status = Status::error(ErrorKind::UnknownError, node.displayName() + ": out of memory converting a float16 constant");
      return;
    }
    convertF16ToF32(g_.constantData<uint16_t>(twin.float16Source), buffer->as<float>(), count);
    twin.constant = std::move(buffer);
    dropReader(twin.float16Source);
  });
  return status;
}

void ConstantLifetimes::finished(const Node& node, const std::vector<Step>& steps, size_t firstNewStep) {
  for (size_t s = firstNewStep; s < steps.size(); ++s)
    for (int id : steps[s].reads)
      if (size_t(id) < stepReads_.size()) stepReads_[id] = true;
  forEachInput(node, [&](int id) { dropReader(id); });
}

void ConstantLifetimes::dropReader(int id) {
  if (--pending_[id] > 0 || stepReads_[id]) return;
  if (g_.operands[id].kind == OperandKind::Constant) g_.operands[id].constant.reset();
}

}  // namespace webnn
