#include "graph/operand.h"

namespace webnn {

std::string shapeToString(const Shape& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i) s += ",";
    s += std::to_string(shape[i]);
  }
  return s + "]";
}

std::string descToString(const OperandDesc& desc) {
  return std::string(dataTypeName(desc.dataType)) + shapeToString(desc.shape);
}

Status validateDescriptor(const OperandDesc& desc, const std::string& what) {
  uint64_t bytes = dataTypeSize(desc.dataType);
  for (uint32_t d : desc.shape) {
    if (d == 0) return Status::typeError(what + ": every dimension must be greater than 0, got " + shapeToString(desc.shape));
    // The spec's "valid dimension" is in the range of long (a uint8 dimension of 2^31 would
    // otherwise pass the byte-length check).
    if (d > uint32_t(INT32_MAX))
      return Status::typeError(what + ": every dimension must be at most " + std::to_string(INT32_MAX) + ", got " +
                               shapeToString(desc.shape));
    bytes *= d;
    if (bytes > kMaxTensorByteLength)
      return Status::typeError(what + ": the byte length of " + descToString(desc) + " exceeds the maximum of " +
                               std::to_string(kMaxTensorByteLength) + " bytes");
  }
  return Status::ok();
}

Status validateGraphOperand(const OperandDesc& desc, const std::string& what) {
  if (desc.rank() > kMaxRank)
    return Status::typeError(what + ": the rank of " + descToString(desc) + " is " + std::to_string(desc.rank()) +
                             ", above the maximum of " + std::to_string(kMaxRank));
  return validateDescriptor(desc, what);
}

}  // namespace webnn
