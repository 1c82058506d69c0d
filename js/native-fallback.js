// Where the platform has a navigator.ml that cannot run (e.g. Chromium with the WebNN flag on a
// machine without a supported backend: createContext() rejects with NotSupportedError), the polyfill
// keeps the native object and decides per call: the native createContext() is tried first, and only
// a NotSupportedError for the options asked makes webnn-wasm serve that context. A working native
// WebNN is never replaced; a page whose native contexts all work sees no other change.
//
// Once a context of ours exists, the page's ML* globals (native) must also accept our objects:
// `new MLGraphBuilder(ourContext)` builds our builder, and `instanceof MLContext / MLOperand / ...`
// answers true for ours as for native ones. The globals become proxies of the native interfaces that
// do that, installed on the first fallback only.

const DISPATCHED = ['MLContext', 'MLGraphBuilder', 'MLOperand', 'MLTensor', 'MLGraph'];

function dispatchingInterface(Native, Ours, OurContext) {
  const proxy = new Proxy(Native, {
    construct(target, args, newTarget) {
      if (args[0] instanceof OurContext) return Reflect.construct(Ours, args);
      return Reflect.construct(target, args, newTarget === proxy ? target : newTarget);
    },
    get(target, key) {
      if (key === Symbol.hasInstance) return (v) => v instanceof target || v instanceof Ours;
      return Reflect.get(target, key);
    },
  });
  return proxy;
}

function installDispatchingGlobals(g, ours) {
  for (const name of DISPATCHED) {
    const Native = g[name];
    if (typeof Native !== 'function' || Native === ours[name]) continue;
    Object.defineProperty(g, name, {
      value: dispatchingInterface(Native, ours[name], ours.MLContext), writable: true, configurable: true, enumerable: false,
    });
  }
}

// Wraps nativeMl.createContext (an own property of that object: its prototype is left alone).
// Resolves to { fallbacks } so tests and callers can see how many contexts were served by us.
export function fallBackPerCall(g, nativeMl, ourMl, ours) {
  const nativeCreateContext = nativeMl.createContext;
  const status = { fallbacks: 0 };
  let globalsInstalled = false;
  async function createContext(options) {
    try {
      return await nativeCreateContext.call(this, options);
    } catch (e) {
      if (!e || e.name !== 'NotSupportedError') throw e;
      const context = await ourMl.createContext(options);
      if (!globalsInstalled) {
        globalsInstalled = true;
        installDispatchingGlobals(g, ours);
        console.info(`webnn-wasm: the native navigator.ml cannot create this context (${e.name}: ${e.message}); webnn-wasm serves it`);
      }
      status.fallbacks++;
      return context;
    }
  }
  Object.defineProperty(nativeMl, 'createContext', { value: createContext, writable: true, configurable: true, enumerable: false });
  return status;
}
