// Operand descriptors: a data type and a shape, with overflow-checked sizes.
#pragma once
#include <cstdint>
#include <string>
#include <vector>

#include "core/data_type.h"
#include "core/status.h"

namespace webnn {

using Shape = std::vector<uint32_t>;

// The largest tensor the engine accepts (also reported as maxTensorByteLength). The Wasm heap is
// 32-bit, so nothing near 4 GiB can be allocated; 2 GiB leaves headroom for the arena.
constexpr uint64_t kMaxTensorByteLength = uint64_t(1) << 31;

// The highest rank a graph operand may have: what opSupportLimits() declares for input(), constant()
// and every op (validateGraphOperand enforces it), so kernels keep per-dimension state in fixed
// arrays instead of allocating at dispatch.
constexpr size_t kMaxRank = 8;

struct OperandDesc {
  DataType dataType = DataType::Float32;
  Shape shape;

  size_t rank() const { return shape.size(); }
  // Element count; 0 when any dimension is 0. Callers validate with checkedByteLength first.
  uint64_t elementCount() const {
    uint64_t n = 1;
    for (uint32_t d : shape) n *= d;
    return n;
  }
  uint64_t byteLength() const { return elementCount() * dataTypeSize(dataType); }
  bool operator==(const OperandDesc& o) const { return dataType == o.dataType && shape == o.shape; }
  bool operator!=(const OperandDesc& o) const { return !(*this == o); }
};

std::string shapeToString(const Shape& shape);
std::string descToString(const OperandDesc& desc);

// The spec's "valid operand descriptor" check: every dimension > 0 and the byte length fits.
Status validateDescriptor(const OperandDesc& desc, const std::string& what);

// validateDescriptor plus the rank limit: for every operand a graph builder creates.
Status validateGraphOperand(const OperandDesc& desc, const std::string& what);

}  // namespace webnn
