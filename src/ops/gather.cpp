// gather, gatherElements, gatherND, scatterElements, scatterND: type-agnostic data, int32 / uint32 /
// int64 indices. Out-of-range indices are defined, never a fault: a negative index counts from the end
// (index + dim) and the result is clamped to [0, dim - 1]. Duplicate scatter indices: the last
// update in row-major order wins.
#include "core/aligned_buffer.h"
#include "ops/index_map_lowering.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {


// gather's, gatherElements' and scatterElements' Params: the checked axis.
struct GatherParams : OpParams {
  size_t axis = 0;
};

void storeAxis(OpParamsOut params, size_t axis) {
  GatherParams p;
  p.axis = axis;
  storeParams(params, p);
}

Status axisOf(const Node& node, const OperandDesc& input, size_t* axis) {
  int64_t a = node.attrs.getInt("axis", 0);
  if (a < 0 || size_t(a) >= input.rank())
    return opError(node, "axis " + std::to_string(a) + " must be less than the input's rank (" +
                             std::to_string(input.rank()) + ")");
  *axis = size_t(a);
  return Status::ok();
}

// ---- gather ----

Status validateGather(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  const OperandDesc& indices = g.desc(node.input("indices"));
  size_t axis;
  WEBNN_RETURN_IF_ERROR(axisOf(node, input, &axis));
  storeAxis(params, axis);
  OperandDesc out{input.dataType, {}};
  for (size_t d = 0; d < axis; ++d) out.shape.push_back(input.shape[d]);
  for (uint32_t d : indices.shape) out.shape.push_back(d);
  for (size_t d = axis + 1; d < input.rank(); ++d) out.shape.push_back(input.shape[d]);
  if (out.rank() > 8) return opError(node, "the output's rank " + std::to_string(out.rank()) + " exceeds 8");
  outputs->push_back(out);
  return Status::ok();
}

Status lowerGather(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), idx = node.input("indices"), out = node.outputs[0];
  const OperandDesc& id = g.desc(in);
  size_t axis = node.paramsAs<GatherParams>().axis;
  size_t es = dataTypeSize(id.dataType), outer = product(id.shape, 0, axis), inner = product(id.shape, axis + 1, id.rank());
  size_t dim = id.shape[axis], count = g.desc(idx).elementCount();
  DataType it = g.desc(idx).dataType;
  int resolved = l.addScratch(satMul(count, sizeof(size_t)));  // the clamped indices
  l.addStep(node.op, {in, idx}, {out}, [=](const StepContext& c) {
    gatherKernel(es, outer, dim, inner, c.ptrs[in], it, c.ptrs[idx], count, c.ptrs[out], c.get<size_t>(resolved));
  });
  return Status::ok();
}

// ---- gatherElements / scatterElements ----

Status checkElementsIndices(const Node& node, const OperandDesc& input, const OperandDesc& indices, size_t axis) {
  if (indices.rank() != input.rank())
    return opError(node, "the rank of indices " + shapeToString(indices.shape) + " must equal the input's rank " +
                             shapeToString(input.shape));
  for (size_t d = 0; d < input.rank(); ++d)
    if (d != axis && indices.shape[d] != input.shape[d])
      return opError(node, "the shape of indices " + shapeToString(indices.shape) + " must equal the input's shape " +
                               shapeToString(input.shape) + " outside axis " + std::to_string(axis));
  return Status::ok();
}

Status validateGatherElements(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  const OperandDesc& indices = g.desc(node.input("indices"));
  size_t axis;
  WEBNN_RETURN_IF_ERROR(axisOf(node, input, &axis));
  storeAxis(params, axis);
  WEBNN_RETURN_IF_ERROR(checkElementsIndices(node, input, indices, axis));
  outputs->push_back({input.dataType, indices.shape});
  return Status::ok();
}

Status lowerGatherElements(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), idx = node.input("indices"), out = node.outputs[0];
  Shape is = g.desc(in).shape, xs = g.desc(idx).shape;
  size_t es = dataTypeSize(g.desc(in).dataType), axis = node.paramsAs<GatherParams>().axis;
  DataType it = g.desc(idx).dataType;
  l.addStep(node.op, {in, idx}, {out}, [=](const StepContext& c) {
    gatherElementsKernel(es, is, xs, axis, c.ptrs[in], it, c.ptrs[idx], c.ptrs[out]);
  });
  return Status::ok();
}

Status validateScatterElements(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  const OperandDesc& indices = g.desc(node.input("indices"));
  const OperandDesc& updates = g.desc(node.input("updates"));
  size_t axis;
  WEBNN_RETURN_IF_ERROR(axisOf(node, input, &axis));
  storeAxis(params, axis);
  WEBNN_RETURN_IF_ERROR(checkElementsIndices(node, input, indices, axis));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "updates", updates, "input", input));
  if (updates.shape != indices.shape)
    return opError(node, "the shape of updates " + shapeToString(updates.shape) + " must equal the shape of indices " +
                             shapeToString(indices.shape));
  outputs->push_back(input);
  return Status::ok();
}

Status lowerScatterElements(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), idx = node.input("indices"), upd = node.input("updates"), out = node.outputs[0];
  Shape is = g.desc(in).shape, xs = g.desc(idx).shape;
  size_t es = dataTypeSize(g.desc(in).dataType), axis = node.paramsAs<GatherParams>().axis;
  DataType it = g.desc(idx).dataType;
  l.addStep(node.op, {in, idx, upd}, {out}, [=](const StepContext& c) {
    scatterElementsKernel(es, is, xs, axis, c.ptrs[in], it, c.ptrs[idx], c.ptrs[upd], c.ptrs[out]);
  });
  return Status::ok();
}

// ---- gatherND / scatterND ----

Status checkNDIndices(const Node& node, const OperandDesc& input, const OperandDesc& indices) {
  if (indices.shape.back() > input.rank())
    return opError(node, "the last dimension of indices " + shapeToString(indices.shape) +
                             " must not exceed the input's rank (" + std::to_string(input.rank()) + ")");
  return Status::ok();
}

Shape ndSliceShape(const OperandDesc& input, const OperandDesc& indices) {
  Shape s(indices.shape.begin(), indices.shape.end() - 1);
  for (size_t d = indices.shape.back(); d < input.rank(); ++d) s.push_back(input.shape[d]);
  return s;
}

Status validateGatherND(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  const OperandDesc& indices = g.desc(node.input("indices"));
  WEBNN_RETURN_IF_ERROR(checkNDIndices(node, input, indices));
  Shape s = ndSliceShape(input, indices);
  if (s.size() > 8) return opError(node, "the output's rank " + std::to_string(s.size()) + " exceeds 8");
  outputs->push_back({input.dataType, s});
  return Status::ok();
}

Status lowerGatherND(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), idx = node.input("indices"), out = node.outputs[0];
  Shape is = g.desc(in).shape;
  const Shape& xs = g.desc(idx).shape;
  size_t es = dataTypeSize(g.desc(in).dataType), k = xs.back(), rows = product(xs, 0, xs.size() - 1);
  DataType it = g.desc(idx).dataType;
  l.addStep(node.op, {in, idx}, {out}, [=](const StepContext& c) {
    gatherNDKernel(es, is, rows, k, c.ptrs[in], it, c.ptrs[idx], c.ptrs[out]);
  });
  return Status::ok();
}

Status validateScatterND(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  const OperandDesc& indices = g.desc(node.input("indices"));
  const OperandDesc& updates = g.desc(node.input("updates"));
  WEBNN_RETURN_IF_ERROR(checkNDIndices(node, input, indices));
  WEBNN_RETURN_IF_ERROR(checkSameDataType(node, "updates", updates, "input", input));
  Shape expected = ndSliceShape(input, indices);
  if (updates.shape != expected)
    return opError(node, "the shape of updates " + shapeToString(updates.shape) + " must be " + shapeToString(expected));
  outputs->push_back(input);
  return Status::ok();
}

Status lowerScatterND(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), idx = node.input("indices"), upd = node.input("updates"), out = node.outputs[0];
  Shape is = g.desc(in).shape;
  const Shape& xs = g.desc(idx).shape;
  size_t es = dataTypeSize(g.desc(in).dataType), k = xs.back(), rows = product(xs, 0, xs.size() - 1);
  DataType it = g.desc(idx).dataType;
  l.addStep(node.op, {in, idx, upd}, {out}, [=](const StepContext& c) {
    scatterNDKernel(es, is, rows, k, c.ptrs[in], it, c.ptrs[idx], c.ptrs[upd], c.ptrs[out]);
  });
  return Status::ok();
}

}  // namespace

void registerGatherOps(OpRegistry& r) {
  r.add(OpType::Gather, validateGather, lowerGather);
  r.add(OpType::GatherElements, validateGatherElements, lowerGatherElements);
  r.add(OpType::GatherND, validateGatherND, lowerGatherND);
  r.add(OpType::ScatterElements, validateScatterElements, lowerScatterElements);
  r.add(OpType::ScatterND, validateScatterND, lowerScatterND);
}

}  // namespace webnn
