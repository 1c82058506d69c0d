// Frees a graph builder's engine object (its graph description and constants). Used when the
// builder builds, when its context is destroyed, and by the finalizer when it is dropped.
import { finalizer } from './engine.js';

export function releaseBuilderNative(s) {
  if (!s.native) return;
  finalizer.unregister(s);
  s.ctx.builders.delete(s);
  s.native.delete();
  s.native = null;
}
