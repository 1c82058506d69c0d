// The graph every "as a user installs it" test runs (Node scripts, bundled pages, the CDN page), as
// source text to embed: y = relu(x·w - 3) for x = [1, 2, 3, 4] and w picking x0 + x2 and x1 + x3,
// relu([4, 6] - 3) = [1, 3]. It leaves `context` (not destroyed) and `out` in scope.
export const SAMPLE_GRAPH_SOURCE = `
const context = await navigator.ml.createContext();
const b = new MLGraphBuilder(context);
const x = b.input('x', { dataType: 'float32', shape: [1, 4] });
const w = b.constant({ dataType: 'float32', shape: [4, 2] }, new Float32Array([1, 0, 0, 1, 1, 0, 0, 1]));
const y = b.relu(b.sub(b.matmul(x, w), b.constant('float32', 3)));
const graph = await b.build({ y });
const xt = await context.createTensor({ dataType: 'float32', shape: [1, 4], writable: true });
const yt = await context.createTensor({ dataType: 'float32', shape: [1, 2], readable: true });
context.writeTensor(xt, new Float32Array([1, 2, 3, 4]));
context.dispatch(graph, { x: xt }, { y: yt });
const out = Array.from(new Float32Array(await context.readTensor(yt)));
`;
