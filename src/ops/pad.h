// What compiler passes may ask of a validated pad node.
#pragma once
#include <cstdint>
#include <vector>

#include "graph/graph.h"

namespace webnn {

// True when `pad` pads with zeros (mode "constant", value 0); `begin` gets its beginningPadding.
bool padsWithZeros(const Node& pad, std::vector<int64_t>* begin);

}  // namespace webnn
