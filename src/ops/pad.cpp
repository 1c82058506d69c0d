// pad(input, beginningPadding, endingPadding, {mode, value}): type-agnostic; value is converted to
// the input's data type. Reflection mirrors without repeating the edge; paddings larger than the
// dimension keep mirroring back and forth (periodic), so every index stays in bounds.
#include <cmath>
#include <cstring>

#include "kernels/elementwise/float16.h"
#include "ops/index_map_lowering.h"
#include "ops/op_registry.h"

namespace webnn {

template <typename T>
static void store(double v, std::vector<uint8_t>* bytes) {
  T t = static_cast<T>(v);
  bytes->resize(sizeof(T));
  std::memcpy(bytes->data(), &t, sizeof(T));
}

void encodeScalar(DataType t, double value, std::vector<uint8_t>* bytes) {
  // Integer types take the value truncated toward zero (NaN becomes 0) and wrapped like a C cast of an
  // in-range int64; out-of-range values saturate at the int64 conversion.
  double iv = std::isnan(value) ? 0.0 : std::trunc(value);
  if (iv > 9.2e18) iv = 9.2e18;
  if (iv < -9.2e18) iv = -9.2e18;
  switch (t) {
    case DataType::Float32: return store<float>(value, bytes);
    case DataType::Float16: {
      uint16_t h = floatToHalf(float(value));
      bytes->resize(2);
      std::memcpy(bytes->data(), &h, 2);
      return;
    }
    case DataType::Int32: return store<int32_t>(double(int32_t(int64_t(iv))), bytes);
    case DataType::Uint32: return store<uint32_t>(double(uint32_t(int64_t(iv))), bytes);
    case DataType::Int64: return store<int64_t>(iv, bytes);
    case DataType::Uint64: return store<uint64_t>(double(uint64_t(int64_t(iv))), bytes);
    case DataType::Int8: return store<int8_t>(double(int8_t(int64_t(iv))), bytes);
    case DataType::Uint8: return store<uint8_t>(double(uint8_t(int64_t(iv))), bytes);
  }
}

namespace {

Status validatePad(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs) {
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
    double size = begin[d] + input.shape[d] + end[d];
    if (size > UINT32_MAX) return opError(node, "the padded dimension " + std::to_string(d) + " is too large");
    out.shape[d] = uint32_t(size);
  }
  outputs->push_back(out);
  return Status::ok();
}

int64_t padIndex(const std::string& mode, int64_t i, int64_t n) {
  if (i >= 0 && i < n) return i;
  if (mode == "constant") return -1;
  if (mode == "edge" || n == 1) return i < 0 ? 0 : n - 1;
  int64_t period = 2 * (n - 1), m = ((i % period) + period) % period;
  return m < n ? m : period - m;
}

Status lowerPad(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& id = l.graph().desc(in);
  const OperandDesc& od = l.graph().desc(out);
  std::vector<int64_t> begin = node.attrs.getInts<int64_t>("beginningPadding");
  std::string mode = node.attrs.getString("mode", "constant");
  IndexMaps m = makeIndexMaps(dataTypeSize(id.dataType), od.shape);
  encodeScalar(id.dataType, node.attrs.getNumber("value", 0.0), &m.fill);
  for (size_t d = 0; d < od.rank(); ++d)
    for (size_t o = 0; o < od.shape[d]; ++o) m.offsets[d][o] = padIndex(mode, int64_t(o) - begin[d], id.shape[d]);
  scaleToBytes(&m, id.shape);
  addIndexMapStep(node, l, in, out, std::move(m));
  return Status::ok();
}

}  // namespace

void registerPadOps(OpRegistry& r) {
  r.add(bytewise({"pad", validatePad, lowerPad, {{"input", kAllTypes, 0, 8}, {"output", kAllTypes, 0, 8}}}));
}

}  // namespace webnn
