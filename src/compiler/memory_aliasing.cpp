#include "compiler/memory_aliasing.h"

#include <algorithm>

namespace webnn {

void aliasBuffers(const Graph& g, const std::vector<Step>& steps, const std::function<bool(int)>& inArena,
                  PlannedBuffers* buffers, std::vector<std::string>* report) {
  PlannedBuffers& b = *buffers;
  std::vector<int> external(b.root.size(), 0);  // 1: views a constant, 2: views a tensor bound at dispatch
  for (size_t s = 0; s < steps.size(); ++s) {
    const Step& st = steps[s];
    int in = st.aliasIn, out = st.aliasOut;
    if (in < 0 || out < 0 || !inArena(out) || b.find(out) != out) continue;
    if (g.desc(in).byteLength() != g.desc(out).byteLength()) continue;
    std::string what = st.view ? "view" : "in place";
    if (st.view && external[in]) {  // a view of a view of a constant / bound tensor
      (external[in] == 1 ? b.constantViews : b.dispatchAliases).push_back({in, out});
      external[out] = external[in];
      b.first[out] = SIZE_MAX;
    } else if (inArena(in) && !external[in]) {
      int r = b.find(in);
      if (!st.view && b.last[r] != s) continue;  // the input is read later: no overwriting
      // nor read again by this step: as another operand (e.g. a chain's side) that is it or a view of it
      if (!st.view && std::count_if(st.reads.begin(), st.reads.end(), [&](int id) { return b.find(id) == r; }) > 1)
        continue;
      b.root[out] = r;
      b.first[r] = std::min(b.first[r], b.first[out]);
      b.last[r] = std::max(b.last[r], b.last[out]);
      if (st.view) b.arenaViews.push_back({in, out});
    } else if (st.view && g.operands[in].kind == OperandKind::Constant) {
      b.constantViews.push_back({in, out});
      external[out] = 1;
      b.first[out] = SIZE_MAX;  // not in the arena
    } else if (st.view) {  // a graph input or output: aliased at dispatch
      b.dispatchAliases.push_back({in, out});
      external[out] = 2;
      b.first[out] = SIZE_MAX;
    } else {
      continue;
    }
    if (st.view) b.elidedSteps[s] = true;
    report->push_back("memory-aliasing: step " + std::to_string(s) + " (" + st.name + ") " + what +
                      (st.view ? ", step removed" : ""));
  }
}

}  // namespace webnn
