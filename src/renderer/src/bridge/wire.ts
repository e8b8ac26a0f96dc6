/**
 * The value encoding of the test host's WebSocket: what Electron's structured clone carries over
 * IPC must survive the socket too, above all typed arrays (depth maps as `Float32Array`,
 * thumbnails as `Uint8Array`) bit for bit, NaN and -0 included.
 *
 * A frame is one binary message:
 *
 * ```
 * "ZOE1" | uint32 LE header length | header (UTF-8 JSON) | zero padding to 8 bytes | binary section
 * ```
 *
 * The header is the message as JSON, in which every value JSON cannot carry is a tagged object
 * `{ "$zoe": tag, ... }`: typed arrays and ArrayBuffers point into the binary section (8-byte
 * aligned, the platform's byte order, which is little-endian wherever Electron runs), and
 * NaN, ±Infinity, -0, undefined, bigint, Date, Map and Set are spelled out. A plain object that
 * happens to own a `$zoe` key is wrapped as `{ "$zoe": "object", "value": ... }`, so no data can be
 * mistaken for a tag. Text frames are accepted as a bare header (no binary section), which lets a
 * developer poke the host with any WebSocket client.
 *
 * Pure TypeScript with no DOM or Node APIs: the renderer bridge and the Node test host share it.
 */
import { z } from 'zod';

const MAGIC = [0x5a, 0x4f, 0x45, 0x31]; // "ZOE1"
const PREAMBLE_BYTES = 8;
const ALIGNMENT = 8;
const TAG = '$zoe';

/** A frame that cannot be decoded, or a value that cannot be encoded. */
export class WireFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'WireFormatError';
  }
}

const TYPED_ARRAYS = {
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array
} as const;

type TypedArrayName = keyof typeof TYPED_ARRAYS;
const TYPED_ARRAY_NAMES = Object.keys(TYPED_ARRAYS) as TypedArrayName[];

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

// ---------------------------------------------------------------------------------------------
// Encoding

/** Collects the binary section while the header is built. */
class BinaryWriter {
  private readonly chunks: Uint8Array[] = [];
  private length = 0;

  /** Appends a copy of the bytes at an 8-byte aligned offset; returns that offset. */
  append(bytes: Uint8Array): number {
    const offset = alignUp(this.length);
    if (offset > this.length) this.chunks.push(new Uint8Array(offset - this.length));
    this.chunks.push(bytes);
    this.length = offset + bytes.byteLength;
    return offset;
  }

  get byteLength(): number {
    return this.length;
  }

  copyInto(target: Uint8Array, start: number): void {
    let at = start;
    for (const chunk of this.chunks) {
      target.set(chunk, at);
      at += chunk.byteLength;
    }
  }
}

/** Sets an own data property; unlike `object[key] = value`, a "__proto__" key stays data and never sets the prototype. */
function setOwn<T>(object: Record<string, T>, key: string, value: T): void {
  Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
}

function alignUp(value: number): number {
  return Math.ceil(value / ALIGNMENT) * ALIGNMENT;
}

function typedArrayNameOf(view: ArrayBufferView): TypedArrayName | 'DataView' {
  if (view instanceof DataView) return 'DataView';
  const name = TYPED_ARRAY_NAMES.find((candidate) => view instanceof TYPED_ARRAYS[candidate]);
  if (name === undefined) throw new WireFormatError('This kind of binary view cannot travel to the host.');
  return name;
}

function encodeNumber(value: number): Json {
  if (Number.isNaN(value)) return { [TAG]: 'number', value: 'NaN' };
  if (value === Infinity) return { [TAG]: 'number', value: 'Infinity' };
  if (value === -Infinity) return { [TAG]: 'number', value: '-Infinity' };
  if (Object.is(value, -0)) return { [TAG]: 'number', value: '-0' };
  return value;
}

function encodeValue(value: unknown, binary: BinaryWriter, ancestors: Set<object>): Json {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return encodeNumber(value);
    case 'undefined':
      return { [TAG]: 'undefined' };
    case 'bigint':
      return { [TAG]: 'bigint', value: value.toString() };
    case 'function':
    case 'symbol':
      throw new WireFormatError(`A ${typeof value} cannot travel to the host.`);
  }
  if (value === null) return null;
  const object = value as object;
  if (object instanceof ArrayBuffer) {
    return { [TAG]: 'ArrayBuffer', offset: binary.append(new Uint8Array(object.slice(0))), byteLength: object.byteLength };
  }
  if (ArrayBuffer.isView(object)) {
    const bytes = new Uint8Array(object.buffer, object.byteOffset, object.byteLength).slice();
    return { [TAG]: typedArrayNameOf(object), offset: binary.append(bytes), byteLength: object.byteLength };
  }
  if (object instanceof Date) return { [TAG]: 'Date', value: encodeNumber(object.getTime()) };
  if (ancestors.has(object)) throw new WireFormatError('A value that contains itself cannot travel to the host.');
  ancestors.add(object);
  try {
    if (Array.isArray(object)) return object.map((item: unknown) => encodeValue(item, binary, ancestors));
    if (object instanceof Map) {
      const entries = [...object.entries()].map(([key, item]) => [encodeValue(key, binary, ancestors), encodeValue(item, binary, ancestors)]);
      return { [TAG]: 'Map', entries };
    }
    if (object instanceof Set) {
      return { [TAG]: 'Set', values: [...object.values()].map((item) => encodeValue(item, binary, ancestors)) };
    }
    const fields: { [key: string]: Json } = {};
    for (const [key, item] of Object.entries(object)) setOwn(fields, key, encodeValue(item, binary, ancestors));
    return Object.prototype.hasOwnProperty.call(object, TAG) ? { [TAG]: 'object', value: fields } : fields;
  } finally {
    ancestors.delete(object);
  }
}

/** Encodes a message into one binary frame. Throws {@link WireFormatError} for values structured clone would refuse too. */
export function encodeWireMessage(message: unknown): Uint8Array {
  const binary = new BinaryWriter();
  const header = new TextEncoder().encode(JSON.stringify(encodeValue(message, binary, new Set())));
  const binaryStart = alignUp(PREAMBLE_BYTES + header.byteLength);
  const frame = new Uint8Array(binaryStart + binary.byteLength);
  frame.set(MAGIC, 0);
  new DataView(frame.buffer).setUint32(4, header.byteLength, true);
  frame.set(header, PREAMBLE_BYTES);
  binary.copyInto(frame, binaryStart);
  return frame;
}

// ---------------------------------------------------------------------------------------------
// Decoding

const binaryTag = z.strictObject({
  [TAG]: z.enum([...TYPED_ARRAY_NAMES, 'DataView', 'ArrayBuffer']),
  offset: z.number().int().nonnegative(),
  byteLength: z.number().int().nonnegative()
});
const numberTag = z.strictObject({ [TAG]: z.literal('number'), value: z.enum(['NaN', 'Infinity', '-Infinity', '-0']) });
const undefinedTag = z.strictObject({ [TAG]: z.literal('undefined') });
const bigintTag = z.strictObject({ [TAG]: z.literal('bigint'), value: z.string().regex(/^-?\d{1,400}$/) });
const dateTag = z.strictObject({ [TAG]: z.literal('Date'), value: z.unknown() });
const mapTag = z.strictObject({ [TAG]: z.literal('Map'), entries: z.array(z.tuple([z.unknown(), z.unknown()])) });
const setTag = z.strictObject({ [TAG]: z.literal('Set'), values: z.array(z.unknown()) });
const objectTag = z.strictObject({ [TAG]: z.literal('object'), value: z.record(z.string(), z.unknown()) });
const anyTag = z.union([binaryTag, numberTag, undefinedTag, bigintTag, dateTag, mapTag, setTag, objectTag]);

const SPECIAL_NUMBERS: Record<z.infer<typeof numberTag>['value'], number> = {
  NaN: NaN,
  Infinity: Infinity,
  '-Infinity': -Infinity,
  '-0': -0
};

function reviveBinary(tag: z.infer<typeof binaryTag>, binary: Uint8Array): unknown {
  const name = tag[TAG];
  const end = tag.offset + tag.byteLength;
  if (end > binary.byteLength) throw new WireFormatError('A binary value points past the end of the frame.');
  const buffer = binary.slice(tag.offset, end).buffer;
  if (name === 'ArrayBuffer') return buffer;
  if (name === 'DataView') return new DataView(buffer);
  const TypedArray = TYPED_ARRAYS[name];
  if (tag.byteLength % TypedArray.BYTES_PER_ELEMENT !== 0) {
    throw new WireFormatError(`A ${name} of ${tag.byteLength} bytes is not a whole number of elements.`);
  }
  return new TypedArray(buffer);
}

function reviveFields(fields: Record<string, unknown>, binary: Uint8Array): Record<string, unknown> {
  const revived: Record<string, unknown> = {};
  for (const [key, item] of Object.entries(fields)) setOwn(revived, key, reviveValue(item, binary));
  return revived;
}

function reviveValue(value: unknown, binary: Uint8Array): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item: unknown) => reviveValue(item, binary));
  if (!Object.prototype.hasOwnProperty.call(value, TAG)) return reviveFields(value as Record<string, unknown>, binary);
  const parsed = anyTag.safeParse(value);
  if (!parsed.success) throw new WireFormatError('A frame holds a tagged value this host does not understand.');
  const tag = parsed.data;
  switch (tag[TAG]) {
    case 'number':
      return SPECIAL_NUMBERS[tag.value];
    case 'undefined':
      return undefined;
    case 'bigint':
      return BigInt(tag.value);
    case 'Date': {
      const time = reviveValue(tag.value, binary);
      if (typeof time !== 'number') throw new WireFormatError('A date in a frame has no time.');
      return new Date(time);
    }
    case 'Map':
      return new Map(tag.entries.map(([key, item]) => [reviveValue(key, binary), reviveValue(item, binary)]));
    case 'Set':
      return new Set(tag.values.map((item) => reviveValue(item, binary)));
    case 'object':
      return reviveFields(tag.value, binary);
    default:
      return reviveBinary(tag, binary);
  }
}

function bytesOf(frame: ArrayBuffer | ArrayBufferView): Uint8Array {
  return frame instanceof ArrayBuffer ? new Uint8Array(frame) : new Uint8Array(frame.buffer, frame.byteOffset, frame.byteLength);
}

/**
 * Decodes a frame made by {@link encodeWireMessage} (or a text frame holding a bare JSON header).
 * Typed arrays come back as the same class, each on its own copied buffer. Throws
 * {@link WireFormatError} for anything malformed; never returns a partly decoded value.
 */
export function decodeWireMessage(frame: string | ArrayBuffer | ArrayBufferView): unknown {
  let headerText: string;
  let binary: Uint8Array;
  if (typeof frame === 'string') {
    headerText = frame;
    binary = new Uint8Array(0);
  } else {
    const bytes = bytesOf(frame);
    if (bytes.byteLength < PREAMBLE_BYTES || MAGIC.some((byte, index) => bytes[index] !== byte)) {
      throw new WireFormatError('The frame does not start with the Zoe wire preamble.');
    }
    const headerLength = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(4, true);
    if (PREAMBLE_BYTES + headerLength > bytes.byteLength) throw new WireFormatError('The frame is shorter than its header says.');
    try {
      headerText = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerLength));
    } catch {
      throw new WireFormatError('The frame header is not UTF-8 text.');
    }
    binary = bytes.subarray(Math.min(alignUp(PREAMBLE_BYTES + headerLength), bytes.byteLength));
  }
  let header: unknown;
  try {
    header = JSON.parse(headerText);
  } catch {
    throw new WireFormatError('The frame header is not JSON.');
  }
  try {
    return reviveValue(header, binary);
  } catch (error) {
    if (error instanceof WireFormatError) throw error;
    throw new WireFormatError('The frame could not be decoded.');
  }
}
