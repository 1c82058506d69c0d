// The C++ face of the engine that the bindings call: Context, Tensor, GraphBuilder, Graph.
// Plain C++: no JS types. Fallible calls return a null/-1/false and leave the reason in error().
#pragma once
#include <memory>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "compiler/compiler.h"
#include "core/aligned_buffer.h"
#include "core/status.h"
#include "graph/graph.h"
#include "core/thread_pool.h"

namespace webnn {

class ErrorHolder {
 public:
  const Status& error() const { return error_; }
  std::string errorKind() const { return outOfMemoryIn_ ? "UnknownError" : errorKindName(error_.kind()); }
  std::string errorMessage() const {
    return outOfMemoryIn_ ? std::string(outOfMemoryIn_) + kOutOfMemory : error_.message();
  }
  // Out of memory in `call` (a string literal), recorded without allocating: the heap is full.
  void setOutOfMemory(const char* call) noexcept {
    error_ = Status();
    outOfMemoryIn_ = call;
  }
  const char* outOfMemoryIn() const { return outOfMemoryIn_; }
  static constexpr const char* kOutOfMemory = ": out of memory (the Wasm heap is full)";

 protected:
  void setError(Status s) {
    error_ = std::move(s);
    outOfMemoryIn_ = nullptr;
  }
  Status error_;
  const char* outOfMemoryIn_ = nullptr;
};

// The one place allocation failures are caught. Every allocation of the engine and of the
// bindings' marshalling that the heap cannot satisfy throws (operator new: std::bad_alloc; the
// Wasm build uses -fwasm-exceptions) and unwinds by RAII to here: `holder` (when there is one)
// records an UnknownError for `call` and `failed` is returned. malloc-based buffers
// (AlignedBuffer) return null instead and report their own, more precise UnknownError.
template <typename R, typename Fn>
R catchAllocationFailure(ErrorHolder* holder, const char* call, R failed, Fn&& fn) noexcept {
  try {
    return fn();
  } catch (...) {  // std::bad_alloc, std::length_error (a size past max_size), std::system_error
    if (holder) holder->setOutOfMemory(call);
    return failed;
  }
}

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
  // (ours, testing) Kernels split even the smallest work over the threads (ThreadPool::setSplitAllWork).
  void setSplitAllWork(bool on) { pool_.setSplitAllWork(on); }

 private:
  ThreadPool pool_;
  CompileOptions compileOptions_;
};

class GraphBuilder : public ErrorHolder {
 public:
  explicit GraphBuilder(Context* context) : context_(context) {}

  int input(const std::string& name, const OperandDesc& desc);
  // Copies byteLength bytes of data. With data null the buffer is left for the caller to fill
  // through constantData() (the JS layer writes straight into it: no staging copy in the heap).
  int constant(const OperandDesc& desc, const void* data, size_t byteLength);
  // The data of constant `id` (null when `id` is not a constant of this builder).
  uint8_t* constantData(int id);
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
  std::unordered_set<std::string> inputNames_;
  bool built_ = false;
};

}  // namespace webnn
