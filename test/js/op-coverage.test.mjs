// Every builder method of the spec's IDL exists, and opSupportLimits() describes each one.
import { test } from 'node:test';
import assert from 'node:assert/strict';
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
