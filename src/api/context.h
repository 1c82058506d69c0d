// The C++ face of the engine that the bindings call: Context, Tensor, GraphBuilder, Graph.
// Plain C++: no JS types. Fallible calls return a null/-1/false and leave the reason in error().
#pragma once
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "compiler/compiler.h"
#include "core/aligned_buffer.h"
#include "core/status.h"
#include "graph/graph.h"
#include "runtime/thread_pool.h"

namespace webnn {

class ErrorHolder {
 public:
  const Status& error() const { return error_; }
  std::string errorKind() const { return errorKindName(error_.kind()); }
  std::string errorMessage() const { return error_.message(); }

 protected:
  void setError(Status s) { error_ = std::move(s); }
  Status error_;
};

class Tensor {
 public:
  Tensor(OperandDesc desc, AlignedBuffer buffer) : desc_(std::move(desc)), buffer_(std::move(buffer)) {}
  const OperandDesc& desc() const { return desc_; }
  uint8_t* data() { return buffer_.data(); }
  size_t byteLength() const { return size_t(desc_.byteLength()); }

 private:
  OperandDesc desc_;
  AlignedBuffer buffer_;
};

class Context : public ErrorHolder {
 public:
  // numThreads 0 means the default (the hardware's concurrency, capped).
  explicit Context(size_t numThreads) : pool_(numThreads ? numThreads : ThreadPool::defaultThreadCount()) {}
  size_t numThreads() const { return pool_.numThreads(); }
  ThreadPool* pool() { return &pool_; }

  // A zero-filled tensor, or null (TypeError for a bad descriptor, UnknownError when out of memory).
  std::unique_ptr<Tensor> createTensor(const OperandDesc& desc);

  // How this context's builders compile (options of ours). False (TypeError) for an unknown pass.
  bool setCompileOptions(const CompileOptions& options);
  const CompileOptions& compileOptions() const { return compileOptions_; }

 private:
  ThreadPool pool_;
  CompileOptions compileOptions_;
};

class GraphBuilder : public ErrorHolder {
 public:
  explicit GraphBuilder(Context* context) : context_(context) {}

  int input(const std::string& name, const OperandDesc& desc);
  // Copies byteLength bytes of data.
  int constant(const OperandDesc& desc, const void* data, size_t byteLength);
  // Validates and appends an op. Returns its output operand ids (empty on error).
  std::vector<int> addOperation(const std::string& op, const std::vector<std::pair<std::string, int>>& inputs,
                                const Attributes& attrs, const std::string& label);
  const OperandDesc* operandDesc(int id) const;
  // Compiles the graph computing the named outputs. Null on error.
  std::unique_ptr<CompiledGraph> build(const std::vector<std::pair<std::string, int>>& outputs);

  const Graph& graph() const { return graph_; }

 private:
  bool checkUsable(const char* what);
  Context* context_;
  Graph graph_;
  std::vector<std::string> inputNames_;
  bool built_ = false;
};

}  // namespace webnn
