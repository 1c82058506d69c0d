#include "compiler/gelu_recognition.h"

#include <cmath>

#include "compiler/pattern_matching.h"
#include "ops/op_registry.h"

namespace webnn {
namespace {

// A float32 constant of one element equal to `value`.
bool isScalarConstant(const Graph& g, int id, float value) {
  return isFloat32Constant(g, id) && g.desc(id).elementCount() == 1 && g.constantData<float>(id)[0] == value;
}

}  // namespace

Status recognizeGelu(Graph& g, const std::vector<bool>& keep, std::vector<std::string>* report) {
  const Readers readers(g);
  const PatternMatcher m{g, keep, readers};
  const float kSqrt2 = float(M_SQRT2), kHalf = 0.5f, kOne = 1.f;
  for (size_t ei = 0; ei < g.nodes.size(); ++ei) {
    if (g.nodes[ei].removed || g.nodes[ei].type != OpType::Erf) continue;
    // x / sqrt 2 -> erf -> + 1
    const int d = g.nodes[ei].input("input");
    const int di = producerOf(g, d);
    if (di < 0 || g.nodes[di].type != OpType::Div || m.onlyReader(d) != int(ei)) continue;
    const int x = g.nodes[di].input("a");
    if (x == d || !isScalarConstant(g, g.nodes[di].input("b"), kSqrt2)) continue;
    const Shape& shape = g.desc(x).shape;
    if (g.desc(x).dataType != DataType::Float32) continue;
    const int e = m.out(int(ei)), ai = m.onlyReader(e);
    if (!isScalarConstant(g, otherOperand(g, ai, OpType::Add, e), kOne)) continue;
    const int a = m.out(ai), m1 = m.onlyReader(a);
    const int side = otherOperand(g, m1, OpType::Mul, a);
    if (side < 0) continue;
    std::vector<int> matched{di, int(ei), ai, m1};
    int last = -1;
    if (isScalarConstant(g, side, kHalf)) {  // x * (0.5 * a)
      const int m2 = m.onlyReader(m.out(m1));
      if (otherOperand(g, m2, OpType::Mul, m.out(m1)) == x) last = m2;
    } else if (side == x) {  // (x * a) * 0.5
      const int m2 = m.onlyReader(m.out(m1));
      if (isScalarConstant(g, otherOperand(g, m2, OpType::Mul, m.out(m1)), kHalf)) last = m2;
    } else {  // (x * 0.5) * a
      const int hi = producerOf(g, side);
      if (hi >= 0 && m.onlyReader(side) == m1 && isScalarConstant(g, otherOperand(g, hi, OpType::Mul, x), kHalf)) {
        matched.push_back(hi);
        last = m1;
      }
    }
    if (last < 0) continue;
    if (last != m1) matched.push_back(last);
    bool sameShape = true;  // no constant of higher rank broadcast the intermediates beyond x
    for (int ni : matched) sameShape = sameShape && g.desc(m.out(ni)).shape == shape;
    if (!sameShape) continue;

    std::string line = "gelu-recognition:";
    for (int ni : matched) line += " " + g.nodes[ni].op + "#" + std::to_string(ni);
    for (int ni : matched)
      if (ni != last) g.nodes[ni].removed = true;
    Node& gelu = g.nodes[last];
    gelu.type = OpType::Gelu;
    gelu.op = opName(OpType::Gelu);
    gelu.inputs = {{"input", x}};
    gelu.attrs = Attributes();
    std::vector<OperandDesc> outputs;
    WEBNN_RETURN_IF_ERROR(OpRegistry::instance().find(OpType::Gelu)->validate(g, gelu, &outputs, &gelu.params));
    report->push_back(line + " -> gelu#" + std::to_string(last));
  }
  return Status::ok();
}

}  // namespace webnn
