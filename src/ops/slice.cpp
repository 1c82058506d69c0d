// slice(input, starts, sizes, {strides}) and split(input, splits, {axis}): type-agnostic copies.
#include <cstring>

#include "kernels/task_split.h"
#include "ops/index_map_lowering.h"
#include "ops/op_registry.h"

namespace webnn {
namespace {

// ---- slice ----

struct SliceParams : OpParams {
  std::vector<int64_t> starts, strides;
};

Status validateSlice(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  std::vector<double> starts = node.attrs.getNumbers("starts"), sizes = node.attrs.getNumbers("sizes");
  size_t rank = input.rank();
  if (starts.size() != rank)
    return opError(node, "the length of starts (" + std::to_string(starts.size()) + ") must equal the input's rank (" +
                             std::to_string(rank) + ")");
  if (sizes.size() != rank)
    return opError(node, "the length of sizes (" + std::to_string(sizes.size()) + ") must equal the input's rank (" +
                             std::to_string(rank) + ")");
  std::vector<double> strides = node.attrs.getNumbers("strides", std::vector<double>(rank, 1.0));
  if (strides.size() != rank)
    return opError(node, "the length of strides (" + std::to_string(strides.size()) + ") must equal the input's rank (" +
                             std::to_string(rank) + ")");
  OperandDesc out{input.dataType, Shape(rank)};
  for (size_t d = 0; d < rank; ++d) {
    std::string dim = " for dimension " + std::to_string(d);
    if (sizes[d] == 0) return opError(node, "sizes must not contain 0" + dim);
    if (strides[d] < 1) return opError(node, "strides must be greater than 0" + dim);
    if (starts[d] >= input.shape[d])
      return opError(node, "starts[" + std::to_string(d) + "] (" + std::to_string(uint64_t(starts[d])) +
                               ") must be less than the input's dimension " + std::to_string(input.shape[d]));
    if (starts[d] + sizes[d] > input.shape[d])
      return opError(node, "starts + sizes" + dim + " (" + std::to_string(uint64_t(starts[d] + sizes[d])) +
                               ") exceeds the input's dimension " + std::to_string(input.shape[d]));
    out.shape[d] = uint32_t((uint64_t(sizes[d]) + uint64_t(strides[d]) - 1) / uint64_t(strides[d]));
  }
  SliceParams p;
  p.starts = node.attrs.getInts<int64_t>("starts");
  p.strides = node.attrs.getInts<int64_t>("strides", std::vector<int64_t>(rank, 1));
  storeParams(params, std::move(p));
  outputs->push_back(out);
  return Status::ok();
}

Status lowerSlice(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& id = l.graph().desc(in);
  const OperandDesc& od = l.graph().desc(out);
  const std::vector<int64_t>& starts = node.paramsAs<SliceParams>().starts;
  const std::vector<int64_t>& strides = node.paramsAs<SliceParams>().strides;
  IndexMaps m = makeIndexMaps(dataTypeSize(id.dataType), od.shape);
  for (size_t d = 0; d < od.rank(); ++d)
    for (size_t o = 0; o < od.shape[d]; ++o) m.offsets[d][o] = starts[d] + int64_t(o) * strides[d];
  scaleToBytes(&m, id.shape);
  addIndexMapStep(node, l, in, out, std::move(m));
  return Status::ok();
}

// ---- split ----

struct SplitParams : OpParams {
  size_t axis = 0;
  std::vector<uint32_t> sizes;
};

// The split sizes along the axis: `splits` is a count (a number) or the sizes (a sequence).
Status splitSizes(const Graph& g, const Node& node, size_t* axisOut, std::vector<uint32_t>* sizes) {
  const OperandDesc& input = g.desc(node.input("input"));
  int64_t axis = node.attrs.getInt("axis", 0);
  if (axis < 0 || size_t(axis) >= input.rank())
    return opError(node, "axis " + std::to_string(axis) + " must be less than the input's rank (" +
                             std::to_string(input.rank()) + ")");
  uint32_t dim = input.shape[axis];
  if (!node.attrs.has("splits")) return opError(node, "splits is required");
  double count = node.attrs.getNumber("splits", -1);
  if (count >= 0) {
    if (count == 0 || count > kMaxTensorCount)
      return opError(node, "splits must be 1 to " + std::to_string(kMaxTensorCount) + ", got " + std::to_string(uint32_t(count)));
    if (dim % uint32_t(count) != 0)
      return opError(node, "the input's dimension " + std::to_string(dim) + " along axis " + std::to_string(axis) +
                               " is not divisible by splits (" + std::to_string(uint32_t(count)) + ")");
    sizes->assign(uint32_t(count), dim / uint32_t(count));
  } else {
    std::vector<double> list = node.attrs.getNumbers("splits");
    if (list.empty() || list.size() > kMaxTensorCount)
      return opError(node, "splits must have 1 to " + std::to_string(kMaxTensorCount) + " sizes, got " +
                               std::to_string(list.size()));
    double sum = 0;
    for (double v : list) {
      if (v == 0) return opError(node, "splits must not contain 0");
      sum += v;
      sizes->push_back(uint32_t(v));
    }
    if (sum != dim)
      return opError(node, "the sum of splits (" + std::to_string(uint64_t(sum)) + ") must equal the input's dimension " +
                               std::to_string(dim) + " along axis " + std::to_string(axis));
  }
  *axisOut = size_t(axis);
  return Status::ok();
}

Status validateSplit(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  size_t axis = 0;
  std::vector<uint32_t> sizes;
  WEBNN_RETURN_IF_ERROR(splitSizes(g, node, &axis, &sizes));
  SplitParams p;
  p.axis = axis;
  p.sizes = sizes;
  storeParams(params, std::move(p));
  const OperandDesc& input = g.desc(node.input("input"));
  for (uint32_t s : sizes) {
    OperandDesc d = input;
    d.shape[axis] = s;
    outputs->push_back(d);
  }
  return Status::ok();
}

Status lowerSplit(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input");
  const OperandDesc& id = g.desc(in);
  size_t axis = node.paramsAs<SplitParams>().axis;
  std::vector<uint32_t> sizes = node.paramsAs<SplitParams>().sizes;
  size_t es = dataTypeSize(id.dataType);
  size_t outer = product(id.shape, 0, axis), innerBytes = product(id.shape, axis + 1, id.rank()) * es;
  size_t inRow = id.shape[axis] * innerBytes;
  std::vector<int> outs = node.outputs;
  l.addStep(node.op, {in}, outs, [=](const StepContext& c) {
    const uint8_t* src = c.get<uint8_t>(in);
    // Outer indices [first, first + count): the input row's pieces to the outputs, in order.
    runSplitCopyRows(c.pool, outer, inRow, [&](size_t first, size_t count) {
      for (size_t o = first; o < first + count; ++o) {
        size_t offset = 0;
        for (size_t i = 0; i < outs.size(); ++i) {
          const size_t row = sizes[i] * innerBytes;
          std::memcpy(c.get<uint8_t>(outs[i]) + o * row, src + o * inRow + offset, row);
          offset += row;
        }
      }
    });
  });
  return Status::ok();
}

}  // namespace

void registerSliceOps(OpRegistry& r) {
  r.add(OpType::Slice, validateSlice, lowerSlice);
  r.add(OpType::Split, validateSplit, lowerSplit);
}

}  // namespace webnn
