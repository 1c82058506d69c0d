import { INTERNAL, checkInternal } from './errors.js';
import { ensureEngine } from './engine.js';
import { toDictionaryObject, toEnum, toBoolean, toSequence, toUSVString, enforceRangeU32 } from './idl.js';
import { createContextState } from './context.js';
import { hardwareThreads } from '../loader.js';
import './graph-builder.js'; // installs the op methods when the engine loads

const POWER_PREFERENCES = ['default', 'high-performance', 'low-power'];

function looksLikeGPUDevice(v) {
  if (typeof GPUDevice === 'function' && v instanceof GPUDevice) return true;
  // Duck typing for stand-ins and other realms: a device has a queue and creates buffers.
  return v !== null && typeof v === 'object' && typeof v.createBuffer === 'function' && 'queue' in v;
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
    const o = toDictionaryObject(options, 'createContext: options');
    // Members read for their IDL conversion errors; a CPU engine has one way to run either way.
    if (o.accelerated !== undefined) toBoolean(o.accelerated);
    if (o.powerPreference !== undefined) toEnum(o.powerPreference, POWER_PREFERENCES, 'createContext: options.powerPreference');
    let numThreads = 0;
    if (o.numThreads !== undefined) numThreads = enforceRangeU32(o.numThreads, 'createContext: options.numThreads');
    // (ours) compiler switches for debugging the engine: passes to skip (names from
    // compilerPassNames()) and plan verification (default: the WEBNN_VERIFY_PLANS=1 environment
    // variable under Node, which npm test sets).
    const disabledPasses = o.disabledPasses === undefined ? []
      : toSequence(o.disabledPasses, 'createContext: options.disabledPasses', toUSVString);
    const verifyPlans = o.verifyPlans === undefined ? verifyPlansByDefault() : toBoolean(o.verifyPlans);
    const engine = await ensureEngine();
    if (!numThreads) numThreads = defaultThreads(engine.variant);
    return createContextState(numThreads, { disabledPasses, verifyPlans });
  }
}
Object.defineProperty(ML.prototype, Symbol.toStringTag, { value: 'ML', configurable: true });

export const ml = new ML(INTERNAL);
