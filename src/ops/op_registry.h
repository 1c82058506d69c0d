// The table of every op the engine implements: its validation (shape inference), its lowering to
// steps, and what opSupportLimits() reports for it. Each op family registers its ops from its own
// file; op_registry.cpp lists the families once.
#pragma once
#include <string>
#include <vector>

#include "compiler/lowering.h"
#include "core/data_type.h"
#include "core/status.h"
#include "graph/graph.h"

namespace webnn {

struct TensorLimits {
  std::string name;  // the argument's name as in MLOpSupportLimits ("input", "filter", "output", ...)
  DataTypeSet dataTypes;
  int minRank, maxRank;
};

// The limits of an op's results ("output", "outputs" of split, "output0".."output2" of the recurrent
// ops), as opposed to its operand arguments.
inline bool isOutputLimit(const std::string& name) {
  return name == "output" || name == "outputs" ||
         (name.size() == 7 && name.compare(0, 6, "output") == 0 && name[6] >= '0' && name[6] <= '9');
}

struct OpDef {
  std::string name;
  // Checks the node's inputs and attributes as the spec's steps say; fills the output descriptors.
  Status (*validate)(const Graph& graph, const Node& node, std::vector<OperandDesc>* outputs);
  // Emits the steps computing the node's outputs.
  Status (*lower)(const Node& node, Lowering& lowering);
  std::vector<TensorLimits> limits;
  // True when `lower` computes float16 operands itself. Otherwise the float16 pass
  // (src/compiler/float16.cpp) rewrites the node to compute in float32 between conversion steps,
  // so an op declaring float16 in validation and `limits` needs only a float32 lowering.
  bool float16Native = false;
};

class OpRegistry {
 public:
  static const OpRegistry& instance();
  const OpDef* find(const std::string& name) const;
  const std::vector<OpDef>& all() const { return ops_; }
  void add(OpDef def) { ops_.push_back(std::move(def)); }

 private:
  std::vector<OpDef> ops_;
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
