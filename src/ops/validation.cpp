#include "ops/validation.h"

namespace webnn {

Status opError(const Node& node, const std::string& message) {
  return Status::typeError(node.displayName() + ": " + message);
}

static std::string typeSetToString(DataTypeSet set) {
  std::string s;
  for (int i = 0; i < kDataTypeCount; ++i) {
    if (!(set & (1u << i))) continue;
    if (!s.empty()) s += ", ";
    s += dataTypeName(static_cast<DataType>(i));
  }
  return s;
}

Status checkDataType(const Node& node, const char* arg, const OperandDesc& desc, DataTypeSet allowed) {
  if (contains(allowed, desc.dataType)) return Status::ok();
  return opError(node, std::string("the data type of ") + arg + " (" + dataTypeName(desc.dataType) +
                           ") is not supported; expected one of " + typeSetToString(allowed));
}

Status checkRank(const Node& node, const char* arg, const OperandDesc& desc, size_t minRank, size_t maxRank) {
  if (desc.rank() >= minRank && desc.rank() <= maxRank) return Status::ok();
  std::string expected = minRank == maxRank ? std::to_string(minRank)
                                            : "between " + std::to_string(minRank) + " and " + std::to_string(maxRank);
  return opError(node, std::string("the rank of ") + arg + " " + shapeToString(desc.shape) + " is " +
                           std::to_string(desc.rank()) + "; expected " + expected);
}

Status checkSameDataType(const Node& node, const char* arg, const OperandDesc& desc, const char* otherArg,
                         const OperandDesc& other) {
  if (desc.dataType == other.dataType) return Status::ok();
  return opError(node, std::string("the data type of ") + arg + " (" + dataTypeName(desc.dataType) +
                           ") must match that of " + otherArg + " (" + dataTypeName(other.dataType) + ")");
}

bool broadcastShapes(const Shape& a, const Shape& b, Shape* out) {
  size_t rank = std::max(a.size(), b.size());
  Shape result(rank);
  for (size_t i = 0; i < rank; ++i) {
    uint32_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    uint32_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1) return false;
    result[i] = da == 1 ? db : da;
  }
  *out = std::move(result);
  return true;
}

bool broadcastsTo(const Shape& from, const Shape& to) {
  if (from.size() > to.size()) return false;
  for (size_t i = 0; i < from.size(); ++i) {
    uint32_t f = from[from.size() - 1 - i], t = to[to.size() - 1 - i];
    if (f != t && f != 1) return false;
  }
  return true;
}

bool normalizeAxis(int64_t axis, size_t rank, size_t* out) {
  int64_t r = static_cast<int64_t>(rank);
  if (axis < -r || axis >= r) return false;
  *out = static_cast<size_t>(axis < 0 ? axis + r : axis);
  return true;
}

uint64_t product(const Shape& shape, size_t begin, size_t end) {
  uint64_t p = 1;
  for (size_t i = begin; i < end && i < shape.size(); ++i) p *= shape[i];
  return p;
}

std::string listToString(const std::vector<int64_t>& values) {
  std::string s = "[";
  for (size_t i = 0; i < values.size(); ++i) s += (i ? "," : "") + std::to_string(values[i]);
  return s + "]";
}

Status checkUnsignedList(const Node& node, const char* what, const std::vector<int64_t>& values, int64_t minValue) {
  for (int64_t v : values)
    if (v < minValue || v > int64_t(UINT32_MAX))
      return opError(node, std::string(what) + " must each be " + (minValue > 0 ? "greater than 0" : "non-negative") +
                               " and below 2^32, got " + listToString(values));
  return Status::ok();
}

std::string windowTooLarge(int64_t input, int64_t window, int64_t dilation, int64_t padBegin, int64_t padEnd) {
  return "the dilated window (" + std::to_string((window - 1) * dilation + 1) +
         ") leaves no output element on the padded input (" + std::to_string(input + padBegin + padEnd) + ")";
}

Status windowOutputSize(const Node& node, int64_t input, int64_t window, int64_t dilation, int64_t padBegin,
                        int64_t padEnd, int64_t stride, int64_t* floorSize, int64_t* ceilSize) {
  // All values are in [0, 2^32) here, so none of these products or sums overflows int64.
  int64_t padded = input + padBegin + padEnd;
  int64_t dilatedWindow = (window - 1) * dilation + 1;
  if (padded > kMaxSpatialExtent || dilatedWindow > kMaxSpatialExtent)
    return opError(node, "the padded input extent (" + std::to_string(padded) + ") or dilated window (" +
                             std::to_string(dilatedWindow) + ") exceeds the engine's limit of " +
                             std::to_string(kMaxSpatialExtent));
  // The spec's 1 + (padded - dilatedWindow) / stride, rounded down and up. A window larger than the
  // padded input gives a floor size <= 0; its ceil size is still 1 when the overhang is below the
  // stride (pooling with ceil rounding accepts that).
  int64_t span = padded - dilatedWindow;
  int64_t floorDiv = span >= 0 ? span / stride : -((-span + stride - 1) / stride);
  int64_t ceilDiv = span >= 0 ? (span + stride - 1) / stride : -(-span / stride);
  *floorSize = floorDiv + 1;
  *ceilSize = ceilDiv + 1;
  return Status::ok();
}

}  // namespace webnn
