// The op schema (src/graph/op_schema.mjs) is the single source of every per-op table: the files
// derived from it are current, the engine reports exactly its limits, and the compiler passes
// recognise ops by their traits, never by name.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { skip, ml } from './ops-helpers.mjs';
import { OPS } from '../../src/graph/op_schema.mjs';
import { generate, operandsOf } from '../../scripts/gen-op-schema.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));

test('every file derived from the op schema is current (npm run gen:ops)', () => {
  const stale = Object.entries(generate())
    .filter(([file, text]) => fs.readFileSync(path.join(root, file), 'utf8') !== text)
    .map(([file]) => file);
  assert.deepEqual(stale, []);
});

test('opSupportLimits() reports exactly the schema: every op, its operands and results', { skip }, async () => {
  const context = await ml.createContext({ numThreads: 1 });
  const limits = context.opSupportLimits();
  for (const [name, op] of Object.entries(OPS)) {
    const expected = {};
    for (const o of operandsOf(name)) expected[o.name] = o.limits;
    Object.assign(expected, op.outputs);
    const got = { ...limits[name] };
    if (name === 'gru' || name === 'lstm' || name === 'lstmCell') delete got.outputs;  // the legacy union (context.js)
    const actual = Object.fromEntries(Object.entries(got).map(([k, l]) => [k, { dataTypes: l.dataTypes, rank: [l.rankRange.min, l.rankRange.max] }]));
    assert.deepEqual(actual, expected, name);
  }
  context.destroy();
});

test('no op name is a string literal in src/compiler/ (passes ask the schema\'s traits)', () => {
  const dir = path.join(root, 'src/compiler');
  const names = new Set(Object.keys(OPS));
  const found = [];
  for (const file of fs.readdirSync(dir)) {
    const text = fs.readFileSync(path.join(dir, file), 'utf8').replace(/\/\/.*$/gm, '');
    for (const [, literal] of text.matchAll(/"([A-Za-z0-9]+)"/g)) if (names.has(literal)) found.push(`${file}: "${literal}"`);
  }
  assert.deepEqual(found, []);
});

test('logicalNot, isNaN and isInfinite take the spec\'s `input` (not `a`)', { skip }, async () => {
  const context = await ml.createContext({ numThreads: 1 });
  const limits = context.opSupportLimits();
  for (const op of ['logicalNot', 'isNaN', 'isInfinite']) assert.deepEqual(Object.keys(limits[op]), ['input', 'output'], op);
  context.destroy();
});
