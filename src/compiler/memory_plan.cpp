#include "compiler/memory_plan.h"

#include <algorithm>
#include <cstdint>
#include <numeric>

#include "compiler/compilation.h"
#include "compiler/memory_aliasing.h"

namespace webnn {

// uint64 sums saturate: on 64-bit hosts size_t buffers can already be near 2^64.
static uint64_t add64(uint64_t a, uint64_t b) {
  uint64_t r;
  return __builtin_add_overflow(a, b, &r) ? UINT64_MAX : r;
}

std::vector<size_t> placeBuffers(const std::vector<BufferLifetime>& buffers, size_t* arenaBytes) {
  constexpr uint64_t kAlign = 64;
  const size_t n = buffers.size();
  std::vector<size_t> order(n), offsets(n, 0);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return buffers[a].bytes > buffers[b].bytes; });
  // Offsets are planned in 64 bits: in Wasm, size_t is 32 and a big graph's arena could wrap.
  std::vector<uint64_t> offsets64(n, 0), padded(n);
  for (size_t i = 0; i < n; ++i) padded[i] = add64(buffers[i].bytes, kAlign - 1) / kAlign * kAlign;
  // The buffers placed so far, listed under the step buckets their lifetimes cover: the buffers
  // alive at the same time as a new one are among those of the buckets of its lifetime, so
  // planning costs about the sum of (lifetime x buffers alive alongside), not buffers^2 (a 100k-op
  // chain plans in linear time). A bucket is one step unless lifetimes are long on average (e.g.
  // thousands of branches feeding one concat): then buckets widen so that the lists hold at most
  // ~4 entries per buffer, and candidates are filtered by their real lifetimes.
  size_t steps = 0;
  uint64_t lifetimeSum = 0;
  for (const BufferLifetime& b : buffers) {
    steps = std::max(steps, b.lastStep + 1);
    lifetimeSum += b.lastStep - b.firstStep + 1;
  }
  const size_t width = size_t(std::max<uint64_t>(1, (lifetimeSum + 2 * n - 1) / std::max<uint64_t>(1, 2 * n)));
  std::vector<std::vector<size_t>> placedIn(steps / width + 1);
  std::vector<size_t> seenBy(n, SIZE_MAX);  // dedup stamp: the buffer whose conflicts listed it last
  std::vector<size_t> conflicts;
  uint64_t total = 0;
  for (size_t i : order) {
    const BufferLifetime& b = buffers[i];
    conflicts.clear();
    for (size_t k = b.firstStep / width; k <= b.lastStep / width && k < placedIn.size(); ++k)
      for (size_t j : placedIn[k])
        if (seenBy[j] != i && buffers[j].firstStep <= b.lastStep && b.firstStep <= buffers[j].lastStep) {
          seenBy[j] = i;
          conflicts.push_back(j);
        }
    std::sort(conflicts.begin(), conflicts.end(), [&](size_t x, size_t y) { return offsets64[x] < offsets64[y]; });
    // The lowest gap that fits.
    uint64_t offset = 0;
    for (size_t j : conflicts) {
      if (add64(offset, padded[i]) <= offsets64[j]) break;
      offset = std::max(offset, add64(offsets64[j], padded[j]));
    }
    offsets64[i] = offset;
    offsets[i] = size_t(offset);
    total = std::max(total, add64(offset, padded[i]));
    for (size_t k = b.firstStep / width; k <= b.lastStep / width && k < placedIn.size(); ++k) placedIn[k].push_back(i);
  }
  // SIZE_MAX: more than the address space holds (the caller's allocation then fails cleanly).
  *arenaBytes = total >= uint64_t(SIZE_MAX) ? SIZE_MAX : size_t(total);
  return offsets;
}

Status planMemory(Compilation& c) {
  const Graph& g = c.graph;
  const Lowering& lowering = *c.lowering;
  std::vector<Step>& steps = c.lowering->steps();
  MemoryPlan& plan = c.memory;
  const int ids = lowering.idCount();
  plan.bytes.resize(ids);
  for (int id = 0; id < ids; ++id)
    plan.bytes[id] = id >= lowering.scratchBase() ? lowering.scratchBytes()[id - lowering.scratchBase()]
                                                  : size_t(g.desc(id).byteLength());

  // Lifetimes: the first and last step that reads or writes each buffer.
  PlannedBuffers buffers(ids);
  for (size_t s = 0; s < steps.size(); ++s)
    for (const auto* list : {&steps[s].reads, &steps[s].writes})
      for (int id : *list) {
        buffers.first[id] = std::min(buffers.first[id], s);
        buffers.last[id] = std::max(buffers.last[id], s);
      }
  // The arena holds intermediates that are not graph outputs, and scratch buffers; constants and
  // the tensors bound at dispatch live elsewhere.
  auto inArena = [&](int id) {
    return id >= lowering.scratchBase() ||
           (g.operands[id].kind == OperandKind::Intermediate && !(size_t(id) < c.isOutput.size() && c.isOutput[id]));
  };
  buffers.elidedSteps.assign(steps.size(), false);
  if (c.options.passEnabled("memory-aliasing")) aliasBuffers(g, steps, inArena, &buffers, &c.report);

  // Placement: one arena buffer per root that some step touches.
  std::vector<int> arenaIds;
  std::vector<BufferLifetime> lifetimes;
  for (int id = 0; id < ids; ++id) {
    if (!inArena(id) || buffers.first[id] == SIZE_MAX || buffers.find(id) != id) continue;
    arenaIds.push_back(id);
    lifetimes.push_back({plan.bytes[id], buffers.first[id], buffers.last[id]});
  }
  size_t arenaBytes = 0;
  std::vector<size_t> offsets = placeBuffers(lifetimes, &arenaBytes);
  if (!plan.arena.allocate(arenaBytes))
    return Status::error(ErrorKind::UnknownError,
                         "build: out of memory allocating the graph's arena (" + std::to_string(arenaBytes) + " bytes)");

  // Pointer binding: arena slots, then buffers merged into them, then constants some step reads as
  // is (Step::reads; constants consumed packed or folded were freed during lowering), including
  // operands created by passes (fused biases, folded results), then views of constants. Ports stay
  // null until dispatch binds them (and copies them to dispatchAliases' views).
  plan.pointers.assign(ids, nullptr);
  for (size_t i = 0; i < arenaIds.size(); ++i) plan.pointers[arenaIds[i]] = plan.arena.data() + offsets[i];
  for (int id = 0; id < ids; ++id)
    if (buffers.find(id) != id) plan.pointers[id] = plan.pointers[buffers.find(id)];
  std::vector<bool> read(ids, false);
  for (const Step& st : steps)
    for (int id : st.reads) read[id] = true;
  for (auto [in, out] : buffers.constantViews) read[in] = true;
  for (size_t id = 0; id < g.operands.size(); ++id)
    if (g.operands[id].kind == OperandKind::Constant && read[id] && g.operands[id].constant) {
      plan.pointers[id] = g.operands[id].constant->data();
      plan.constants.push_back(g.operands[id].constant);
    }
  for (auto [in, out] : buffers.constantViews) plan.pointers[out] = plan.pointers[in];
  plan.dispatchAliases = buffers.dispatchAliases;
  plan.views = buffers.arenaViews;
  plan.views.insert(plan.views.end(), buffers.dispatchAliases.begin(), buffers.dispatchAliases.end());
  plan.views.insert(plan.views.end(), buffers.constantViews.begin(), buffers.constantViews.end());

  // Steps made no-ops by an alias are dropped.
  std::vector<Step> kept;
  for (size_t s = 0; s < steps.size(); ++s)
    if (!buffers.elidedSteps[s]) kept.push_back(std::move(steps[s]));
  steps = std::move(kept);
  return Status::ok();
}

}  // namespace webnn
