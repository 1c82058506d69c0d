// reduceL1, reduceL2, reduceLogSum, reduceLogSumExp, reduceMax, reduceMean, reduceMin, reduceProduct,
// reduceSum, reduceSumSquare {axes, keepDimensions}; argMin/argMax(input, axis, {keepDimensions,
// outputDataType}); cumulativeSum(input, axis, {exclusive, reversed}).
#include <cmath>

#include "kernels/reduce/reduce.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

// Each reduction's kernel (its data types are the schema's).
struct ReduceDef {
  OpType type;
  ReduceOp op;
};

const ReduceDef kReduceOps[] = {
    {OpType::ReduceL1, ReduceOp::L1},
    {OpType::ReduceL2, ReduceOp::L2},
    {OpType::ReduceLogSum, ReduceOp::LogSum},
    {OpType::ReduceLogSumExp, ReduceOp::LogSumExp},
    {OpType::ReduceMax, ReduceOp::Max},
    {OpType::ReduceMean, ReduceOp::Mean},
    {OpType::ReduceMin, ReduceOp::Min},
    {OpType::ReduceProduct, ReduceOp::Product},
    {OpType::ReduceSum, ReduceOp::Sum},
    {OpType::ReduceSumSquare, ReduceOp::SumSquare},
};

ReduceOp reduceOpOf(OpType type) {
  for (const ReduceDef& d : kReduceOps)
    if (d.type == type) return d.op;
  return ReduceOp::Sum;  // unreachable: lowerReduce is registered only for the ops above
}

// A reduction's Params: which input dims it reduces.
struct ReduceParams : OpParams {
  std::vector<bool> reduced;
};

// argMin/argMax's and cumulativeSum's Params: the input as [outer, len, inner] around the axis.
struct AxisParams : OpParams {
  size_t outer = 1, len = 1, inner = 1;
  bool exclusive = false, reversed = false;  // cumulativeSum
};

AxisParams aroundAxis(const Shape& s, size_t axis) {
  AxisParams p;
  p.outer = product(s, 0, axis);
  p.len = s[axis];
  p.inner = product(s, axis + 1, s.size());
  return p;
}

// The spec's "calculate reduction output sizes". `axes` absent: every dim; present and empty: none.
// Duplicates and values outside [0, rank) are errors (the IDL type is unsigned long, so a negative
// value never reaches a conforming caller; here it is out of range).
Status reductionShape(const Node& node, const Shape& input, const std::vector<double>* axes, bool keepDimensions,
                      Shape* out, std::vector<bool>* reduced) {
  size_t rank = input.size();
  reduced->assign(rank, axes == nullptr);
  if (axes) {
    for (double a : *axes) {
      if (!(a >= 0 && a < double(rank)) || a != std::floor(a))
        return opError(node, "axis " + std::to_string(int64_t(a)) + " is out of range for an input of rank " +
                                 std::to_string(rank) + " (axes must be in [0, rank))");
      if ((*reduced)[size_t(a)]) return opError(node, "axes contains " + std::to_string(int64_t(a)) + " more than once");
      (*reduced)[size_t(a)] = true;
    }
  }
  out->clear();
  for (size_t d = 0; d < rank; ++d) {
    if (!(*reduced)[d]) out->push_back(input[d]);
    else if (keepDimensions) out->push_back(1);
  }
  return Status::ok();
}

Status validateReduce(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  std::vector<double> axes = node.attrs.getNumbers("axes");
  Shape out;
  ReduceParams p;
  WEBNN_RETURN_IF_ERROR(reductionShape(node, input.shape, node.attrs.has("axes") ? &axes : nullptr,
                                       node.attrs.getBool("keepDimensions", false), &out, &p.reduced));
  storeParams(params, std::move(p));
  outputs->push_back({input.dataType, out});
  return Status::ok();
}

Status lowerReduce(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& input = g.desc(in);
  ReducePlan plan = makeReducePlan(input.shape, node.paramsAs<ReduceParams>().reduced);
  ReduceOp op = reduceOpOf(node.type);
  DataType type = input.dataType;
  int scratch = type == DataType::Float32 ? l.addScratch(reduceScratchBytes(plan)) : -1;
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
    reduceKernel(c.pool, op, type, plan, c.ptrs[in], c.ptrs[out], scratch >= 0 ? c.ptrs[scratch] : nullptr);
  });
  return Status::ok();
}

// argMin / argMax.
Status validateArg(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  double axis = node.attrs.getNumber("axis", -1);
  if (!(axis >= 0 && axis < double(input.rank())) || axis != std::floor(axis))
    return opError(node, "axis " + std::to_string(int64_t(axis)) + " is out of range for an input of rank " +
                             std::to_string(input.rank()));
  std::string typeName = node.attrs.getString("outputDataType", "int32");
  DataType outType;
  if (!parseDataType(typeName, &outType) || (outType != DataType::Int32 && outType != DataType::Int64))
    return opError(node, "outputDataType must be int32 or int64, got '" + typeName + "'");
  if (outType == DataType::Int32 && input.shape[size_t(axis)] > uint32_t(INT32_MAX))
    return opError(node, "the size of the axis exceeds the maximum value of int32");
  std::vector<double> axes{axis};
  Shape out;
  std::vector<bool> reduced;
  WEBNN_RETURN_IF_ERROR(reductionShape(node, input.shape, &axes, node.attrs.getBool("keepDimensions", false), &out, &reduced));
  storeParams(params, aroundAxis(input.shape, size_t(axis)));
  outputs->push_back({outType, out});
  return Status::ok();
}

Status lowerArg(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), out = node.outputs[0];
  const AxisParams& p = node.paramsAs<AxisParams>();
  size_t outer = p.outer, len = p.len, inner = p.inner;
  DataType type = g.desc(in).dataType, outType = g.desc(out).dataType;
  bool isMax = node.type == OpType::ArgMax;
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
    argMinMaxKernel(isMax, type, outType, outer, len, inner, c.ptrs[in], c.ptrs[out]);
  });
  return Status::ok();
}

Status validateCumulativeSum(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  double axis = node.attrs.getNumber("axis", -1);
  if (!(axis >= 0 && axis < double(input.rank())) || axis != std::floor(axis))
    return opError(node, "axis " + std::to_string(int64_t(axis)) + " is out of range for an input of rank " +
                             std::to_string(input.rank()));
  AxisParams p = aroundAxis(input.shape, size_t(axis));
  p.exclusive = node.attrs.getBool("exclusive", false);
  p.reversed = node.attrs.getBool("reversed", false);
  storeParams(params, p);
  outputs->push_back(input);
  return Status::ok();
}

Status lowerCumulativeSum(const Node& node, Lowering& l) {
  const Graph& g = l.graph();
  int in = node.input("input"), out = node.outputs[0];
  const AxisParams& p = node.paramsAs<AxisParams>();
  size_t outer = p.outer, len = p.len, inner = p.inner;
  DataType type = g.desc(in).dataType;
  bool exclusive = p.exclusive, reversed = p.reversed;
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) {
    cumulativeSumKernel(type, outer, len, inner, exclusive, reversed, c.ptrs[in], c.ptrs[out]);
  });
  return Status::ok();
}

}  // namespace

void registerReduceOps(OpRegistry& r) {
  for (const ReduceDef& d : kReduceOps) r.add(d.type, validateReduce, lowerReduce);
  r.add(OpType::ArgMin, validateArg, lowerArg);
  r.add(OpType::ArgMax, validateArg, lowerArg);
  r.add(OpType::CumulativeSum, validateCumulativeSum, lowerCumulativeSum);
}

}  // namespace webnn
