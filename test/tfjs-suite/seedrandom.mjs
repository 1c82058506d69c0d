// `import * as seedrandom from 'seedrandom'` in tfjs-core's ES modules expects named exports that
// Node's CommonJS interop does not find in seedrandom's index (see esm-hooks.mjs).
import seedrandom from 'seedrandom';

export default seedrandom;
export const { alea, xor128, xorwow, xorshift7, xor4096, tychei } = seedrandom;
