// `webnn-wasm/tfjs`: the TensorFlow.js backend entry (js/tfjs/, from the tfjs branch). Importing it
// registers the backend with @tensorflow/tfjs-core. Its named exports are declared by that branch;
// until then this declares none.
export {};
