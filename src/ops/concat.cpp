// concat(inputs, axis): same data type and rank, equal dims except along axis.
#include <cstring>

#include "kernels/task_split.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

struct ConcatParams : OpParams {
  size_t axis = 0;
};

Status validateConcat(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  std::vector<int> ids = node.inputList("inputs");
  if (ids.empty() || ids.size() > kMaxTensorCount)
    return opError(node, "inputs must have 1 to " + std::to_string(kMaxTensorCount) + " operands, got " +
                             std::to_string(ids.size()));
  const OperandDesc& first = g.desc(ids[0]);
  int64_t axis = node.attrs.getInt("axis", 0);
  if (axis < 0 || size_t(axis) >= std::max<size_t>(first.rank(), 1) || first.rank() == 0)
    return opError(node, "axis " + std::to_string(axis) + " is out of range for rank " + std::to_string(first.rank()));
  OperandDesc out = first;
  uint64_t total = 0;
  for (size_t i = 0; i < ids.size(); ++i) {
    const OperandDesc& d = g.desc(ids[i]);
    std::string name = "inputs[" + std::to_string(i) + "]";
    WEBNN_RETURN_IF_ERROR(checkSameDataType(node, name.c_str(), d, "inputs[0]", first));
    if (d.rank() != first.rank())
      return opError(node, "the rank of " + name + " " + shapeToString(d.shape) + " differs from inputs[0] " +
                               shapeToString(first.shape));
    for (size_t k = 0; k < d.rank(); ++k)
      if (k != size_t(axis) && d.shape[k] != first.shape[k])
        return opError(node, "the shape of " + name + " " + shapeToString(d.shape) + " differs from inputs[0] " +
                                 shapeToString(first.shape) + " outside axis " + std::to_string(axis));
    total += d.shape[axis];
  }
  if (total > UINT32_MAX) return opError(node, "the concatenated dimension is too large");
  out.shape[axis] = uint32_t(total);
  ConcatParams p;
  p.axis = size_t(axis);
  storeParams(params, p);
  outputs->push_back(out);
  return Status::ok();
}

Status lowerConcat(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  std::vector<int> ids = node.inputList("inputs");
  int out = node.outputs[0];
  const OperandDesc& od = g.desc(out);
  size_t axis = node.paramsAs<ConcatParams>().axis;
  size_t es = dataTypeSize(od.dataType);
  size_t outer = product(od.shape, 0, axis), innerOut = product(od.shape, axis, od.rank()) * es;
  std::vector<size_t> rowBytes;  // bytes each input contributes per outer index
  for (int id : ids) rowBytes.push_back(product(g.desc(id).shape, axis, od.rank()) * es);
  l.addStep(node.op, ids, {out}, [=](const StepContext& c) {
    uint8_t* dst = c.get<uint8_t>(out);
    // Outer indices [first, first + count): the output row from each input's piece, in order.
    runSplitCopyRows(c.pool, outer, innerOut, [&](size_t first, size_t count) {
      for (size_t o = first; o < first + count; ++o) {
        size_t offset = 0;
        for (size_t i = 0; i < ids.size(); ++i) {
          std::memcpy(dst + o * innerOut + offset, c.get<uint8_t>(ids[i]) + o * rowBytes[i], rowBytes[i]);
          offset += rowBytes[i];
        }
      }
    });
  });
  return Status::ok();
}

}  // namespace

void registerConcatOps(OpRegistry& r) {
  r.add(OpType::Concat, validateConcat, lowerConcat);
}

}  // namespace webnn
