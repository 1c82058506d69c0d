// What bundlers substitute for the Node built-ins that tfjs-backend-wasm's ES module imports
// ("browser": { "fs": false, ... } in its package.json): an empty module. Never used in a page.
export default {};
