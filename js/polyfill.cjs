'use strict';
// require('webnn-wasm/polyfill'): see require-esm.cjs.
module.exports = require('./require-esm.cjs')(() => require('./polyfill.js'), 'webnn-wasm/polyfill');
