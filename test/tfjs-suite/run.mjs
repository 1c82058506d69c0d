// tfjs-core's own backend test suite (`@tensorflow/tfjs-core/dist/tests.js`, the contract every
// TF.js backend is held to) against the 'webnn-wasm' backend, run the way tfjs's backends run it:
// setTestEnvs + setupTestFilters, jasmine 5, in Node. Prints the failures and a final line
// "tfjs-core suite: N passed, N failed" (scripts/test-all.sh adds these to its totals).
//
//   node test/tfjs-suite/run.mjs [--filter=substring] [--verbose] [--split-all-work]
// The exclude list (with the reason for each entry) is in ./filters.mjs and docs/tfjs.md.
import { register } from 'node:module';

register('./esm-hooks.mjs', import.meta.url);
process.env.WEBNN_WASM_VARIANT ??= 'simd-threads';

const args = process.argv.slice(2);
const filter = args.find((a) => a.startsWith('--filter='))?.slice('--filter='.length);
const verbose = args.includes('--verbose');

const { default: Jasmine } = await import('jasmine');
const runner = new Jasmine();
runner.exitOnCompletion = false;
runner.loadConfig({ random: false, stopSpecOnExpectationFailure: false });

const { setTestEnvs, setupTestFilters } = await import('@tensorflow/tfjs-core/dist/jasmine_util');
// What @tensorflow/tfjs adds to tfjs-core, and tfjs's backends import in their test setup.
await import('@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops');
await import('@tensorflow/tfjs-core/dist/register_all_gradients');
// Registers the backend and its kernels. --split-all-work: two threads that split even the smallest
// work (splitAllWork), so the specs' small tensors run the engine's threaded code paths too.
const { setBackendOptions } = await import('../../js/tfjs/index.js');
const splitAllWork = args.includes('--split-all-work');
if (splitAllWork) setBackendOptions({ numThreads: 2, splitAllWork: true });
setTestEnvs([{ name: 'webnn-wasm', backendName: 'webnn-wasm', flags: {}, isDataSync: true }]);
const { TEST_FILTERS, customInclude } = await import('./filters.mjs');
setupTestFilters(TEST_FILTERS, customInclude);
if (filter) {
  const env = jasmine.getEnv();
  const { specFilter } = env.configuration();
  env.configure({ specFilter: (spec) => specFilter(spec) && spec.getFullName().includes(filter) });
}

await import('@tensorflow/tfjs-core/dist/tests');

const counts = { passed: 0, failed: 0, excluded: 0, pending: 0 };
const started = Date.now();
runner.env.clearReporters();
runner.env.addReporter({
  specDone(r) {
    if (r.status === 'passed') counts.passed++;
    else if (r.status === 'failed') {
      counts.failed++;
      console.log(`FAIL ${r.fullName}`);
      for (const f of r.failedExpectations.slice(0, 3)) console.log(`    ${String(f.message).split('\n')[0].slice(0, 300)}`);
    } else if (r.status === 'excluded') counts.excluded++;
    else counts.pending++;
    if (verbose && r.status === 'passed') console.log(`ok   ${r.fullName}`);
  },
  suiteDone(r) {
    // An afterAll/beforeAll failure fails the suite, not a spec: count it.
    if (r.status === 'failed') {
      counts.failed++;
      console.log(`FAIL (suite) ${r.fullName}`);
      for (const f of r.failedExpectations.slice(0, 3)) console.log(`    ${String(f.message).split('\n')[0].slice(0, 300)}`);
    }
  },
});
await runner.execute();
const secs = ((Date.now() - started) / 1000).toFixed(1);
console.log(`tfjs-core suite on webnn-wasm (${process.env.WEBNN_WASM_VARIANT}${splitAllWork ? ', 2 threads splitting all work' : ''}): ${counts.excluded} excluded by filters.mjs, ` +
  `${counts.pending} pending (marked so in tfjs-core), ${secs} s`);
console.log(`tfjs-core suite: ${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed === 0 && counts.passed > 0 ? 0 : 1);
