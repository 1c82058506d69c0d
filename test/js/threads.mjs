// A context's workers load in the background (~60 ms in Node) and createContext() does not wait
// for them: a test of the threaded paths that finished sooner would have run on one thread. These
// wait until every thread of the context runs, as a dispatch's profile reports it.
import { ml, MLGraphBuilder } from '../../js/index.js';

export async function whenThreadsRun(context, { timeoutMs = 20000 } = {}) {
  const b = new MLGraphBuilder(context);
  const graph = await b.build({ y: b.relu(b.input('x', { dataType: 'float32', shape: [4] })) });
  const x = await context.createTensor({ dataType: 'float32', shape: [4], writable: true });
  const y = await context.createTensor({ dataType: 'float32', shape: [4], readable: true });
  try {
    for (const start = Date.now(); ;) {
      graph.debugProfile(true);
      context.dispatch(graph, { x }, { y });
      const [running, of] = /threads running: (\d+) of (\d+)/.exec(graph.debugProfile(false)).slice(1).map(Number);
      if (running === of) return context;
      if (Date.now() - start > timeoutMs) throw new Error(`only ${running} of ${of} threads started in ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 10));
    }
  } finally {
    for (const o of [graph, x, y]) o.destroy();
  }
}

// createContext(options), resolved once all its threads run.
export async function createRunningContext(options) {
  return whenThreadsRun(await ml.createContext(options));
}
