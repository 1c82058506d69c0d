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

}  // namespace webnn
