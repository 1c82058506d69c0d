// Every builder method of the spec's IDL exists, and opSupportLimits() describes each one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { skip, ml, MLGraphBuilder } from './ops-helpers.mjs';
import { OPS } from '../../js/op-signatures.js';

test('every spec operator is a builder method with support limits', { skip }, async () => {
  const context = await ml.createContext();
  const builder = new MLGraphBuilder(context);
  const limits = context.opSupportLimits();
  const missing = Object.keys(OPS).filter((op) => typeof builder[op] !== 'function' || !limits[op]);
  assert.deepEqual(missing, []);
  assert.equal(Object.keys(OPS).length, 95);
  for (const op of Object.keys(OPS)) {
    for (const [name, l] of Object.entries(limits[op])) {
      assert.ok(Array.isArray(l.dataTypes) && l.dataTypes.length > 0, `${op}.${name} has data types`);
      assert.ok(l.rankRange.min <= l.rankRange.max, `${op}.${name} rank range`);
    }
  }
  context.destroy();
});

// types/index.d.ts declares context.opSupportLimits() as Required<MLOpSupportLimits> (every member
// present, so `context.opSupportLimits().conv2d.input` compiles without `?.`): the engine must return
// every member the types list, and nothing they do not.
test('opSupportLimits() has exactly the members types/index.d.ts promises', { skip }, async () => {
  const dts = fs.readFileSync(new URL('../../types/index.d.ts', import.meta.url), 'utf8');
  const start = dts.indexOf('export interface MLOpSupportLimits {');
  const block = dts.slice(start, dts.indexOf('\n}', start));
  const declared = [...block.matchAll(/^\s+(\w+)\??:/gm)].map((m) => m[1]);
  assert.ok(declared.length > 95, `parsed ${declared.length} members`);
  assert.match(dts, /opSupportLimits\(\): WebnnWasmOpSupportLimits;/);
  assert.match(dts, /type WebnnWasmOpSupportLimits = Required<MLOpSupportLimits>;/);
  const context = await ml.createContext();
  const returned = Object.keys(context.opSupportLimits());
  context.destroy();
  assert.deepEqual(declared.filter((m) => !returned.includes(m)), [], 'declared but not returned');
  assert.deepEqual(returned.filter((m) => !declared.includes(m)), [], 'returned but not declared');
});
