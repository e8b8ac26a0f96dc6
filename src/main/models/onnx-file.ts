/**
 * Cheap checks that bytes are an ONNX model (a protobuf `ModelProto`) without parsing the graph:
 * a web page, a JSON error or a truncated download is refused before onnxruntime ever sees it.
 */
import { open } from 'node:fs/promises';

/** Protobuf wire types that may appear in a `ModelProto`: varint, 64-bit, length-delimited, 32-bit. */
const VALID_WIRE_TYPES = new Set([0, 1, 2, 5]);
/** `ModelProto` fields and their wire types (onnx.proto3): ir_version, producer_name, …, graph, opset_import, … */
const MODEL_PROTO_FIELDS = new Map<number, number>([
  [1, 0],
  [2, 2],
  [3, 2],
  [4, 2],
  [5, 0],
  [6, 2],
  [7, 2],
  [8, 2],
  [14, 2],
  [20, 2],
  [25, 2]
]);
const GRAPH_FIELD = 7;

interface Varint {
  value: number;
  length: number;
}

/** Reads a protobuf varint (up to 2^53) at `offset`; `null` when the bytes end first or it is too long. */
function readVarint(bytes: Uint8Array, offset: number): Varint | null {
  let value = 0;
  let multiplier = 1;
  for (let index = 0; index < 8; index += 1) {
    const byte = bytes[offset + index];
    if (byte === undefined) return null;
    value += (byte & 0x7f) * multiplier;
    if ((byte & 0x80) === 0) return { value, length: index + 1 };
    multiplier *= 128;
  }
  return null;
}

/** Why the first bytes of a body are not an ONNX model, or `null` when they look like one. */
export function describeNonOnnxStart(head: Uint8Array): string | null {
  if (head.length === 0) return 'the file is empty';
  const text = Buffer.from(head.subarray(0, 64)).toString('latin1').trimStart().toLowerCase();
  if (text.startsWith('<')) return text.includes('html') ? 'it is a web page (HTML), not a model' : 'it is an XML or HTML document, not a model';
  if (text.startsWith('{') || text.startsWith('[')) return 'it is a JSON document, not a model';
  const tag = readVarint(head, 0);
  if (tag === null) return 'it does not start like an ONNX model';
  const field = Math.floor(tag.value / 8);
  const wireType = tag.value % 8;
  const expected = MODEL_PROTO_FIELDS.get(field);
  if (expected === undefined || expected !== wireType) return 'it does not start like an ONNX model';
  return null;
}

/**
 * Walks the top-level fields of an ONNX file, reading only their tags and lengths: they must end
 * exactly at the end of the file and include a graph. A truncated or padded file fails.
 * Returns why the file is not a whole ONNX model, or `null` when it is.
 */
export async function describeOnnxFileProblem(filePath: string): Promise<string | null> {
  const handle = await open(filePath, 'r');
  try {
    const { size } = await handle.stat();
    const head = Buffer.alloc(Math.min(size, 64));
    await handle.read(head, 0, head.length, 0);
    const startProblem = describeNonOnnxStart(head);
    if (startProblem !== null) return startProblem;
    const window = Buffer.alloc(24);
    let offset = 0;
    let hasGraph = false;
    while (offset < size) {
      const { bytesRead } = await handle.read(window, 0, window.length, offset);
      const bytes = window.subarray(0, bytesRead);
      const tag = readVarint(bytes, 0);
      if (tag === null) return 'the file ends in the middle of a field (incomplete download?)';
      const field = Math.floor(tag.value / 8);
      const wireType = tag.value % 8;
      if (field === 0 || !VALID_WIRE_TYPES.has(wireType)) return `the file is damaged at byte ${offset}`;
      let fieldLength: number;
      if (wireType === 0) {
        const value = readVarint(bytes, tag.length);
        if (value === null) return 'the file ends in the middle of a field (incomplete download?)';
        fieldLength = tag.length + value.length;
      } else if (wireType === 1) {
        fieldLength = tag.length + 8;
      } else if (wireType === 5) {
        fieldLength = tag.length + 4;
      } else {
        const length = readVarint(bytes, tag.length);
        if (length === null) return 'the file ends in the middle of a field (incomplete download?)';
        fieldLength = tag.length + length.length + length.value;
      }
      if (field === GRAPH_FIELD && wireType === 2) hasGraph = true;
      offset += fieldLength;
    }
    if (offset !== size) return 'the file is shorter than its own contents say (incomplete download?)';
    if (!hasGraph) return 'the file holds no model graph';
    return null;
  } finally {
    await handle.close();
  }
}
