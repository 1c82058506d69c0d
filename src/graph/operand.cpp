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
    bytes *= d;
    if (bytes > kMaxTensorByteLength)
      return Status::typeError(what + ": the byte length of " + descToString(desc) + " exceeds the maximum of " +
                               std::to_string(kMaxTensorByteLength) + " bytes");
  }
  return Status::ok();
}

}  // namespace webnn
