#include "compiler/layernorm_recognition.h"

#include <algorithm>

#include "compiler/pattern_matching.h"
#include "ops/op_registry.h"

namespace webnn {
namespace {

bool isFloat32(const Graph& g, int id) { return g.desc(id).dataType == DataType::Float32; }

// A float32 constant whose elements all equal one value, stored in *value.
bool uniformConstant(const Graph& g, int id, float* value) {
  if (!isFloat32Constant(g, id)) return false;
  const size_t n = g.desc(id).elementCount();
  if (n == 0) return false;
  const float* data = g.constantData<float>(id);
  for (size_t i = 1; i < n; ++i)
    if (!(data[i] == data[0])) return false;
  *value = data[0];
  return true;
}

// The float32 constant whose elements `id` holds in the same order (itself, or through reshapes), or -1.
int constantSource(const Graph& g, int id) {
  for (int p; (p = producerOf(g, id)) >= 0 && g.nodes[p].type == OpType::Reshape;) id = g.nodes[p].input("input");
  return isFloat32Constant(g, id) ? id : -1;
}

Shape withoutLeadingOnes(Shape s) {
  size_t k = 0;
  while (k < s.size() && s[k] == 1) ++k;
  s.erase(s.begin(), s.begin() + ptrdiff_t(k));
  return s;
}

// True when a and b hold the same elements in the same order: one operand, or one a reshape of the
// other that only adds or drops leading 1s (TF.js's batchNorm reads x as 4-D).
bool sameData(const Graph& g, int a, int b) {
  if (a == b) return true;
  auto reshapeOf = [&](int out, int in) {
    const int p = producerOf(g, out);
    return p >= 0 && g.nodes[p].type == OpType::Reshape && g.nodes[p].input("input") == in;
  };
  return (reshapeOf(a, b) || reshapeOf(b, a)) && withoutLeadingOnes(g.desc(a).shape) == withoutLeadingOnes(g.desc(b).shape);
}

// True when p, aligned to the output's rank, has the output's size along the normalized dims and 1
// along the others: a scale or bias of layer normalization.
bool isParameter(const Graph& g, int p, const Shape& outShape, const std::vector<bool>& normalized) {
  const Shape& s = g.desc(p).shape;
  if (!isFloat32(g, p) || s.size() > outShape.size()) return false;
  const size_t lead = outShape.size() - s.size();
  for (size_t j = 0; j < outShape.size(); ++j) {
    const uint32_t dim = j < lead ? 1 : s[j - lead];
    if (dim != (normalized[j] ? outShape[j] : 1u)) return false;
  }
  return true;
}

// True when parameter p (isParameter) needs a reshape node to have `paramShape`: it has another
// shape and is computed or an input (a constant gets a view: asParameter).
bool needsReshape(const Graph& g, int p, const Shape& paramShape) {
  return p >= 0 && g.desc(p).shape != paramShape && constantSource(g, p) < 0;
}

// Parameter p (isParameter, !needsReshape) as layerNormalization's scale/bias of `paramShape`: p
// itself when it has that shape, else a constant view of p's data in that shape.
int asParameter(Graph& g, int p, const Shape& paramShape) {
  if (g.desc(p).shape == paramShape) return p;
  const int c = constantSource(g, p);
  Operand view;
  view.desc = {DataType::Float32, paramShape};
  view.kind = OperandKind::Constant;
  view.constant = g.operands[c].constant;  // same elements, same order
  g.operands.push_back(std::move(view));
  return int(g.operands.size()) - 1;
}

// Turns node n (a matched node that goes) into reshape(p, shape); its output operand, which only the
// pattern read, takes the new shape and is stored in *out.
Status reshapeInto(Graph& g, int n, int p, const Shape& shape, int* out) {
  Node& r = g.nodes[n];
  r.removed = false;
  r.type = OpType::Reshape;
  r.op = opName(OpType::Reshape);
  r.inputs = {{"input", p}};
  r.attrs = Attributes();
  r.attrs.set("newShape", std::vector<double>(shape.begin(), shape.end()));
  r.params.reset();
  std::vector<OperandDesc> outputs;
  WEBNN_RETURN_IF_ERROR(OpRegistry::instance().find(OpType::Reshape)->validate(g, r, &outputs, &r.params));
  *out = r.outputs[0];
  g.operands[*out].desc = outputs[0];
  return Status::ok();
}

}  // namespace

Status recognizeLayerNorms(Graph& g, const std::vector<bool>& keep, std::vector<std::string>* report) {
  const Readers readers(g);
  const PatternMatcher m{g, keep, readers};
  for (size_t r2 = 0; r2 < g.nodes.size(); ++r2) {
    if (!m.is(int(r2), OpType::ReduceMean)) continue;
    // The variance: reduceMean(d * d) or reduceMean(pow(d, 2)), d = x - mean, mean = reduceMean(x).
    const int q = g.nodes[r2].input("input"), qi = producerOf(g, q);
    if (qi < 0 || m.onlyReader(q) != int(r2)) continue;
    int d = -1;
    float two = 0;
    if (m.is(qi, OpType::Mul) && g.nodes[qi].input("a") == g.nodes[qi].input("b")) d = g.nodes[qi].input("a");
    else if (m.is(qi, OpType::Pow) && uniformConstant(g, g.nodes[qi].input("b"), &two) && two == 2.f) d = g.nodes[qi].input("a");
    const int di = d < 0 ? -1 : producerOf(g, d);
    if (!m.is(di, OpType::Sub)) continue;
    const int x = g.nodes[di].input("a"), mean = g.nodes[di].input("b"), r1 = producerOf(g, mean);
    if (!m.is(r1, OpType::ReduceMean) || g.nodes[r1].input("input") != x || !isFloat32(g, x)) continue;
    const Shape xs = g.desc(x).shape, ms = g.desc(mean).shape;  // (copies: asParameter may add operands)
    const int variance = m.out(int(r2));
    // keepDimensions, the same axes for both means, nothing broadcast beyond x.
    if (ms.size() != xs.size() || g.desc(variance).shape != ms || g.desc(d).shape != xs || g.desc(q).shape != xs) continue;
    std::vector<bool> normalizedX(xs.size(), false);
    bool any = false, consistent = true;
    for (size_t i = 0; i < xs.size(); ++i) {
      normalizedX[i] = ms[i] == 1 && xs[i] != 1;
      any = any || normalizedX[i];
      consistent = consistent && (normalizedX[i] || ms[i] == xs[i]);
    }
    if (!any || !consistent) continue;

    // sqrt(variance + epsilon), the divisor.
    const int ai = m.onlyReader(variance);
    float epsilon = 0;
    if (!uniformConstant(g, otherOperand(g, ai, OpType::Add, variance), &epsilon) || g.desc(m.out(ai)).shape != ms) continue;
    const int ti = m.onlyReader(m.out(ai));
    if (!m.is(ti, OpType::Sqrt)) continue;
    const int s = m.out(ti), divi = m.onlyReader(s);
    if (!m.is(divi, OpType::Div) || g.nodes[divi].input("b") != s || g.nodes[divi].input("a") == s) continue;

    // The dividend: d (ONNX), or (x' - mean) [* gamma] (TF.js).
    const int num = g.nodes[divi].input("a");
    int gamma = -1, beta = -1, mulBefore = -1, sub2 = -1, xIn = x;
    int centered = num;  // the x - mean the division (or the gamma before it) reads
    const int ni = num == d ? -1 : producerOf(g, num);
    if (m.is(ni, OpType::Mul) && m.onlyReader(num) == divi) {
      auto isCentered = [&](int v) {
        if (v == d) return true;
        const int p = producerOf(g, v);
        return m.is(p, OpType::Sub) && g.nodes[p].input("b") == mean && sameData(g, g.nodes[p].input("a"), x);
      };
      const int a = g.nodes[ni].input("a"), b = g.nodes[ni].input("b");
      if (a != b && isCentered(a)) centered = a, gamma = b;
      else if (a != b && isCentered(b)) centered = b, gamma = a;
      else continue;
      mulBefore = ni;
    }
    const int centeredReader = mulBefore >= 0 ? mulBefore : divi;
    if (centered != d) {
      sub2 = producerOf(g, centered);
      if (!m.is(sub2, OpType::Sub) || g.nodes[sub2].input("b") != mean || !sameData(g, g.nodes[sub2].input("a"), x) ||
          m.onlyReader(centered) != centeredReader)
        continue;
      xIn = g.nodes[sub2].input("a");
    }
    if (!m.readOnlyBy(d, {qi, centered == d ? centeredReader : -1}) || !m.readOnlyBy(mean, {di, sub2})) continue;

    // The axes in x' (its dims aligned to x's last ones; extra leading dims are 1s, not normalized).
    const Shape outShape = g.desc(xIn).shape;
    if (g.desc(m.out(divi)).shape != outShape) continue;  // gamma broadcast the result beyond x
    std::vector<bool> normalized(outShape.size(), false);
    std::vector<double> axes;
    Shape paramShape;
    for (size_t j = 0; j < outShape.size(); ++j) {
      const ptrdiff_t i = ptrdiff_t(j) + ptrdiff_t(xs.size()) - ptrdiff_t(outShape.size());
      normalized[j] = i >= 0 && normalizedX[size_t(i)];
      if (normalized[j]) axes.push_back(double(j)), paramShape.push_back(outShape[j]);
    }
    if (gamma >= 0 && !isParameter(g, gamma, outShape, normalized)) continue;

    // After the division: [* gamma] [+ beta], where the other operand is a parameter (else the
    // layer normalization ends before that op: e.g. a residual add).
    int last = divi, y = m.out(divi);
    auto parameterOf = [&](int k, OpType type) {
      const int p = otherOperand(g, k, type, y);
      return p >= 0 && isParameter(g, p, outShape, normalized) && g.desc(m.out(k)).shape == outShape ? p : -1;
    };
    int k = m.onlyReader(y);
    if (gamma < 0 && parameterOf(k, OpType::Mul) >= 0) {
      gamma = parameterOf(k, OpType::Mul);
      last = k, y = m.out(k), k = m.onlyReader(y);
    }
    const int mulAfter = last != divi ? last : -1;
    if (parameterOf(k, OpType::Add) >= 0) {
      beta = parameterOf(k, OpType::Add);
      last = k, y = m.out(k);
    }

    std::vector<int> matched{r1, di, qi, int(r2), ai, ti};
    for (int n : {sub2, mulBefore, divi, mulAfter, last})
      if (n >= 0 && std::find(matched.begin(), matched.end(), n) == matched.end()) matched.push_back(n);
    // A parameter that needs a reshape gets one in the place of a matched node that goes (the last
    // one before the layer normalization that comes after the parameter's producer: the node order
    // is the run order).
    std::vector<int> spare(matched.begin(), matched.end() - 1);
    std::sort(spare.begin(), spare.end());
    auto spareAfter = [&](int p) {
      const int producer = g.operands[p].producer;
      for (size_t i = spare.size(); i-- > 0;)
        if (spare[i] > producer && spare[i] < last) {
          const int n = spare[i];
          spare.erase(spare.begin() + ptrdiff_t(i));
          return n;
        }
      return -1;
    };
    const bool reshapeScale = needsReshape(g, gamma, paramShape), reshapeBias = needsReshape(g, beta, paramShape);
    const int scaleSlot = reshapeScale ? spareAfter(gamma) : -1;
    const int biasSlot = reshapeBias ? spareAfter(beta) : -1;
    if ((reshapeScale && scaleSlot < 0) || (reshapeBias && biasSlot < 0)) continue;
    std::string line = "layernorm-recognition:";
    for (int n : matched) line += " " + g.nodes[n].op + "#" + std::to_string(n);
    for (int n : matched)
      if (n != last) g.nodes[n].removed = true;
    int scale = gamma < 0 || reshapeScale ? -1 : asParameter(g, gamma, paramShape);
    int bias = beta < 0 || reshapeBias ? -1 : asParameter(g, beta, paramShape);
    if (reshapeScale) WEBNN_RETURN_IF_ERROR(reshapeInto(g, scaleSlot, gamma, paramShape, &scale));
    if (reshapeBias) WEBNN_RETURN_IF_ERROR(reshapeInto(g, biasSlot, beta, paramShape, &bias));
    Node& ln = g.nodes[last];
    ln.type = OpType::LayerNormalization;
    ln.op = opName(OpType::LayerNormalization);
    ln.inputs = {{"input", xIn}};
    if (scale >= 0) ln.inputs.push_back({"scale", scale});
    if (bias >= 0) ln.inputs.push_back({"bias", bias});
    ln.attrs = Attributes();
    ln.attrs.set("axes", axes);
    ln.attrs.set("epsilon", double(epsilon));
    std::vector<OperandDesc> outputs;
    WEBNN_RETURN_IF_ERROR(OpRegistry::instance().find(OpType::LayerNormalization)->validate(g, ln, &outputs, &ln.params));
    report->push_back(line + " -> layerNormalization#" + std::to_string(last));
  }
  return Status::ok();
}

}  // namespace webnn
