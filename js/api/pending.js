// Promises a context still owes (readTensor, build). Their work is done on the context's
// timeline when the call is made; the promise settles on a microtask, so a context destroyed in
// between (for example `const p = ctx.readTensor(t); ctx.destroy();`) rejects it instead, with an
// InvalidStateError naming the call, and `abort` releases anything made for it.
import { invalidState } from './errors.js';

// `settle()` returns the value (or throws); `abort()` (optional) frees what settle would have handed out.
export function settleLater(ctx, where, settle, abort) {
  return new Promise((resolve, reject) => {
    const entry = { where, reject, abort };
    ctx.pending.add(entry);
    queueMicrotask(() => {
      if (!ctx.pending.delete(entry)) return; // rejected by destroy()
      try {
        resolve(settle());
      } catch (e) {
        reject(e);
      }
    });
  });
}

// Called by MLContext.destroy(): every pending promise rejects.
export function rejectPending(ctx) {
  const entries = [...ctx.pending];
  ctx.pending.clear();
  for (const e of entries) {
    try { if (e.abort) e.abort(); } catch { /* already freed */ }
    e.reject(invalidState(`${e.where}: the context was destroyed before the call completed`));
  }
}
