// The example page's UI and logic, shared by examples/web (no bundler) and examples/vite.
// runExample({ setWasmPaths }) renders into document.body, builds the classifier with navigator.ml
// (the polyfill must be imported first), and classifies generated images.
// Query parameters (used by the browser tests): ?image=sun|stripes|checkerboard|rings,
// ?wasmPaths=<prefix or JSON map> (calls setWasmPaths), ?runs=<timed inferences>.
import { buildClassifier, makeImage, topClasses, IMAGES, SIZE } from './classifier.js';

const STYLE = `  body { font: 15px/1.4 system-ui, sans-serif; margin: 2rem auto; max-width: 44rem; color: #222; padding: 0 1rem; }
  h1 { font-size: 1.4rem; margin-bottom: .2rem; }
  .sub { color: #666; margin-top: 0; }
  .row { display: flex; gap: 1.5rem; align-items: flex-start; margin-top: 1rem; }
  canvas { width: 192px; height: 192px; image-rendering: pixelated; border: 1px solid #ccc; border-radius: 4px; }
  .pick button { margin: 0 .3rem .4rem 0; padding: .3rem .7rem; border: 1px solid #999; border-radius: 4px; background: #f6f6f6; cursor: pointer; }
  .pick button[aria-pressed="true"] { background: #2a6df4; color: #fff; border-color: #2a6df4; }
  table { border-collapse: collapse; min-width: 18rem; }
  td { padding: .2rem .5rem .2rem 0; }
  .bar { height: .8rem; background: #2a6df4; border-radius: 2px; }
  dl { display: grid; grid-template-columns: max-content auto; gap: .15rem 1rem; margin: 1rem 0; }
  dt { color: #666; } dd { margin: 0; font-family: ui-monospace, monospace; }
  .error { color: #b00020; white-space: pre-wrap; font-family: ui-monospace, monospace; }
`;

const BODY = `<h1>Image classifier on <code>navigator.ml</code></h1>
<p class="sub">A small CNN (3 convolutions, pooling, gemm, softmax) built with <code>MLGraphBuilder</code>,
run by webnn-wasm. The weights are seeded, not trained: the classes are only labels.</p>

<div class="pick" id="pick"></div>
<div class="row">
  <canvas id="image" width="32" height="32"></canvas>
  <div>
    <table id="top"><tbody></tbody></table>
    <dl>
      <dt>engine</dt><dd id="variant">loading…</dd>
      <dt>threads</dt><dd id="threads"></dd>
      <dt>cross-origin isolated</dt><dd id="coi"></dd>
      <dt>time per inference</dt><dd id="time"></dd>
      <dt>graph build</dt><dd id="build"></dd>
    </dl>
  </div>
</div>
<p id="error" class="error"></p>
`;

const params = new URLSearchParams(location.search);
const runs = Number(params.get('runs') || 50);
const $ = (id) => document.getElementById(id);

// What the tests read: { variant, numThreads, crossOriginIsolated, results: { image: probs[] }, msPerInference, error }
const state = { variant: null, numThreads: 0, crossOriginIsolated: globalThis.crossOriginIsolated === true, results: {}, msPerInference: {}, error: null };
window.webnnExample = state;

function draw(pixels) {
  const canvas = $('image');
  const ctx = canvas.getContext('2d');
  const img = ctx.createImageData(SIZE, SIZE);
  for (let i = 0; i < SIZE * SIZE; i++) {
    for (let c = 0; c < 3; c++) img.data[i * 4 + c] = Math.round(pixels[i * 3 + c] * 255);
    img.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(img, 0, 0);
}

function show(probs) {
  const body = $('top').tBodies[0];
  body.replaceChildren(...topClasses(probs, 5).map(({ name, p }) => {
    const tr = document.createElement('tr');
    tr.innerHTML = `<td>${name}</td><td>${(p * 100).toFixed(1)}%</td><td><div class="bar" style="width:${Math.max(2, p * 160)}px"></div></td>`;
    return tr;
  }));
}

async function main(setWasmPaths) {
  if (params.has('wasmPaths')) {
    const paths = params.get('wasmPaths'); // a prefix, or a JSON map of file names to URLs
    setWasmPaths(paths.startsWith('{') ? JSON.parse(paths) : paths);
  }
  const context = await navigator.ml.createContext();
  state.variant = context.backend;
  state.numThreads = context.numThreads;
  $('variant').textContent = context.backend;
  $('threads').textContent = String(context.numThreads);
  $('coi').textContent = String(state.crossOriginIsolated);

  const t0 = performance.now();
  const classifier = await buildClassifier(context);
  $('build').textContent = `${(performance.now() - t0).toFixed(1)} ms`;

  async function classify(kind) {
    const pixels = makeImage(kind);
    draw(pixels);
    const probs = await classifier.classify(pixels);
    // Time: `runs` inferences after a warm-up, write + dispatch + read each.
    for (let i = 0; i < 3; i++) await classifier.classify(pixels);
    const start = performance.now();
    for (let i = 0; i < runs; i++) await classifier.classify(pixels);
    const ms = (performance.now() - start) / runs;
    state.results[kind] = Array.from(probs);
    state.msPerInference[kind] = ms;
    show(probs);
    $('time').textContent = `${ms < 1 ? (ms * 1000).toFixed(0) + ' µs' : ms.toFixed(2) + ' ms'} (mean of ${runs})`;
    for (const b of $('pick').children) b.setAttribute('aria-pressed', String(b.dataset.kind === kind));
  }

  $('pick').replaceChildren(...IMAGES.map((kind) => {
    const b = document.createElement('button');
    b.textContent = kind;
    b.dataset.kind = kind;
    b.onclick = () => classify(kind);
    return b;
  }));
  // Classify every image once (the tests read all results), ending on the first one shown.
  for (const kind of [...IMAGES.slice(1), IMAGES[0]]) await classify(kind);
  if (params.get('image')) await classify(params.get('image'));
}

export function runExample({ setWasmPaths }) {
  const style = document.createElement('style');
  style.textContent = STYLE;
  document.head.append(style);
  document.body.innerHTML = BODY;
  state.done = main(setWasmPaths).then(() => true, (e) => {
    state.error = `${e.name}: ${e.message}`;
    $('variant').textContent = 'failed';
    $('error').textContent = state.error;
    console.error(e);
    return false;
  });
  return state.done;
}
