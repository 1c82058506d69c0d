// Init scripts (run in the page before its own scripts) that give the page a native-looking WebNN:
// navigator.ml as a getter on Navigator.prototype and the ML* interfaces as globals, as Chromium has
// them. Kept in window.fake for the tests to compare with. (Self-contained: they are serialized.)

// Like Chromium 156 with --enable-features=WebMachineLearningNeuralNetwork on a machine without a
// backend: every createContext() rejects, and the native MLGraphBuilder refuses any other context.
export function fakeNativeThatRejects() {
  class MLContext { constructor() { throw new TypeError('Illegal constructor'); } }
  class ML {
    async createContext() {
      throw new DOMException("Failed to execute 'createContext' on 'ML': WebNN is not supported on this platform.", 'NotSupportedError');
    }
  }
  class MLGraphBuilder {
    constructor(context) {
      if (!(context instanceof MLContext)) throw new TypeError("Failed to construct 'MLGraphBuilder': parameter 1 is not of type 'MLContext'.");
    }
  }
  class MLOperand {}
  class MLTensor {}
  class MLGraph {}
  const ml = new ML();
  Object.defineProperty(Navigator.prototype, 'ml', { get() { return ml; }, configurable: true, enumerable: true });
  const interfaces = { ML, MLContext, MLGraphBuilder, MLOperand, MLTensor, MLGraph };
  for (const [name, value] of Object.entries(interfaces)) Object.defineProperty(window, name, { value, writable: true, configurable: true });
  window.fake = { ml, ...interfaces };
}

// A native WebNN that works: createContext() resolves with its own MLContext.
export function fakeNativeThatWorks() {
  const token = Symbol('native');
  class MLContext { constructor(t) { if (t !== token) throw new TypeError('Illegal constructor'); } }
  class ML { async createContext() { return new MLContext(token); } }
  class MLGraphBuilder {
    constructor(context) {
      if (!(context instanceof MLContext)) throw new TypeError("Failed to construct 'MLGraphBuilder': parameter 1 is not of type 'MLContext'.");
      this.native = true;
    }
  }
  class MLOperand {}
  class MLTensor {}
  class MLGraph {}
  const ml = new ML();
  Object.defineProperty(Navigator.prototype, 'ml', { get() { return ml; }, configurable: true, enumerable: true });
  const interfaces = { ML, MLContext, MLGraphBuilder, MLOperand, MLTensor, MLGraph };
  for (const [name, value] of Object.entries(interfaces)) Object.defineProperty(window, name, { value, writable: true, configurable: true });
  window.fake = { ml, ...interfaces };
}
