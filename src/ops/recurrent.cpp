// gru, gruCell, lstm, lstmCell on float32, lowered to one step each running rnnF32 (GEMMs per gate
// plus element-wise gate updates). Constant weights are packed per direction and gate at build.
#include <algorithm>
#include <memory>

#include "kernels/recurrent/recurrent.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {


Status parseActivations(const Node& node, size_t expected, RnnParams* p) {
  if (!node.attrs.has("activations")) return Status::ok();
  std::string list = node.attrs.getString("activations", "");
  // Split at commas by hand: std::stringstream links libc++'s locale facets and 3 JS imports into the
  // module (115 KB of the SIMD build, docs/tfjs.md).
  std::vector<std::string> names;
  for (size_t start = 0; start < list.size();) {
    size_t comma = std::min(list.find(',', start), list.size());
    names.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  if (names.size() != expected)
    return opError(node, "activations must have " + std::to_string(expected) + " functions, got " +
                             std::to_string(names.size()));
  for (size_t i = 0; i < expected; ++i) {
    if (names[i] == "relu") p->act[i] = RnnActivation::Relu;
    else if (names[i] == "sigmoid") p->act[i] = RnnActivation::Sigmoid;
    else if (names[i] == "tanh") p->act[i] = RnnActivation::Tanh;
    else return opError(node, "activations must be 'relu', 'sigmoid' or 'tanh', got '" + names[i] + "'");
  }
  return Status::ok();
}

Status checkOperand(const Graph& g, const Node& node, const char* name, const OperandDesc& input, const Shape& shape,
                    bool required) {
  int id = node.input(name);
  if (id < 0) return required ? opError(node, std::string(name) + " is required") : Status::ok();
  const OperandDesc& d = g.desc(id);
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, name, d, "input", input));
  if (d.shape != shape)
    return opError(node, std::string("the shape of ") + name + " " + shapeToString(d.shape) + " must be " +
                             shapeToString(shape));
  return Status::ok();
}

// The recurrent ops' Params: the kernel parameters analyze derives (validate), which lower runs.
struct RnnOpParams : OpParams {
  RnnParams kernel;
};

// Everything the four ops share: shapes, options, and the kernel parameters.
Status analyze(const Graph& g, const Node& node, RnnParams* p) {
  bool lstm = node.type == OpType::Lstm || node.type == OpType::LstmCell;
  bool cell = node.type == OpType::GruCell || node.type == OpType::LstmCell;
  p->lstm = lstm;
  const OperandDesc& input = g.desc(node.input("input"));
  const OperandDesc& weight = g.desc(node.input("weight"));
  const OperandDesc& recurrent = g.desc(node.input("recurrentWeight"));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "weight", weight, "input", input));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "recurrentWeight", recurrent, "input", input));
  if (!node.attrs.has("hiddenSize")) return opError(node, "hiddenSize is required");
  uint64_t h = uint64_t(node.attrs.getInt("hiddenSize", 0));
  uint64_t G = lstm ? 4 : 3;
  if (h == 0 || h * G * 2 > UINT32_MAX)
    return opError(node, "hiddenSize * " + std::to_string(2 * G) + " (" + std::to_string(h * G * 2) +
                             ") is not a valid dimension");
  size_t steps = 1, dirs = 1;
  std::string direction = node.attrs.getString("direction", "forward");
  if (!cell) {
    if (direction != "forward" && direction != "backward" && direction != "both")
      return opError(node, "direction must be 'forward', 'backward' or 'both'");
    dirs = direction == "both" ? 2 : 1;
    int64_t s = node.attrs.getInt("steps", 0);
    if (s <= 0) return opError(node, "steps must be greater than 0");
    if (uint64_t(input.shape[0]) != uint64_t(s))
      return opError(node, "the input's first dimension (" + std::to_string(input.shape[0]) + ") must equal steps (" +
                               std::to_string(s) + ")");
    steps = size_t(s);
  }
  size_t batch = input.shape[cell ? 0 : 1], inputSize = input.shape[cell ? 1 : 2];
  uint32_t H = uint32_t(h), B = uint32_t(batch), D = uint32_t(dirs);
  auto shaped = [&](Shape s) {  // the sequence ops have a leading directions dim
    if (!cell) s.insert(s.begin(), D);
    return s;
  };
  WEBNN_RETURN_IF_ERROR(checkOperand(g, node, "weight", input, shaped({uint32_t(G * h), uint32_t(inputSize)}), true));
  WEBNN_RETURN_IF_ERROR(checkOperand(g, node, "recurrentWeight", input, shaped({uint32_t(G * h), H}), true));
  if (cell) {
    WEBNN_RETURN_IF_ERROR(checkOperand(g, node, "hiddenState", input, {B, H}, true));
    if (lstm) WEBNN_RETURN_IF_ERROR(checkOperand(g, node, "cellState", input, {B, H}, true));
  } else {
    WEBNN_RETURN_IF_ERROR(checkOperand(g, node, "initialHiddenState", input, {D, B, H}, false));
    if (lstm) WEBNN_RETURN_IF_ERROR(checkOperand(g, node, "initialCellState", input, {D, B, H}, false));
  }
  WEBNN_RETURN_IF_ERROR(checkOperand(g, node, "bias", input, shaped({uint32_t(G * h)}), false));
  WEBNN_RETURN_IF_ERROR(checkOperand(g, node, "recurrentBias", input, shaped({uint32_t(G * h)}), false));
  if (lstm) WEBNN_RETURN_IF_ERROR(checkOperand(g, node, "peepholeWeight", input, shaped({uint32_t(3 * h)}), false));
  WEBNN_RETURN_IF_ERROR(parseActivations(node, lstm ? 3 : 2, p));
  std::string layout = node.attrs.getString("layout", lstm ? "iofg" : "zrn");
  if (lstm) {
    // Canonical gates i, o, f, g.
    if (layout == "iofg") { p->gatePos[0] = 0; p->gatePos[1] = 1; p->gatePos[2] = 2; p->gatePos[3] = 3; }
    else if (layout == "ifgo") { p->gatePos[0] = 0; p->gatePos[1] = 3; p->gatePos[2] = 1; p->gatePos[3] = 2; }
    else return opError(node, "layout must be 'iofg' or 'ifgo'");
  } else {
    // Canonical gates z, r, n.
    if (layout == "zrn") { p->gatePos[0] = 0; p->gatePos[1] = 1; p->gatePos[2] = 2; }
    else if (layout == "rzn") { p->gatePos[0] = 1; p->gatePos[1] = 0; p->gatePos[2] = 2; }
    else return opError(node, "layout must be 'zrn' or 'rzn'");
  }
  p->steps = steps;
  p->directions = dirs;
  p->batch = batch;
  p->inputSize = inputSize;
  p->hidden = size_t(h);
  p->backward = !cell && direction == "backward";
  p->resetAfter = node.attrs.getBool("resetAfter", true);
  return Status::ok();
}

Status validateRnn(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  RnnOpParams stored;
  WEBNN_RETURN_IF_ERROR(analyze(g, node, &stored.kernel));
  const RnnParams& p = stored.kernel;
  DataType t = g.desc(node.input("input")).dataType;
  uint32_t D = uint32_t(p.directions), B = uint32_t(p.batch), H = uint32_t(p.hidden), T = uint32_t(p.steps);
  if (node.type == OpType::GruCell) {
    outputs->push_back({t, {B, H}});
  } else if (node.type == OpType::LstmCell) {
    outputs->push_back({t, {B, H}});
    outputs->push_back({t, {B, H}});
  } else {
    outputs->push_back({t, {D, B, H}});
    if (p.lstm) outputs->push_back({t, {D, B, H}});
    if (node.attrs.getBool("returnSequence", false)) outputs->push_back({t, {T, D, B, H}});
  }
  storeParams(params, stored);
  return Status::ok();
}

Status lowerRnn(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  const RnnParams p = node.paramsAs<RnnOpParams>().kernel;
  bool cell = node.type == OpType::GruCell || node.type == OpType::LstmCell;
  int x = node.input("input"), w = node.input("weight"), r = node.input("recurrentWeight");
  int bias = node.input("bias"), rbias = node.input("recurrentBias"), peep = node.input("peepholeWeight");
  int h0 = node.input(cell ? "hiddenState" : "initialHiddenState");
  int c0 = p.lstm ? node.input(cell ? "cellState" : "initialCellState") : -1;
  int outH = node.outputs[0];
  int outC = p.lstm ? node.outputs[1] : -1;
  int outSeq = (!cell && node.outputs.size() > size_t(p.lstm ? 2 : 1)) ? node.outputs.back() : -1;
  auto packed = std::make_shared<RnnPackedWeights>();
  bool packedWeights = g.isConstant(w) && g.isConstant(r);
  if (packedWeights && !packRnnWeights(p, g.constantData<float>(w), g.constantData<float>(r), packed.get()))
    return Status::error(ErrorKind::UnknownError, node.displayName() + ": out of memory packing the weights");
  if (packedWeights) w = r = -1;  // read packed, never as is: the compiler frees them
  int scratch = l.addScratch(rnnScratchBytes(p));
  std::vector<int> reads;
  for (int id : {x, w, r, bias, rbias, peep, h0, c0})
    if (id >= 0) reads.push_back(id);
  std::vector<int> writes{outH};
  if (outC >= 0) writes.push_back(outC);
  if (outSeq >= 0) writes.push_back(outSeq);
  l.addStep(node.op, reads, writes, [=](const StepContext& c) {
    auto get = [&](int id) -> const float* { return id >= 0 ? c.get<float>(id) : nullptr; };
    rnnF32(c.pool, p, get(x), get(w), get(r), packed.get(), get(bias), get(rbias), get(peep), get(h0), get(c0),
           c.get<float>(outH), outC >= 0 ? c.get<float>(outC) : nullptr, outSeq >= 0 ? c.get<float>(outSeq) : nullptr,
           c.ptrs[scratch]);
  });
  return Status::ok();
}

}  // namespace

void registerRecurrentOps(OpRegistry& r) {
  for (OpType t : {OpType::Gru, OpType::GruCell, OpType::Lstm, OpType::LstmCell}) r.add(t, validateRnn, lowerRnn);
}

}  // namespace webnn
