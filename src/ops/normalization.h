// What compiler passes may ask of a validated batchNormalization node.
#pragma once
#include <cstddef>

#include "graph/graph.h"

namespace webnn {

struct BatchNormAttributes {
  size_t axis;    // the channel axis
  float epsilon;
};
BatchNormAttributes batchNormAttributes(const Node& batchNormalization);

}  // namespace webnn
