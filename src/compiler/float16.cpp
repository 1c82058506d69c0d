#include "compiler/float16.h"

#include "ops/op_registry.h"

namespace webnn {

Status convertFloat16ToFloat32(Graph& g, std::vector<bool>* isOutput) {
  const OpRegistry& registry = OpRegistry::instance();
  std::vector<Node> nodes;
  nodes.reserve(g.nodes.size());
  std::vector<int> f32Of(g.operands.size(), -1);  // float16 operand -> its float32 twin
  std::vector<size_t> castBack;                   // indices (in `nodes`) of float32 -> float16 casts

  auto newOperand = [&](const OperandDesc& d, OperandKind kind, int producer) {
    g.operands.push_back(Operand{d, kind, "", nullptr, producer});
    f32Of.push_back(-1);
    return int(g.operands.size()) - 1;
  };
  auto castNode = [](int from, int to, const char* type) {
    Node c;
    c.type = OpType::Cast;
    c.op = opName(OpType::Cast);
    c.inputs = {{"input", from}};
    c.attrs.set("dataType", std::string(type));
    c.outputs = {to};
    return c;
  };

  for (Node& n : g.nodes) {
    const OpDef* def = n.removed ? nullptr : registry.find(n.type);
    bool touches = false;
    for (auto& in : n.inputs) touches = touches || g.desc(in.second).dataType == DataType::Float16;
    for (int o : n.outputs) touches = touches || g.desc(o).dataType == DataType::Float16;
    if (!def || def->float16Native || !touches) {
      nodes.push_back(std::move(n));
      continue;
    }
    for (auto& in : n.inputs) {
      int id = in.second;
      if (g.desc(id).dataType != DataType::Float16) continue;
      if (f32Of[id] < 0) {
        OperandDesc d{DataType::Float32, g.desc(id).shape};
        if (g.isConstant(id)) {  // widened when first lowered (constant_lifetime.cpp)
          int c = newOperand(d, OperandKind::Constant, -1);
          g.operands[c].float16Source = id;
          f32Of[id] = c;
        } else {
          int c = newOperand(d, OperandKind::Intermediate, int(nodes.size()));
          nodes.push_back(castNode(id, c, "float32"));
          f32Of[id] = c;
        }
      }
      in.second = f32Of[id];
    }
    std::vector<std::pair<int, int>> outs;  // (float32 operand, float16 operand)
    for (int& o : n.outputs) {
      if (g.desc(o).dataType != DataType::Float16) continue;
      int f = newOperand({DataType::Float32, g.desc(o).shape}, OperandKind::Intermediate, int(nodes.size()));
      f32Of[o] = f;
      outs.push_back({f, o});
      o = f;
    }
    nodes.push_back(std::move(n));
    for (auto [f, o] : outs) {
      g.operands[o].producer = int(nodes.size());
      castBack.push_back(nodes.size());
      nodes.push_back(castNode(f, o, "float16"));
    }
  }

  // A cast back to float16 that nobody reads (every consumer took the float32 twin) is dropped.
  isOutput->resize(g.operands.size(), false);
  std::vector<bool> read(g.operands.size(), false);
  for (const Node& n : nodes)
    if (!n.removed)
      for (auto& in : n.inputs) read[in.second] = true;
  for (size_t i : castBack) {
    int o = nodes[i].outputs[0];
    if (!read[o] && !(*isOutput)[o]) nodes[i].removed = true;
  }
  g.nodes = std::move(nodes);
  return Status::ok();
}

}  // namespace webnn
