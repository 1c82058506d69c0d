import { checkInternal } from './errors.js';
import { finalizer, free } from './engine.js';

let graphState;

export class MLGraph {
  #s;
  #context; // keeps the MLContext reachable while this graph is (see its finalizer)
  constructor(token, state, context) {
    checkInternal(token, 'MLGraph');
    // { ctx, native, inputs: [{name, dataType, shape}], outputs: [...], table, destroyed }
    this.#s = state;
    this.#context = context;
    finalizer.register(this, () => { destroyGraphState(state); state.ctx.graphs.delete(state); }, state);
  }
  destroy() {
    const s = this.#s;
    if (s.destroyed) return;
    destroyGraphState(s);
    s.ctx.graphs.delete(s);
  }
  // (ours, not in the WebNN spec) What the compiler made of this graph, as text: the steps a
  // dispatch runs, what each compiler pass did (constant folding, fusions, layout, aliasing) and
  // the arena size. For debugging and performance work; the format may change.
  debugPlan() {
    const s = this.#s;
    if (s.destroyed) throw new DOMException('debugPlan: the graph is destroyed', 'InvalidStateError');
    return orOutOfMemory(s.native.planReport(), 'debugPlan');
  }
  // (ours, not in the WebNN spec) Per-step timing for performance work. debugProfile(true) resets
  // and starts timing every step of later dispatches; debugProfile() returns the mean time per
  // dispatch of each step as text; debugProfile(false) stops. The format may change.
  debugProfile(enable) {
    const s = this.#s;
    if (s.destroyed) throw new DOMException('debugProfile: the graph is destroyed', 'InvalidStateError');
    if (enable !== undefined && !s.native.setProfiling(Boolean(enable))) orOutOfMemory(null, 'debugProfile');
    return orOutOfMemory(s.native.profileReport(), 'debugProfile');
  }
  static {
    graphState = (g) => (g !== null && typeof g === 'object' && #s in g ? g.#s : null);
  }
}
Object.defineProperty(MLGraph.prototype, Symbol.toStringTag, { value: 'MLGraph', configurable: true });

// The engine's reports are built in the Wasm heap: null when it is full.
function orOutOfMemory(report, where) {
  if (report === null) throw new DOMException(`${where}: out of memory (the Wasm heap is full)`, 'UnknownError');
  return report;
}

export function destroyGraphState(s) {
  if (s.destroyed) return;
  s.destroyed = true;
  finalizer.unregister(s);
  s.native.delete();
  s.native = null;
  free(s.table);
  s.table = 0;
  s.handle = 0;
}

// (ours) What the compiler made of the graph: fusions, memory plan. For debugging.
export function graphPlanReport(graph) {
  const s = graphState(graph);
  if (!s || s.destroyed) return '';
  return orOutOfMemory(s.native.planReport(), 'planReport');
}

export { graphState };
