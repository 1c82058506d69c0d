#include "compiler/layout.h"

namespace webnn {
namespace {

// An op whose lowering can read and write NHWC as is (conv2d, the pools), here in NCHW layout.
bool isNchwSpatialOp(const Node& n) {
  const OpSchema& schema = opSchema(n.type);
  if (n.removed || !schema.nhwcIO) return false;
  return n.attrs.getString(schema.layoutAttr, "nchw") == "nchw";
}

}  // namespace

void cancelLayoutConversions(Graph& g, const std::vector<bool>& keep, std::vector<std::string>* report) {
  const Readers readers(g);
  for (size_t pi = 0; pi < g.nodes.size(); ++pi) {
    Node& p = g.nodes[pi];
    if (!isNchwSpatialOp(p) || p.outputs.size() != 1) continue;
    int out = p.outputs[0];
    if (out < int(keep.size()) && keep[out]) continue;
    int ci = soleConsumer(readers, out);
    if (ci < 0 || !isNchwSpatialOp(g.nodes[ci]) || g.nodes[ci].input("input") != out) continue;
    p.nhwcOut = true;
    g.nodes[ci].nhwcIn = true;
    report->push_back("nchw-layout: " + p.op + "#" + std::to_string(pi) + " -> " + g.nodes[ci].op + "#" +
                      std::to_string(ci) + " stays NHWC (2 transposes removed)");
  }
}

}  // namespace webnn
