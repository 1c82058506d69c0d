// opSupportLimits() of the engine as JSON: exactly what the op registry implements.
#pragma once
#include <string>

namespace webnn {

std::string opSupportLimitsJson();

}  // namespace webnn
