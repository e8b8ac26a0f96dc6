import { describe, expect, it } from 'vitest';
import { WireFormatError, decodeWireMessage, encodeWireMessage } from '../../../src/renderer/src/bridge/wire';

/** The raw bit patterns of a Float32Array, so NaN payloads and -0 compare exactly. */
function bitsOf(values: Float32Array): Uint32Array {
  return new Uint32Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
}

function roundTrip(value: unknown): unknown {
  return decodeWireMessage(encodeWireMessage(value));
}

/** A frame whose header is `header` and whose binary section is `binary`, written by hand. */
function handMadeFrame(header: unknown, binary: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const binaryStart = Math.ceil((8 + json.byteLength) / 8) * 8;
  const frame = new Uint8Array(binaryStart + binary.byteLength);
  frame.set([0x5a, 0x4f, 0x45, 0x31]);
  new DataView(frame.buffer).setUint32(4, json.byteLength, true);
  frame.set(json, 8);
  frame.set(binary, binaryStart);
  return frame;
}

describe('wire codec', () => {
  it('carries a Float32Array bit for bit: NaN, -0, subnormals, infinities, extremes', () => {
    const depth = new Float32Array([NaN, -0, 0, 1e-45, -1e-45, 1.1754942e-38, 3.4028235e38, -Infinity, Infinity, 0.1, 2.5]);
    const decoded = roundTrip({ depth });
    expect(decoded).toEqual({ depth: expect.any(Float32Array) });
    const depthBack = (decoded as { depth: Float32Array }).depth;
    expect(depthBack).not.toBe(depth);
    expect(Array.from(bitsOf(depthBack))).toEqual(Array.from(bitsOf(depth)));
    expect(Object.is(depthBack[1], -0)).toBe(true);
    expect(depthBack[3]).toBeGreaterThan(0);
    expect(depthBack[3]).toBeLessThan(1.2e-38);
  });

  it('keeps a NaN payload that is not the canonical NaN', () => {
    const bits = new Uint32Array([0x7fc00001, 0xffc12345, 0x00000001, 0x80000000]);
    const values = new Float32Array(bits.buffer);
    const back = roundTrip(values) as Float32Array;
    expect(Array.from(bitsOf(back))).toEqual(Array.from(bits));
  });

  it('brings every typed array back as the same class, from a view into a larger buffer too', () => {
    const backing = new ArrayBuffer(64);
    new Uint8Array(backing).forEach((_, index, bytes) => (bytes[index] = index));
    const values = {
      int8: new Int8Array([-128, 0, 127]),
      uint8: new Uint8Array([0, 255, 7]),
      clamped: new Uint8ClampedArray([0, 255]),
      int16: new Int16Array([-32768, 32767]),
      uint16: new Uint16Array([65535]),
      int32: new Int32Array([-2147483648]),
      uint32: new Uint32Array([4294967295]),
      float64: new Float64Array([Math.PI, -0, NaN, Number.MIN_VALUE]),
      bigint64: new BigInt64Array([-(2n ** 63n)]),
      biguint64: new BigUint64Array([2n ** 64n - 1n]),
      slice: new Uint16Array(backing, 6, 5),
      buffer: backing.slice(0, 3),
      view: new DataView(backing, 10, 4)
    };
    const back = roundTrip(values) as typeof values;
    for (const [name, original] of Object.entries(values)) {
      const decoded = back[name as keyof typeof values];
      expect(decoded.constructor, name).toBe(original.constructor);
      expect(Array.from(new Uint8Array(decoded instanceof ArrayBuffer ? decoded : decoded.buffer)), name).toEqual(
        Array.from(original instanceof ArrayBuffer ? new Uint8Array(original) : new Uint8Array(original.buffer, original.byteOffset, original.byteLength))
      );
    }
    expect(Array.from(back.slice)).toEqual([0x0706, 0x0908, 0x0b0a, 0x0d0c, 0x0f0e]);
  });

  it('carries a depth map of several hundred thousand values', () => {
    const depth = new Float32Array(384 * 512).map((_, index) => Math.sin(index) * 10);
    const frame = encodeWireMessage({ width: 512, height: 384, depthMetres: depth });
    expect(frame.byteLength).toBeLessThan(depth.byteLength + 1024);
    const back = decodeWireMessage(frame) as { depthMetres: Float32Array };
    expect(Array.from(bitsOf(back.depthMetres))).toEqual(Array.from(bitsOf(depth)));
  });

  it('spells out what JSON cannot: special numbers, undefined, bigint, Date, Map, Set', () => {
    const value = {
      numbers: [NaN, Infinity, -Infinity, -0, 0, 1.5],
      missing: undefined,
      holes: [undefined, null],
      big: -(10n ** 30n),
      taken: new Date(Date.UTC(2024, 4, 1, 12)),
      invalid: new Date(NaN),
      lookup: new Map<unknown, unknown>([['a', 1], [2, new Float32Array([1])]]),
      seen: new Set(['x', 3])
    };
    const back = roundTrip(value) as typeof value;
    expect(back).toEqual(value);
    expect(Object.is(back.numbers[3], -0)).toBe(true);
    expect(Object.is(back.numbers[4], 0)).toBe(true);
    expect('missing' in back).toBe(true);
    expect(Number.isNaN(back.invalid.getTime())).toBe(true);
  });

  it('never mistakes data for a tag, and keeps "__proto__" keys as data', () => {
    const value = { $zoe: 'Float32Array', offset: 0, byteLength: 4, nested: { $zoe: 'number', value: 'NaN' } };
    expect(roundTrip(value)).toEqual(value);
    const withProto = JSON.parse('{"__proto__": {"polluted": true}, "plain": 1}') as Record<string, unknown>;
    const back = roundTrip(withProto) as Record<string, unknown>;
    expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.keys(back)).toEqual(['__proto__', 'plain']);
  });

  it('refuses what structured clone refuses: functions, symbols, cycles', () => {
    expect(() => encodeWireMessage({ callback: () => 1 })).toThrow(WireFormatError);
    expect(() => encodeWireMessage([Symbol('x')])).toThrow(WireFormatError);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => encodeWireMessage(cyclic)).toThrow(WireFormatError);
    const shared = { a: 1 };
    expect(roundTrip([shared, shared])).toEqual([{ a: 1 }, { a: 1 }]);
  });

  it('accepts a text frame holding a bare header', () => {
    expect(decodeWireMessage('{"id":1,"method":"app.getInfo","n":{"$zoe":"number","value":"-0"}}')).toEqual({
      id: 1,
      method: 'app.getInfo',
      n: -0
    });
  });

  it('refuses malformed frames with a WireFormatError, never another exception', () => {
    const good = encodeWireMessage({ depth: new Float32Array([1, 2]) });
    const malformed: (string | Uint8Array)[] = [
      'not json',
      new Uint8Array([1, 2, 3]),
      new Uint8Array([0x5a, 0x4f, 0x45, 0x32, 0, 0, 0, 0]),
      good.slice(0, 12),
      good.slice(0, good.byteLength - 4),
      handMadeFrame({ x: { $zoe: 'Float32Array', offset: 0, byteLength: 8 } }, new Uint8Array(4)),
      handMadeFrame({ x: { $zoe: 'Float32Array', offset: 0, byteLength: 6 } }, new Uint8Array(8)),
      handMadeFrame({ x: { $zoe: 'Float32Array', offset: -8, byteLength: 8 } }, new Uint8Array(8)),
      handMadeFrame({ x: { $zoe: 'Function', source: 'alert(1)' } }),
      handMadeFrame({ x: { $zoe: 'number', value: '42' } }),
      handMadeFrame({ x: { $zoe: 'bigint', value: '1e3' } }),
      handMadeFrame({ x: { $zoe: 'Date', value: 'yesterday' } }),
      '['.repeat(200_000) + ']'.repeat(200_000)
    ];
    for (const frame of malformed) expect(() => decodeWireMessage(frame)).toThrow(WireFormatError);
    const invalidUtf8 = handMadeFrame('x');
    invalidUtf8[8] = 0xff;
    expect(() => decodeWireMessage(invalidUtf8)).toThrow(WireFormatError);
  });
});
