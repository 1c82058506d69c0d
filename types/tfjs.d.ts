// `webnn-wasm/tfjs`: the TensorFlow.js backend entry (js/tfjs/). Importing it registers the backend
// 'webnn-wasm' with @tensorflow/tfjs-core (priority 3) and its kernels (docs/tfjs.md).

/** The TF.js backend name: `tf.setBackend('webnn-wasm')`. */
export declare const BACKEND_NAME: 'webnn-wasm';
/** The priority the backend is registered with. */
export declare const PRIORITY: number;

export interface WebNNWasmBackendOptions {
  /** Engine threads (default: all hardware threads on the threaded build). */
  numThreads?: number;
  /** Bake tensors created from JS data (model weights) into graphs as constants (default true). */
  bakeWeights?: boolean;
  /** Record kernels into one engine graph, run when data are read (default true). */
  wholeGraph?: boolean;
  /** (For testing) kernels split even the smallest work over the threads (default false). */
  splitAllWork?: boolean;
  /** (For debugging) engine compiler passes to skip, by the names `compilerPassNames()` returns. */
  disabledPasses?: string[];
}
/** Options for the backend's context; call before the backend initializes. */
export declare function setBackendOptions(options?: WebNNWasmBackendOptions): void;

/** TF.js kernel names implemented on the engine (each may still fall back per call). */
export declare const ENGINE_KERNELS: readonly string[];
/** TF.js kernel names that always run on tfjs-backend-cpu. */
export declare const FALLBACK_KERNELS: readonly string[];

export interface WebNNWasmBackendStats {
  dispatches: number;
  graphBuilds: number;
  fallbacks: number;
  fallbackKernels: Map<string, number>;
  uploads: number;
  downloads: number;
}

/** The KernelBackend subclass (a `@tensorflow/tfjs-core` KernelBackend). */
export declare class WebNNWasmBackend {
  constructor(context: unknown, options?: WebNNWasmBackendOptions);
  readonly stats: WebNNWasmBackendStats;
  /** True when the engine registers the WebNN op. */
  has(op: string): boolean;
  dispose(): void;
}
