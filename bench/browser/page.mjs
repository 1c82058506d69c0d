// One workload at one thread count in this page, through the same harness as the Node bench
// (../harness.mjs). Driven by ../browser.mjs; parameters come from the query string:
//   ?workload=conv2d&threads=2&libs=ours,tfjs,ort&time=3&minRuns=10&maxRuns=500&warmup=3&minSampleMs=1
// minSampleMs (default 1): runs shorter than that are timed in batches (the page's clock has 5 us steps).
// Progress lines go to the console (the driver prints them); the result is window.benchResult.
import { getWorkload } from '../workloads.mjs';
import { measureWorkload, LIB_MODULES, DEFAULT_LIBS } from '../harness.mjs';

const q = new URLSearchParams(location.search);
const num = (k, d) => (q.has(k) ? Number(q.get(k)) : d);
const out = document.getElementById('out');
const log = (line) => { console.log(line); out.textContent += line + '\n'; };

async function main() {
  const threads = num('threads', 1);
  const libs = (q.get('libs') || DEFAULT_LIBS.join(',')).split(',').filter(Boolean).map((name) => {
    if (!LIB_MODULES[name]) throw new Error(`unknown library ${name}`);
    return { name, load: () => import(new URL(`../${LIB_MODULES[name]}`, import.meta.url).href) };
  });
  const result = await measureWorkload(getWorkload(q.get('workload')), libs, {
    threads, time: num('time', 3), minRuns: num('minRuns', 10), maxRuns: num('maxRuns', 500), warmup: num('warmup', 3),
    minSampleMs: num('minSampleMs', 1), log,
  });
  result.browser = { userAgent: navigator.userAgent, crossOriginIsolated, hardwareConcurrency: navigator.hardwareConcurrency };
  return result;
}

window.benchResult = null;
window.benchDone = main().then(
  (result) => { window.benchResult = result; return true; },
  (e) => { window.benchResult = { error: String((e && e.stack) || e) }; log(`ERROR ${e}`); return true; },
);
