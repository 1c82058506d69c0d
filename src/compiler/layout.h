// Pass "nchw-layout": NCHW conv2d / pool2d compute in NHWC between two layout conversions. When
// one such op feeds only another, the producer's NHWC→NCHW and the consumer's NCHW→NHWC cancel:
// the intermediate stays NHWC (same bytes, different order) and both conversions are skipped.
#pragma once
#include <string>
#include <vector>

#include "graph/graph.h"

namespace webnn {

void cancelLayoutConversions(Graph& graph, const std::vector<bool>& keep, std::vector<std::string>* report);

}  // namespace webnn
