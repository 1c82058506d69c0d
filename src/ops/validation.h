// Shared pieces of the spec's validation steps. Every error names the op and its label.
#pragma once
#include <string>
#include <vector>

#include "core/status.h"
#include "graph/graph.h"

namespace webnn {

// A TypeError "conv2d [label]: message".
Status opError(const Node& node, const std::string& message);

Status checkDataType(const Node& node, const char* arg, const OperandDesc& desc, DataTypeSet allowed);
Status checkRank(const Node& node, const char* arg, const OperandDesc& desc, size_t minRank, size_t maxRank);
Status checkSameDataType(const Node& node, const char* arg, const OperandDesc& desc, const char* otherArg,
                         const OperandDesc& other);

// The spec's bidirectional broadcasting of two shapes; false when they are incompatible.
bool broadcastShapes(const Shape& a, const Shape& b, Shape* out);
// Unidirectional: `from` broadcasts to `to` without changing `to`.
bool broadcastsTo(const Shape& from, const Shape& to);

// Resolves a possibly negative axis against a rank; false when out of range.
bool normalizeAxis(int64_t axis, size_t rank, size_t* out);

// Products of shape ranges: dims [begin, end).
uint64_t product(const Shape& shape, size_t begin, size_t end);

std::string listToString(const std::vector<int64_t>& values);

// The spec's "valid tensor count": concat's inputs and split's outputs number 1 to 8192.
constexpr size_t kMaxTensorCount = 8192;

// The largest padded spatial extent (input + padding) and dilated window the 2-D window ops accept:
// the kernels index with 32-bit arithmetic in Wasm, and every index stays below 2^31 with this bound.
constexpr int64_t kMaxSpatialExtent = int64_t(1) << 30;

// Window-op geometry options (padding, strides, dilations, window sizes) are unsigned long in the
// spec: each value must be in [minValue, 2^32). Native callers may pass anything.
Status checkUnsignedList(const Node& node, const char* what, const std::vector<int64_t>& values, int64_t minValue);

// One spatial dimension of a window op: the padded input must be at most kMaxSpatialExtent. Returns
// the floor/ceil output sizes, which are < 1 when the dilated window overhangs the padded input (the
// caller checks the size it uses; windowTooLarge words the error).
Status windowOutputSize(const Node& node, int64_t input, int64_t window, int64_t dilation, int64_t padBegin,
                        int64_t padEnd, int64_t stride, int64_t* floorSize, int64_t* ceilSize);
std::string windowTooLarge(int64_t input, int64_t window, int64_t dilation, int64_t padBegin, int64_t padEnd);

}  // namespace webnn
