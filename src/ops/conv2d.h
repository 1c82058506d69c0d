// What compiler passes may ask of a validated conv2d node (its Params stay private to conv2d.cpp).
#pragma once
#include <cstddef>

#include "graph/graph.h"

namespace webnn {

struct Conv2dChannelDims {
  size_t output;  // the output channels' dim in the output (1 for nchw, 3 for nhwc)
  size_t filter;  // the output channels' dim in the filter (0 for oihw / ohwi, 3 for hwio / ihwo)
};
Conv2dChannelDims conv2dChannelDims(const Node& conv2d);

}  // namespace webnn
