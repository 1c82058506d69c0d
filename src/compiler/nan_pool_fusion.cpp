#include "compiler/nan_pool_fusion.h"

#include <cmath>

#include "ops/pool.h"

namespace webnn {
namespace {

// True when `id` is a float32 constant whose every element is -Infinity.
bool isMinusInfinity(const Graph& g, int id) {
  if (id < 0 || !g.isConstant(id) || !g.operands[id].constant || g.desc(id).dataType != DataType::Float32) return false;
  const float* v = g.constantData<float>(id);
  for (uint64_t i = 0, n = g.desc(id).elementCount(); i < n; ++i)
    if (!(std::isinf(v[i]) && v[i] < 0)) return false;
  return true;
}

}  // namespace

void fuseNaNSkippingMaxPools(Graph& g, const std::vector<bool>& keep, std::vector<std::string>* report) {
  const Readers readers(g);
  for (size_t pi = 0; pi < g.nodes.size(); ++pi) {
    if (g.nodes[pi].removed || g.nodes[pi].type != OpType::MaxPool2d) continue;
    const int replaced = g.nodes[pi].input("input");
    if (g.desc(replaced).dataType != DataType::Float32) continue;
    const int wi = producerOf(g, replaced);
    if (wi < 0 || g.nodes[wi].type != OpType::Where) continue;
    const Node& where = g.nodes[wi];
    const int x = where.input("falseValue"), condition = where.input("condition");
    if (!isMinusInfinity(g, where.input("trueValue")) || g.desc(x).shape != g.desc(replaced).shape) continue;
    const int ni = producerOf(g, condition);
    if (ni < 0 || g.nodes[ni].type != OpType::IsNaN || g.nodes[ni].input("input") != x) continue;

    Node& pool = g.nodes[pi];
    pool.setInput("input", x);
    makeMaxPoolSkipNaN(pool);
    std::string line = "maxpool-skip-nan: " + pool.op + "#" + std::to_string(pi) + " reads " + where.op + "#" +
                       std::to_string(wi) + "'s input";
    // The where and isNaN go when the pool was their only reader.
    if (!keep[replaced] && soleConsumer(readers, replaced) == int(pi)) {
      const bool isNaNDead = !keep[condition] && soleConsumer(readers, condition) == wi;
      g.nodes[wi].removed = true;
      line += ", where removed";
      if (isNaNDead) {
        g.nodes[ni].removed = true;
        line += ", isNaN removed";
      }
    }
    report->push_back(line);
  }
}

}  // namespace webnn
