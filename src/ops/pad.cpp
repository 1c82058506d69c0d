// pad(input, beginningPadding, endingPadding, {mode, value}): type-agnostic; value is cast to the
// input's data type. Reflection mirrors without repeating the edge; a reflection padding must be
// less than its dimension (the spec's TypeError).
#include "ops/pad.h"

#include <cmath>
#include <cstring>

#include "kernels/elementwise/cast.h"
#include "kernels/elementwise/float16.h"
#include "ops/index_map_lowering.h"
#include "ops/op_registry.h"

namespace webnn {

template <typename T>
static void store(T t, std::vector<uint8_t>* bytes) {
  bytes->resize(sizeof(T));
  std::memcpy(bytes->data(), &t, sizeof(T));
}

// The spec's "cast" (§casting) of an MLNumber to a data type: integers clamp to the type's range,
// round half to even and take 0 for NaN (convertToInt); floats round to nearest, once.
void encodeScalar(DataType t, double value, std::vector<uint8_t>* bytes) {
  switch (t) {
    case DataType::Float32: return store(float(value), bytes);
    case DataType::Float16: return store(doubleToHalf(value), bytes);
    case DataType::Int32: return store(convertToInt<int32_t>(value), bytes);
    case DataType::Uint32: return store(convertToInt<uint32_t>(value), bytes);
    case DataType::Int64: return store(convertToInt<int64_t>(value), bytes);
    case DataType::Uint64: return store(convertToInt<uint64_t>(value), bytes);
    case DataType::Int8: return store(convertToInt<int8_t>(value), bytes);
    case DataType::Uint8: return store(convertToInt<uint8_t>(value), bytes);
  }
}

namespace {

struct PadParams : OpParams {
  std::vector<int64_t> begin;
  std::string mode;
  double value = 0;
};

Status validatePad(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  std::vector<double> begin = node.attrs.getNumbers("beginningPadding"), end = node.attrs.getNumbers("endingPadding");
  size_t rank = input.rank();
  if (begin.size() != rank || end.size() != rank)
    return opError(node, "beginningPadding (length " + std::to_string(begin.size()) + ") and endingPadding (length " +
                             std::to_string(end.size()) + ") must both have the input's rank (" + std::to_string(rank) + ")");
  std::string mode = node.attrs.getString("mode", "constant");
  if (mode != "constant" && mode != "edge" && mode != "reflection")
    return opError(node, "mode must be 'constant', 'edge' or 'reflection'");
  OperandDesc out{input.dataType, Shape(rank)};
  for (size_t d = 0; d < rank; ++d) {
    // Reflection mirrors inside the dimension without repeating its edge: it has only dim - 1
    // elements to mirror on each side.
    if (mode == "reflection" && (begin[d] >= input.shape[d] || end[d] >= input.shape[d]))
      return opError(node, "reflection padding (" + std::to_string(int64_t(begin[d])) + ", " +
                               std::to_string(int64_t(end[d])) + ") must be less than dimension " + std::to_string(d) +
                               " (" + std::to_string(input.shape[d]) + ")");
    double size = begin[d] + input.shape[d] + end[d];
    if (size > UINT32_MAX) return opError(node, "the padded dimension " + std::to_string(d) + " is too large");
    out.shape[d] = uint32_t(size);
  }
  PadParams p;
  p.begin = node.attrs.getInts<int64_t>("beginningPadding");
  p.mode = mode;
  p.value = node.attrs.getNumber("value", 0.0);
  storeParams(params, std::move(p));
  outputs->push_back(out);
  return Status::ok();
}

int64_t padIndex(const std::string& mode, int64_t i, int64_t n) {
  if (i >= 0 && i < n) return i;
  if (mode == "constant") return -1;
  if (mode == "edge") return i < 0 ? 0 : n - 1;
  return i < 0 ? -i : 2 * (n - 1) - i;  // reflection (validation keeps the padding below n)
}

Status lowerPad(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& id = l.graph().desc(in);
  const OperandDesc& od = l.graph().desc(out);
  const PadParams& p = node.paramsAs<PadParams>();
  const std::vector<int64_t>& begin = p.begin;
  const std::string& mode = p.mode;
  IndexMaps m = makeIndexMaps(dataTypeSize(id.dataType), od.shape);
  encodeScalar(id.dataType, p.value, &m.fill);
  for (size_t d = 0; d < od.rank(); ++d)
    for (size_t o = 0; o < od.shape[d]; ++o) m.offsets[d][o] = padIndex(mode, int64_t(o) - begin[d], id.shape[d]);
  scaleToBytes(&m, id.shape);
  addIndexMapStep(node, l, in, out, std::move(m));
  return Status::ok();
}

}  // namespace

bool padsWithZeros(const Node& pad, std::vector<int64_t>* begin) {
  const PadParams& p = pad.paramsAs<PadParams>();
  *begin = p.begin;
  return p.mode == "constant" && p.value == 0;
}

void registerPadOps(OpRegistry& r) {
  r.add(OpType::Pad, validatePad, lowerPad);
}

}  // namespace webnn
