// The ops the engine implements: each op's validation (the relational rules: shapes, geometry;
// addOperation has already checked every operand against the op's schema entry) and its lowering
// to steps. Each op family registers its ops from its own file; op_registry.cpp lists the families
// once. What an op takes and reports (opSupportLimits) is its schema entry (graph/op_schema.h).
#pragma once
#include <string>
#include <vector>

#include "ops/lowering.h"
#include "core/data_type.h"
#include "core/status.h"
#include "graph/graph.h"
#include "graph/op_schema.h"

namespace webnn {

// Where validate stores the node's parsed parameters.
using OpParamsOut = std::shared_ptr<const OpParams>*;

// Stores `p` as the node's Params struct (a validate's last step; Node::paramsAs reads it).
template <typename P>
void storeParams(OpParamsOut out, P p) {
  *out = std::make_shared<const P>(std::move(p));
}

struct OpDef {
  OpType type;
  std::string name;  // the schema's spec name
  // Applies the spec's relational steps to the node's inputs and attributes; fills the output
  // descriptors and, for an op with parameters, the Params struct its lower reads (Node::params).
  Status (*validate)(const Graph& graph, const Node& node, std::vector<OperandDesc>* outputs, OpParamsOut params);
  // Emits the steps computing the node's outputs.
  Status (*lower)(const Node& node, Lowering& lowering);
  // The schema's trait: true when `lower` computes float16 operands itself. Otherwise the float16
  // pass (src/compiler/float16.cpp) rewrites the node to compute in float32 between conversion
  // steps, so an op whose schema lists float16 needs only a float32 lowering.
  bool float16Native = false;
  const OpSchema* schema = nullptr;
};

class OpRegistry {
 public:
  static const OpRegistry& instance();
  const OpDef* find(OpType type) const;
  const OpDef* find(const std::string& name) const;
  const std::vector<OpDef>& all() const { return ops_; }
  using ValidateFn = Status (*)(const Graph&, const Node&, std::vector<OperandDesc>*, OpParamsOut);
  using LowerFn = Status (*)(const Node&, Lowering&);
  void add(OpType type, ValidateFn validate, LowerFn lower);

 private:
  std::vector<OpDef> ops_;
  int index_[kOpTypeCount] = {};  // 1 + the position in ops_ of each registered OpType, 0 when absent
};

// One registration function per op family (defined in src/ops/<family>.cpp).
#define WEBNN_OP_FAMILIES(X) \
  X(ElementwiseBinary)       \
  X(Activation)              \
  X(Softmax)                 \
  X(Pool)                    \
  X(Conv2d)                  \
  X(Gemm)                    \
  X(Reshape)                 \
  X(Transpose)               \
  X(Concat)                  \
  X(ElementwiseUnary)        \
  X(Logical)                 \
  X(Reduce)                  \
  X(Quantize)                \
  X(Slice)                   \
  X(Pad)                     \
  X(Expand)                  \
  X(Reverse)                 \
  X(Gather)                  \
  X(Resample)                \
  X(Normalization)           \
  X(ConvTranspose2d)         \
  X(Recurrent)

#define X(family) void register##family##Ops(OpRegistry& registry);
WEBNN_OP_FAMILIES(X)
#undef X

}  // namespace webnn
