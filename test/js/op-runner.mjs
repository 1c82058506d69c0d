// Builds a one-off graph through navigator.ml-style API objects and runs it: typed inputs in,
// typed outputs (one per named output) back. Shared by the ops-*.test.mjs files.
import { skip, ml, run } from './ops-helpers.mjs';

export { skip };

export function newContext() { return ml.createContext(); }

// inputs: { name: { dataType (default float32), shape, data } }; build(builder, operands) returns an
// operand, an array of operands (out0, out1, ...) or { name: operand }. Resolves to
// { name: { shape, data } }.
export async function runGraph(context, inputs, build) {
  const typed = Object.fromEntries(Object.entries(inputs).map(([n, t]) => [n, { ...t, dataType: t.dataType ?? 'float32' }]));
  const shapes = {};
  const data = await run(context, typed, (b, operands) => {
    let outs = build(b, operands);
    if (Array.isArray(outs)) outs = Object.fromEntries(outs.map((o, i) => [`out${i}`, o]));
    else if (outs.dataType) outs = { out0: outs };
    for (const [name, o] of Object.entries(outs)) shapes[name] = o.shape;
    return outs;
  });
  return Object.fromEntries(Object.entries(data).map(([name, d]) => [name, { shape: shapes[name], data: d }]));
}

export const size = (shape) => shape.reduce((a, b) => a * b, 1);

export function stridesOf(shape) {
  const s = new Array(shape.length).fill(1);
  for (let i = shape.length - 2; i >= 0; i--) s[i] = s[i + 1] * shape[i + 1];
  return s;
}

// Calls f(coords, linearIndex) for every coordinate of shape in row-major order.
export function forEachCoord(shape, f) {
  const n = size(shape);
  const c = new Array(shape.length).fill(0);
  for (let i = 0; i < n; i++) {
    f(c, i);
    for (let d = shape.length - 1; d >= 0; d--) { if (++c[d] < shape[d]) break; c[d] = 0; }
  }
}

export function linear(shape, c) {
  let i = 0;
  for (let d = 0; d < shape.length; d++) i = i * shape[d] + c[d];
  return i;
}

export function close(actual, expected, atol = 1e-5, rtol = 1e-4) {
  if (actual.length !== expected.length) return `length ${actual.length} vs ${expected.length}`;
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i] - expected[i]) <= atol + rtol * Math.abs(expected[i]))) return `index ${i}: ${actual[i]} vs ${expected[i]}`;
  }
  return null;
}
