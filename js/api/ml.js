import { INTERNAL, checkInternal } from './errors.js';
import { ensureEngine } from './engine.js';
import { toDictionaryObject, toEnum, toBoolean, enforceRangeU32 } from './idl.js';
import { createContextState } from './context.js';
import { hardwareThreads } from '../loader.js';
import './graph-builder.js'; // installs the op methods when the engine loads

const POWER_PREFERENCES = ['default', 'high-performance', 'low-power'];

function looksLikeGPUDevice(v) {
  if (typeof GPUDevice === 'function' && v instanceof GPUDevice) return true;
  // Duck typing for stand-ins and other realms: a device has a queue and creates buffers.
  return v !== null && typeof v === 'object' && typeof v.createBuffer === 'function' && 'queue' in v;
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
    // A CPU engine has one way to run either way; `accelerated` is kept for MLContext.accelerated.
    const accelerated = o.accelerated === undefined ? true : toBoolean(o.accelerated);
    if (o.powerPreference !== undefined) toEnum(o.powerPreference, POWER_PREFERENCES, 'createContext: options.powerPreference');
    let numThreads = 0;
    if (o.numThreads !== undefined) numThreads = enforceRangeU32(o.numThreads, 'createContext: options.numThreads');
    const engine = await ensureEngine();
    if (!numThreads) numThreads = defaultThreads(engine.variant);
    return createContextState(numThreads, accelerated);
  }
}
Object.defineProperty(ML.prototype, Symbol.toStringTag, { value: 'ML', configurable: true });

export const ml = new ML(INTERNAL);
