// The op schema in C++: every op's OpType, spec name, operand arguments (required, optional or a
// sequence, with the data types and ranks the engine runs), results and the traits compiler passes
// ask. The table is src/graph/op_schema.inc, generated from src/graph/op_schema.mjs (the single
// source of truth; docs/architecture.md "Adding an op").
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "core/data_type.h"

namespace webnn {

// An includer of op_schema.inc defines all four of its macros (WEBNN_OP, WEBNN_OPERAND,
// WEBNN_RESULT, WEBNN_BINARY) and undefines them after.
enum class OpType : uint8_t {
#define WEBNN_OP(type, ...) type,
#define WEBNN_OPERAND(...)
#define WEBNN_RESULT(...)
#define WEBNN_BINARY(...)
#include "graph/op_schema.inc"
#undef WEBNN_OP
#undef WEBNN_OPERAND
#undef WEBNN_RESULT
#undef WEBNN_BINARY
  Count,  // not an op: the number of ops (and a Node's type before it is set)
};

constexpr size_t kOpTypeCount = size_t(OpType::Count);

enum class OperandRole : uint8_t {
  Required,  // a positional argument of the IDL method
  Optional,  // a member of the options dictionary
  Sequence,  // sequence<MLOperand> (concat's inputs): repeats its name, at least once
};

// What an element-wise op is to the fusion passes.
enum class ElementwiseKind : uint8_t { None, Binary, Activation };

// One operand argument or result: its name as in the spec's IDL and MLOpSupportLimits.
struct TensorSpec {
  const char* name;
  OperandRole role;  // Required for results
  DataTypeSet dataTypes;
  int minRank, maxRank;
};

struct OpSchema {
  OpType type;
  const char* name;    // the MLGraphBuilder method
  bool float16Native;  // `lower` computes float16 itself; otherwise the float16 pass widens the node
  ElementwiseKind elementwise;
  // Epilogue fusion (compiler/fusion.cpp): the argument taking a fused per-channel bias and the
  // attribute scaling it (gemm's beta); null when the op fuses no bias and activation.
  const char* epilogueBias;
  const char* epilogueBiasScale;
  // The attribute naming the input layout ("nchw" when absent), null when the op has none.
  const char* layoutAttr;
  bool nhwcIO;  // `lower` honours Node::nhwcIn/nhwcOut (compiler/layout.cpp)
  std::vector<TensorSpec> operands;
  std::vector<TensorSpec> results;

  const TensorSpec* operand(const std::string& argument) const;
};

// The entry of `type`; OpType::Count (an unset Node::type) gives a blank entry with no traits.
const OpSchema& opSchema(OpType type);
inline const char* opName(OpType type) { return opSchema(type).name; }
// The OpType of a spec method name; false when the schema has no such op.
bool opTypeOf(const std::string& name, OpType* out);

}  // namespace webnn
