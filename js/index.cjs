'use strict';
// require('webnn-wasm'): see require-esm.cjs.
module.exports = require('./require-esm.cjs')(() => require('./index.js'), 'webnn-wasm');
