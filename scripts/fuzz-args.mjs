// The command line the fuzz runners share: --count N, --seed S (default: from the clock),
// --variant scalar|simd|simd-threads (default: WEBNN_WASM_VARIANT), and the runner's own options
// through opt(name, default) and flag(name).
export function fuzzArgs(api, defaultCount) {
  const args = process.argv.slice(2);
  const opt = (name, def) => {
    const i = args.indexOf(`--${name}`);
    return i >= 0 && i + 1 < args.length ? args[i + 1] : def;
  };
  const variant = opt('variant', process.env.WEBNN_WASM_VARIANT);
  if (variant) api.setVariant(variant);
  return {
    opt,
    flag: (name) => args.includes(`--${name}`),
    count: Number(opt('count', defaultCount)),
    seed: Number(opt('seed', Date.now() % 2 ** 31)),
  };
}
