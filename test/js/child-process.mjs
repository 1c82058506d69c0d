import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

// Scenarios that need a fresh engine, or that could deadlock, run in a child Node process with a
// deadline: the child evaluates `prologue + source` as an ES module and exits.

// Source for the child: checkMatmul(ctx, n, value) builds x·x for x = n×n of `value`, dispatches it,
// reads it back with await readTensor, throws unless every element is exact, and destroys what it made.
export const CHECK_MATMUL_SOURCE = `
async function checkMatmul(ctx, n, value) {
  const b = new MLGraphBuilder(ctx);
  const x = b.input('x', { dataType: 'float32', shape: [n, n] });
  const g = await b.build({ y: b.matmul(x, x) });
  const xt = await ctx.createTensor({ dataType: 'float32', shape: [n, n], writable: true });
  const yt = await ctx.createTensor({ dataType: 'float32', shape: [n, n], readable: true });
  ctx.writeTensor(xt, new Float32Array(n * n).fill(value));
  ctx.dispatch(g, { x: xt }, { y: yt });
  const y = new Float32Array(await ctx.readTensor(yt));
  if (y.some((v) => v !== n * value * value)) throw new Error('wrong matmul result ' + y[0]);
  for (const o of [g, xt, yt]) o.destroy();
}
`;

export function runModuleChild(prologue, source, timeout) {
  const r = spawnSync(process.execPath, ['--input-type=module', '-e', `${prologue}${source}\nprocess.exit(0);`],
    { timeout, encoding: 'utf8', cwd: fileURLToPath(new URL('.', import.meta.url)) });
  return { timedOut: r.error?.code === 'ETIMEDOUT' || r.signal === 'SIGTERM', status: r.status, out: r.stdout + r.stderr };
}
