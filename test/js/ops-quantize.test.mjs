// quantizeLinear/dequantizeLinear, prelu, clamp on integers and opSupportLimits, through the API.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { skip, ml, run } from './ops-helpers.mjs';

const roundEven = (v) => { const r = Math.round(v); return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r; };

test('quantizeLinear (blockwise scale) and dequantizeLinear round-trip', { skip }, async () => {
  const context = await ml.createContext();
  const x = Float32Array.from([-3, -1.5, 0, 0.5, 2.5, 300, 7, -200]);
  const scale = Float32Array.from([0.5, 2]);
  const zp = Uint8Array.from([128, 10]);
  const inputs = {
    x: { dataType: 'float32', shape: [2, 4], data: x },
    s: { dataType: 'float32', shape: [1, 2], data: scale, constant: true },
    z: { dataType: 'uint8', shape: [1, 2], data: zp, constant: true },
  };
  const { q, d } = await run(context, inputs, (b, o) => {
    const qq = b.quantizeLinear(o.x, o.s, o.z);
    return { q: qq, d: b.dequantizeLinear(qq, o.s, o.z) };
  });
  for (let i = 0; i < 8; i++) {
    const blk = Math.floor((i % 4) / 2);
    const e = Math.min(255, Math.max(0, roundEven(Math.fround(x[i] / scale[blk])) + zp[blk]));
    assert.equal(q[i], e, `q[${i}]`);
    assert.equal(d[i], (e - zp[blk]) * scale[blk]);
  }
  context.destroy();
});

test('prelu on int8 with a broadcast slope; clamp on int64', { skip }, async () => {
  const context = await ml.createContext();
  const x = { dataType: 'int8', shape: [2, 3], data: Int8Array.from([-4, 5, -6, 7, -8, 0]) };
  const s = { dataType: 'int8', shape: [3], data: Int8Array.from([2, 3, -1]) };
  const { y } = await run(context, { x, s }, (b, o) => b.prelu(o.x, o.s));
  assert.deepEqual([...y], [-8, 5, 6, 7, -24, 0]);
  const big = { dataType: 'int64', shape: [3], data: BigInt64Array.from([-(1n << 50n), 5n, 1n << 50n]) };
  const { y: c } = await run(context, { big }, (b, o) => b.clamp(o.big, { minValue: -10, maxValue: 10 }));
  assert.deepEqual([...c], [-10n, 5n, 10n]);
  context.destroy();
});

test('opSupportLimits reports the spec data types for ops-a ops, float16 included', { skip }, async () => {
  const context = await ml.createContext();
  const limits = context.opSupportLimits();
  assert.ok(limits.conv2d.input.dataTypes.includes('float16'));
  assert.ok(limits.matmul.a.dataTypes.includes('float16'));
  assert.deepEqual([...limits.relu.input.dataTypes].sort(), ['float16', 'float32', 'int32', 'int64', 'int8']);
  assert.deepEqual([...limits.reduceSum.input.dataTypes].sort(), ['float16', 'float32', 'int32', 'uint32']);
  assert.deepEqual([...limits.equal.output.dataTypes], ['uint8']);
  assert.equal(limits.cast.input.dataTypes.length, 8);
  context.destroy();
});
