// transpose(input, {permutation}): default permutation reverses the dims.
#include "kernels/layout/transpose.h"
#include "ops/op_registry.h"
#include "ops/validation.h"

namespace webnn {
namespace {

struct TransposeParams : OpParams {
  std::vector<size_t> permutation;
};

std::vector<size_t> permutationOf(const Node& node, size_t rank) {
  std::vector<size_t> perm;
  if (node.attrs.has("permutation")) return node.attrs.getInts<size_t>("permutation");
  for (size_t i = 0; i < rank; ++i) perm.push_back(rank - 1 - i);
  return perm;
}

Status validateTranspose(const Graph& g, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params) {
  const OperandDesc& input = g.desc(node.input("input"));
  std::vector<double> raw = node.attrs.getNumbers("permutation");
  if (node.attrs.has("permutation")) {
    if (raw.size() != input.rank())
      return opError(node, "the permutation's length (" + std::to_string(raw.size()) + ") must equal the input's rank (" +
                               std::to_string(input.rank()) + ")");
    std::vector<bool> seen(input.rank(), false);
    for (double v : raw) {
      if (!(v >= 0 && v < double(input.rank())) || seen[size_t(v)])  // (NaN fails the range test)
        return opError(node, "the permutation must hold each of 0.." + std::to_string(input.rank() - 1) + " exactly once");
      seen[size_t(v)] = true;
    }
  }
  TransposeParams p;
  p.permutation = permutationOf(node, input.rank());
  OperandDesc out{input.dataType, {}};
  for (size_t d : p.permutation) out.shape.push_back(input.shape[d]);
  storeParams(params, std::move(p));
  outputs->push_back(out);
  return Status::ok();
}

Status lowerTranspose(const Node& node, Lowering& l) {
  int in = node.input("input"), out = node.outputs[0];
  const OperandDesc& d = l.graph().desc(in);
  std::vector<size_t> perm = node.paramsAs<TransposeParams>().permutation;
  Shape shape = d.shape;
  size_t es = dataTypeSize(d.dataType);
  l.addStep(node.op, {in}, {out}, [=](const StepContext& c) { transposeKernel(c.pool, es, shape, perm.data(), c.ptrs[in], c.ptrs[out]); });
  return Status::ok();
}

}  // namespace

void registerTransposeOps(OpRegistry& r) {
  r.add(OpType::Transpose, validateTranspose, lowerTranspose);
}

}  // namespace webnn
