#include "compiler/plan_verifier.h"

#include <string>

#include "compiler/compilation.h"

namespace webnn {

namespace {
constexpr size_t kChunk = 64;  // the memory plan's alignment: no two buffers share a chunk
}

Status verifyPlan(const std::vector<Step>& steps, const PlanLayout& p) {
  const int ids = int(p.pointers.size());
  const auto* arena = static_cast<const unsigned char*>(p.arena);
  auto fail = [&](size_t s, const std::string& what) {
    std::string step = s < steps.size() ? "step " + std::to_string(s) + " (" + steps[s].name + ") " : "";
    return Status::error(ErrorKind::UnknownError, "build: the compiled plan is invalid: " + step + what);
  };
  // Where each id's bytes come from: views resolve to their source.
  std::vector<int> source(ids);
  for (int id = 0; id < ids; ++id) source[id] = id;
  std::vector<bool> isView(ids, false);
  for (auto [from, view] : p.views) {
    source[view] = from;
    isView[view] = true;
  }
  auto base = [&](int id) {
    for (int hops = 0; source[id] != id && hops <= ids; ++hops) id = source[id];
    return id;
  };
  enum Kind { None, Arena, Constant, Input, Output };
  std::vector<Kind> kind(ids, None);
  for (int id = 0; id < ids; ++id) {
    const auto* ptr = static_cast<const unsigned char*>(p.pointers[id]);
    if (!ptr) continue;
    bool inArena = arena && ptr >= arena && ptr < arena + p.arenaBytes;
    kind[id] = inArena ? Arena : Constant;
    if (inArena && (size_t(ptr - arena) % kChunk || size_t(ptr - arena) + p.bytes[id] > p.arenaBytes))
      return fail(SIZE_MAX, "operand " + std::to_string(id) + " is misplaced in the arena");
  }
  for (int id : p.inputs) kind[id] = Input;
  for (int id : p.outputs) kind[id] = Output;

  // What each arena chunk holds now (an id, -1: nothing yet), and which bound outputs are written.
  std::vector<int> holder((p.arenaBytes + kChunk - 1) / kChunk, -1);
  std::vector<bool> written(ids, false);
  auto chunks = [&](int id, size_t* first, size_t* end) {
    size_t offset = size_t(static_cast<const unsigned char*>(p.pointers[id]) - arena);
    *first = offset / kChunk;
    *end = (offset + p.bytes[id] + kChunk - 1) / kChunk;
  };
  auto valid = [&](int id) {  // the id's content is present
    int b = base(id);
    switch (kind[b]) {
      case Constant:
      case Input: return true;
      case Output: return bool(written[b]);
      case Arena: {
        size_t first, end;
        chunks(b, &first, &end);
        for (size_t c = first; c < end; ++c)
          if (holder[c] != b) return false;
        return true;
      }
      case None: break;
    }
    return false;
  };

  for (size_t s = 0; s < steps.size(); ++s) {
    for (int id : steps[s].reads) {
      if (id < 0 || id >= ids || kind[base(id)] == None)
        return fail(s, "reads operand " + std::to_string(id) + ", which has no buffer");
      if (!valid(id))
        return fail(s, "reads operand " + std::to_string(id) +
                           " before it is written or after its bytes were reused");
    }
    for (int id : steps[s].writes) {
      if (id < 0 || id >= ids || kind[id] == None)
        return fail(s, "writes operand " + std::to_string(id) + ", which has no buffer");
      if (isView[id] || kind[id] == Constant || kind[id] == Input)
        return fail(s, "writes operand " + std::to_string(id) + ", which is a constant, an input or a view");
      if (kind[id] == Output) {
        written[id] = true;
        continue;
      }
      size_t first, end;
      chunks(id, &first, &end);
      // Overwriting what the step reads is only safe for its declared in-place input (read once).
      int overlapping = 0;
      for (int r : steps[s].reads) {
        int b = base(r);
        if (kind[b] != Arena) continue;
        size_t rFirst, rEnd;
        chunks(b, &rFirst, &rEnd);
        if (rFirst >= end || first >= rEnd) continue;
        bool declared = r == steps[s].aliasIn && id == steps[s].aliasOut && !steps[s].view;
        if (!declared || ++overlapping > 1)
          return fail(s, "writes operand " + std::to_string(id) + " over operand " + std::to_string(r) +
                             ", which it also reads");
      }
      for (size_t c = first; c < end; ++c) holder[c] = id;
    }
  }
  for (int id : p.outputs)
    if (!written[id]) return fail(SIZE_MAX, "no step writes output operand " + std::to_string(id));
  return Status::ok();
}

Status verifyCompiledPlan(Compilation& c) {
  PlanLayout layout;
  layout.arena = c.memory.arena.data();
  layout.arenaBytes = c.memory.arena.size();
  layout.pointers.assign(c.memory.pointers.begin(), c.memory.pointers.end());
  layout.bytes = c.memory.bytes;
  for (const GraphPort& in : c.inputs) layout.inputs.push_back(in.operand);
  for (const GraphPort& out : c.outputs) layout.outputs.push_back(out.operand);
  layout.views = c.memory.views;
  return verifyPlan(c.lowering->steps(), layout);
}

}  // namespace webnn
