import { INTERNAL, checkInternal } from './errors.js';
import { ensureEngine } from './engine.js';
import { toDictionary, dictionaryMembers, toEnum, toBoolean, toSequence, toUSVString, enforceRangeU32 } from './idl.js';
import { createContextState } from './context.js';
import { hardwareThreads, preferLoadedWorkers } from '../loader.js';
import './graph-builder.js'; // installs the op methods when the engine loads

const POWER_PREFERENCES = ['default', 'high-performance', 'low-power'];

// MLContextOptions (numThreads, disabledPasses, verifyPlans and splitAllWork are ours). powerPreference is
// converted for its IDL errors only; accelerated is reported back by MLContext.accelerated.
const CONTEXT_OPTIONS = dictionaryMembers({
  accelerated: [toBoolean],
  disabledPasses: [(v, where) => toSequence(v, where, toUSVString)],
  numThreads: [enforceRangeU32],
  powerPreference: [(v, where) => toEnum(v, POWER_PREFERENCES, where)],
  splitAllWork: [toBoolean],
  verifyPlans: [toBoolean],
});

function looksLikeGPUDevice(v) {
  if (v === null || typeof v !== 'object') return false;
  if (typeof GPUDevice === 'function' && v instanceof GPUDevice) return true;
  // Duck typing for stand-ins and other realms: a device has a queue and creates buffers. `in`
  // runs no getter, so an options dictionary's members are read once, by its conversion.
  return 'createBuffer' in v && 'queue' in v;
}

function verifyPlansByDefault() {
  return typeof process === 'object' && process?.env?.WEBNN_VERIFY_PLANS === '1';
}

function defaultThreads(variant) {
  return variant.includes('threads') ? hardwareThreads() : 1;
}

export class ML {
  constructor(token) {
    checkInternal(token, 'ML');
  }

  // createContext(MLContextOptions) | createContext(GPUDevice): we have no WebGPU interop.
  async createContext(options) {
    if (looksLikeGPUDevice(options)) {
      throw new DOMException('createContext: WebGPU devices are not supported by webnn-wasm', 'NotSupportedError');
    }
    const o = toDictionary(options, 'createContext: options', CONTEXT_OPTIONS);
    // A CPU engine has one way to run either way; `accelerated` is kept for MLContext.accelerated.
    const accelerated = o.accelerated === undefined ? true : o.accelerated;
    let numThreads = o.numThreads || 0;
    // (ours) compiler switches for debugging the engine: passes to skip (names from
    // compilerPassNames()) and plan verification (default: the WEBNN_VERIFY_PLANS=1 environment
    // variable under Node, which npm test sets).
    const disabledPasses = o.disabledPasses || [];
    const verifyPlans = o.verifyPlans === undefined ? verifyPlansByDefault() : o.verifyPlans;
    // (ours, testing) kernels split even the smallest work over the threads, so that small graphs
    // run the threaded paths (the differential fuzzer uses it).
    const splitAllWork = o.splitAllWork === true;
    const engine = await ensureEngine(numThreads);
    if (!numThreads) numThreads = defaultThreads(engine.variant);
    // No wait for the pool's workers, which load in the background: threads join as they start.
    preferLoadedWorkers(engine.M);
    return createContextState(numThreads, { accelerated, disabledPasses, verifyPlans, splitAllWork });
  }
}
Object.defineProperty(ML.prototype, Symbol.toStringTag, { value: 'ML', configurable: true });

export const ml = new ML(INTERNAL);
