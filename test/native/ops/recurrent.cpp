// gru, gruCell, lstm, lstmCell against a straightforward step-by-step reference of the WebNN
// equations (the spec's emulation code), over layouts, directions, activations, optional operands.
#include <cmath>
#include <map>

#include "harness.h"
#include "nd_reference.h"

using namespace webnn;
using namespace webnn::test;

namespace {

using Vec = std::vector<double>;

double act(const std::string& name, double v) {
  if (name == "relu") return v > 0 ? v : 0;
  if (name == "sigmoid") return 1 / (1 + std::exp(-v));
  return std::tanh(v);
}

// Offset (in rows) of a named gate in the weight/bias layout.
size_t gateOffset(const std::string& layout, char gate) { return layout.find(gate); }

struct RnnCase {
  bool lstm;
  size_t steps, batch, inputSize, hidden;
  std::string direction = "forward", layout;
  std::vector<std::string> activations;  // empty: defaults
  bool bias = false, recurrentBias = false, peephole = false, initialH = false, initialC = false;
  bool resetAfter = true, returnSequence = false, constantWeights = true;
};

// One cell step for one batch row set. x [B, I], h [B, H], c [B, H]; weights for this direction.
void refStep(const RnnCase& rc, const float* x, const float* W, const float* R, const float* b, const float* rb,
             const float* p, Vec& h, Vec& c, const std::vector<std::string>& acts) {
  size_t B = rc.batch, I = rc.inputSize, H = rc.hidden;
  // dot of row `row` of a [G*H, K] matrix with vector v.
  auto dot = [&](const float* M, size_t K, size_t row, const double* v) {
    double s = 0;
    for (size_t k = 0; k < K; ++k) s += double(M[row * K + k]) * v[k];
    return s;
  };
  auto bv = [&](const float* v, size_t i) { return v ? double(v[i]) : 0.0; };
  Vec hn(B * H), cn(B * H);
  for (size_t bi = 0; bi < B; ++bi) {
    Vec xv(x + bi * I, x + bi * I + I);
    for (size_t i = 0; i < I; ++i) xv[i] = x[bi * I + i];
    const double* hv = &h[bi * H];
    if (rc.lstm) {
      std::string L = rc.layout.empty() ? "iofg" : rc.layout;
      for (size_t j = 0; j < H; ++j) {
        double cp = c[bi * H + j];
        auto pre = [&](char gate) {
          size_t row = gateOffset(L, gate) * H + j;
          return dot(W, I, row, xv.data()) + dot(R, H, row, hv) + bv(b, row) + bv(rb, row);
        };
        double i = act(acts[0], pre('i') + (p ? p[j] * cp : 0));
        double f = act(acts[0], pre('f') + (p ? p[2 * H + j] * cp : 0));
        double g = act(acts[1], pre('g'));
        double o = act(acts[0], pre('o') + (p ? p[H + j] * cp : 0));
        cn[bi * H + j] = f * cp + i * g;
        hn[bi * H + j] = o * act(acts[2], cn[bi * H + j]);
      }
    } else {
      std::string L = rc.layout.empty() ? "zrn" : rc.layout;
      Vec r(H), z(H);
      for (size_t j = 0; j < H; ++j) {
        size_t zr = gateOffset(L, 'z') * H + j, rr = gateOffset(L, 'r') * H + j;
        z[j] = act(acts[0], dot(W, I, zr, xv.data()) + dot(R, H, zr, hv) + bv(b, zr) + bv(rb, zr));
        r[j] = act(acts[0], dot(W, I, rr, xv.data()) + dot(R, H, rr, hv) + bv(b, rr) + bv(rb, rr));
      }
      Vec rh(H);
      for (size_t j = 0; j < H; ++j) rh[j] = r[j] * hv[j];
      for (size_t j = 0; j < H; ++j) {
        size_t nr = gateOffset(L, 'n') * H + j;
        double n;
        if (rc.resetAfter)
          n = act(acts[1], bv(b, nr) + dot(W, I, nr, xv.data()) + r[j] * (bv(rb, nr) + dot(R, H, nr, hv)));
        else
          n = act(acts[1], bv(b, nr) + bv(rb, nr) + dot(W, I, nr, xv.data()) + dot(R, H, nr, rh.data()));
        hn[bi * H + j] = z[j] * hv[j] + (1 - z[j]) * n;
      }
    }
  }
  h = hn;
  if (rc.lstm) c = cn;
}

std::string joinActs(const std::vector<std::string>& a) {
  std::string s;
  for (auto& x : a) s += (s.empty() ? "" : ",") + x;
  return s;
}

void runRnnCase(const RnnCase& rc, uint32_t seed) {
  size_t G = rc.lstm ? 4 : 3, D = rc.direction == "both" ? 2 : 1, T = rc.steps, B = rc.batch, I = rc.inputSize,
         H = rc.hidden;
  auto x = randomFloats(T * B * I, seed), W = randomFloats(D * G * H * I, seed + 1, -0.6f, 0.6f),
       R = randomFloats(D * G * H * H, seed + 2, -0.6f, 0.6f), bias = randomFloats(D * G * H, seed + 3),
       rbias = randomFloats(D * G * H, seed + 4), peep = randomFloats(D * 3 * H, seed + 5),
       h0 = randomFloats(D * B * H, seed + 6), c0 = randomFloats(D * B * H, seed + 7);
  std::vector<std::string> acts = rc.activations;
  if (acts.empty()) acts = rc.lstm ? std::vector<std::string>{"sigmoid", "tanh", "tanh"} : std::vector<std::string>{"sigmoid", "tanh"};

  // Reference.
  std::vector<float> refH(D * B * H), refC(D * B * H), refSeq(T * D * B * H);
  for (size_t d = 0; d < D; ++d) {
    Vec h(B * H, 0.0), c(B * H, 0.0);
    if (rc.initialH) for (size_t i = 0; i < B * H; ++i) h[i] = h0[d * B * H + i];
    if (rc.initialC) for (size_t i = 0; i < B * H; ++i) c[i] = c0[d * B * H + i];
    bool backward = d == 1 || rc.direction == "backward";
    for (size_t s = 0; s < T; ++s) {
      size_t t = backward ? T - 1 - s : s;
      refStep(rc, &x[t * B * I], &W[d * G * H * I], &R[d * G * H * H], rc.bias ? &bias[d * G * H] : nullptr,
              rc.recurrentBias ? &rbias[d * G * H] : nullptr, rc.peephole ? &peep[d * 3 * H] : nullptr, h, c, acts);
      for (size_t i = 0; i < B * H; ++i) refSeq[(t * D + d) * B * H + i] = float(h[i]);
    }
    for (size_t i = 0; i < B * H; ++i) {
      refH[d * B * H + i] = float(h[i]);
      refC[d * B * H + i] = float(c[i]);
    }
  }

  GraphHarness h(2);
  uint32_t u[] = {uint32_t(T), uint32_t(B), uint32_t(I), uint32_t(H), uint32_t(G), uint32_t(D)};
  int xi = h.input("x", {u[0], u[1], u[2]}, x);
  auto weight = [&](const char* name, Shape s, const std::vector<float>& v) {
    return rc.constantWeights ? h.constant(s, v) : h.input(name, s, v);
  };
  std::vector<std::pair<std::string, int>> ins{{"input", xi},
                                               {"weight", weight("w", {u[5], u[4] * u[3], u[2]}, W)},
                                               {"recurrentWeight", weight("r", {u[5], u[4] * u[3], u[3]}, R)}};
  if (rc.bias) ins.push_back({"bias", weight("b", {u[5], u[4] * u[3]}, bias)});
  if (rc.recurrentBias) ins.push_back({"recurrentBias", h.input("rb", {u[5], u[4] * u[3]}, rbias)});
  if (rc.peephole) ins.push_back({"peepholeWeight", h.constant({u[5], 3 * u[3]}, peep)});
  if (rc.initialH) ins.push_back({"initialHiddenState", h.input("h0", {u[5], u[1], u[3]}, h0)});
  if (rc.initialC) ins.push_back({"initialCellState", h.input("c0", {u[5], u[1], u[3]}, c0)});
  Attributes a;
  a.set("steps", double(T));
  a.set("hiddenSize", double(H));
  a.set("direction", rc.direction);
  if (!rc.layout.empty()) a.set("layout", rc.layout);
  if (!rc.activations.empty()) a.set("activations", joinActs(rc.activations));
  if (!rc.lstm) a.set("resetAfter", rc.resetAfter);
  a.set("returnSequence", rc.returnSequence);
  std::vector<int> outs = h.builder.addOperation(rc.lstm ? "lstm" : "gru", ins, a, "");
  INFO(h.builder.errorMessage());
  REQUIRE(outs.size() == size_t(1 + rc.lstm + rc.returnSequence));
  auto got = h.run(outs);
  INFO((rc.lstm ? "lstm" : "gru") << " " << rc.direction << " layout " << rc.layout << " acts " << joinActs(acts)
                                   << " resetAfter " << rc.resetAfter);
  requireClose(got[0], refH, 1e-5f, 1e-4f);
  if (rc.lstm) requireClose(got[1], refC, 1e-5f, 1e-4f);
  if (rc.returnSequence) requireClose(got.back(), refSeq, 1e-5f, 1e-4f);
}

}  // namespace

TEST_CASE("gru: layouts, directions, resetAfter, activations, optional operands, sequences", "[recurrent][gru]") {
  uint32_t seed = 100;
  for (std::string dir : {"forward", "backward", "both"})
    for (std::string layout : {"", "zrn", "rzn"})
      for (bool resetAfter : {true, false}) {
        RnnCase rc{false, 4, 3, 5, 6};
        rc.direction = dir;
        rc.layout = layout;
        rc.resetAfter = resetAfter;
        rc.bias = layout != "rzn";
        rc.recurrentBias = layout != "zrn";
        rc.initialH = dir != "forward";
        rc.returnSequence = resetAfter || dir == "both";
        rc.constantWeights = layout != "";
        runRnnCase(rc, seed++);
      }
  RnnCase rc{false, 3, 2, 4, 20};  // wider hidden (several GEMM panels), relu new gate
  rc.activations = {"sigmoid", "relu"};
  rc.bias = rc.recurrentBias = rc.returnSequence = true;
  runRnnCase(rc, seed++);
  rc.activations = {"tanh", "sigmoid"};
  rc.steps = 1;
  rc.direction = "both";
  runRnnCase(rc, seed++);
}

TEST_CASE("lstm: layouts, directions, peepholes, initial states, activations, sequences", "[recurrent][lstm]") {
  uint32_t seed = 200;
  for (std::string dir : {"forward", "backward", "both"})
    for (std::string layout : {"", "iofg", "ifgo"})
      for (bool full : {false, true}) {
        RnnCase rc{true, 3, 2, 4, 5};
        rc.direction = dir;
        rc.layout = layout;
        rc.bias = rc.recurrentBias = rc.peephole = full;
        rc.initialH = full;
        rc.initialC = full || dir == "both";
        rc.returnSequence = full || dir == "backward";
        rc.constantWeights = layout != "iofg";
        runRnnCase(rc, seed++);
      }
  RnnCase rc{true, 5, 1, 3, 17};
  rc.activations = {"sigmoid", "relu", "tanh"};
  rc.bias = rc.peephole = rc.returnSequence = true;
  runRnnCase(rc, seed++);
}

namespace {

// gruCell / lstmCell: one step, one direction, equal to the sequence op with steps 1.
void runCell(bool lstm, const std::string& layout, bool withOptions, uint32_t seed) {
  size_t G = lstm ? 4 : 3, B = 3, I = 4, H = 5;
  auto x = randomFloats(B * I, seed), W = randomFloats(G * H * I, seed + 1), R = randomFloats(G * H * H, seed + 2),
       b = randomFloats(G * H, seed + 3), rb = randomFloats(G * H, seed + 4), p = randomFloats(3 * H, seed + 5),
       h0 = randomFloats(B * H, seed + 6), c0 = randomFloats(B * H, seed + 7);
  RnnCase rc{lstm, 1, B, I, H};
  rc.layout = layout;
  rc.resetAfter = !withOptions;
  std::vector<std::string> acts = lstm ? std::vector<std::string>{"sigmoid", "tanh", "tanh"} : std::vector<std::string>{"sigmoid", "tanh"};
  if (withOptions) acts = lstm ? std::vector<std::string>{"sigmoid", "tanh", "relu"} : std::vector<std::string>{"tanh", "relu"};
  Vec h(h0.begin(), h0.end()), c(c0.begin(), c0.end());
  refStep(rc, x.data(), W.data(), R.data(), withOptions ? b.data() : nullptr, withOptions ? rb.data() : nullptr,
          withOptions && lstm ? p.data() : nullptr, h, c, acts);
  GraphHarness g;
  uint32_t u[] = {uint32_t(B), uint32_t(I), uint32_t(H), uint32_t(G)};
  std::vector<std::pair<std::string, int>> ins{{"input", g.input("x", {u[0], u[1]}, x)},
                                               {"weight", g.constant({u[3] * u[2], u[1]}, W)},
                                               {"recurrentWeight", g.input("r", {u[3] * u[2], u[2]}, R)},
                                               {"hiddenState", g.input("h", {u[0], u[2]}, h0)}};
  if (lstm) ins.push_back({"cellState", g.input("c", {u[0], u[2]}, c0)});
  Attributes a;
  a.set("hiddenSize", double(H));
  if (!layout.empty()) a.set("layout", layout);
  if (withOptions) {
    ins.push_back({"bias", g.constant({u[3] * u[2]}, b)});
    ins.push_back({"recurrentBias", g.constant({u[3] * u[2]}, rb)});
    if (lstm) ins.push_back({"peepholeWeight", g.constant({3 * u[2]}, p)});
    a.set("activations", joinActs(acts));
    if (!lstm) a.set("resetAfter", false);
  }
  std::vector<int> outs = g.builder.addOperation(lstm ? "lstmCell" : "gruCell", ins, a, "");
  INFO(g.builder.errorMessage());
  REQUIRE(outs.size() == size_t(lstm ? 2 : 1));
  auto got = g.run(outs);
  requireClose(got[0], std::vector<float>(h.begin(), h.end()), 1e-5f, 1e-4f);
  if (lstm) requireClose(got[1], std::vector<float>(c.begin(), c.end()), 1e-5f, 1e-4f);
}

}  // namespace

TEST_CASE("gruCell and lstmCell", "[recurrent][gruCell][lstmCell]") {
  uint32_t seed = 300;
  for (bool withOptions : {false, true}) {
    for (std::string layout : {"", "rzn"}) runCell(false, layout, withOptions, seed++);
    for (std::string layout : {"", "ifgo"}) runCell(true, layout, withOptions, seed++);
  }
}

TEST_CASE("recurrent ops: invalid arguments are TypeErrors", "[recurrent]") {
  GraphHarness h;
  int x = h.input("x", {2, 3, 4}, std::vector<float>(24));
  int w = h.constant({1, 15, 4}, std::vector<float>(60));
  int r = h.constant({1, 15, 5}, std::vector<float>(75));
  auto a = [](double steps, double hidden, std::initializer_list<std::pair<const char*, AttrValue>> kv = {}) {
    Attributes at;
    at.set("steps", steps);
    at.set("hiddenSize", hidden);
    for (auto& [k, v] : kv) at.set(k, v);
    return at;
  };
  CHECK(h.builder.addOperation("gru", {{"input", x}, {"weight", w}, {"recurrentWeight", r}}, a(2, 5), "").size() == 1);
  h.expectTypeError("gru", {{"input", x}, {"weight", w}, {"recurrentWeight", r}}, a(3, 5));  // steps != input.shape[0]
  h.expectTypeError("gru", {{"input", x}, {"weight", w}, {"recurrentWeight", r}}, a(2, 4));
  h.expectTypeError("gru", {{"input", x}, {"weight", w}, {"recurrentWeight", r}}, a(2, 5, {{"direction", std::string("both")}}));
  h.expectTypeError("gru", {{"input", x}, {"weight", w}, {"recurrentWeight", r}}, a(2, 5, {{"activations", std::string("sigmoid")}}));
  h.expectTypeError("gru", {{"input", x}, {"weight", w}, {"recurrentWeight", r}}, a(2, 5, {{"layout", std::string("nzr")}}));
  h.expectTypeError("gru", {{"input", x}, {"weight", w}, {"recurrentWeight", r}, {"bias", h.constant({15}, std::vector<float>(15))}}, a(2, 5));
  h.expectTypeError("gru", {{"input", x}, {"weight", w}, {"recurrentWeight", r}, {"initialHiddenState", h.constant({1, 2, 5}, std::vector<float>(10))}}, a(2, 5));
  int lw = h.constant({1, 20, 4}, std::vector<float>(80));
  int lr = h.constant({1, 20, 5}, std::vector<float>(100));
  CHECK(h.builder.addOperation("lstm", {{"input", x}, {"weight", lw}, {"recurrentWeight", lr}}, a(2, 5), "").size() == 2);
  h.expectTypeError("lstm", {{"input", x}, {"weight", lw}, {"recurrentWeight", lr}, {"peepholeWeight", h.constant({1, 20}, std::vector<float>(20))}}, a(2, 5));
  h.expectTypeError("lstm", {{"input", x}, {"weight", lw}, {"recurrentWeight", lr}}, a(2, 5, {{"activations", std::string("sigmoid,tanh")}}));
  int x2 = h.input("x2", {3, 4}, std::vector<float>(12));
  int hs = h.input("hs", {3, 5}, std::vector<float>(15));
  int cw = h.constant({20, 4}, std::vector<float>(80));
  int cr = h.constant({20, 5}, std::vector<float>(100));
  Attributes cellAttrs;
  cellAttrs.set("hiddenSize", 5.0);
  h.expectTypeError("lstmCell", {{"input", x2}, {"weight", cw}, {"recurrentWeight", cr}, {"hiddenState", hs}}, cellAttrs);  // no cellState
  h.expectTypeError("gruCell", {{"input", x2}, {"weight", cw}, {"recurrentWeight", cr}, {"hiddenState", hs}}, cellAttrs);  // 4h rows
  int xi = h.input("xi", {2, 3, 4}, std::vector<float>(24), DataType::Int32);
  h.expectTypeError("gru", {{"input", xi}, {"weight", w}, {"recurrentWeight", r}}, a(2, 5));
}
