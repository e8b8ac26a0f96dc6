/**
 * A GLB container reader (glTF 2.0 spec, "Binary glTF Layout") for tests, independent of the
 * exporter: the JSON document, the binary chunk, and typed reads of accessors.
 */
import { z } from 'zod';

const documentSchema = z.looseObject({
  accessors: z.array(z.object({ bufferView: z.number().int(), componentType: z.number().int(), count: z.number().int(), type: z.string(), byteOffset: z.number().int().optional() })),
  bufferViews: z.array(z.object({ buffer: z.number().int(), byteOffset: z.number().int().optional(), byteLength: z.number().int() })),
  meshes: z.array(z.object({ primitives: z.array(z.object({ attributes: z.record(z.string(), z.number().int()), indices: z.number().int().optional() })) })),
  images: z.array(z.object({ bufferView: z.number().int().optional(), mimeType: z.string().optional() })).optional()
});

export interface GlbFile {
  json: z.infer<typeof documentSchema>;
  bin: Buffer;
}

export function readGlb(file: Uint8Array): GlbFile {
  const bytes = Buffer.from(file.buffer, file.byteOffset, file.byteLength);
  if (bytes.toString('latin1', 0, 4) !== 'glTF' || bytes.readUInt32LE(4) !== 2) throw new Error('not GLB 2');
  if (bytes.readUInt32LE(8) !== bytes.length) throw new Error('length field does not match the file');
  let at = 12;
  let json: unknown;
  let bin: Buffer = Buffer.alloc(0);
  while (at < bytes.length) {
    const length = bytes.readUInt32LE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (length % 4 !== 0) throw new Error(`chunk ${type} not 4-byte aligned`);
    const data = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'JSON') json = JSON.parse(data.toString('utf8'));
    else if (type === 'BIN\0') bin = data;
    at += 8 + length;
  }
  const parsed = documentSchema.parse(json);
  return { json: parsed, bin };
}

const COMPONENTS: Record<string, number> = { SCALAR: 1, VEC2: 2, VEC3: 3, VEC4: 4 };

/** An accessor's values (float or unsigned int components only), as plain numbers. */
export function readAccessor(glb: GlbFile, index: number): number[] {
  const accessor = glb.json.accessors[index];
  if (accessor === undefined) throw new Error(`no accessor ${index}`);
  const view = glb.json.bufferViews[accessor.bufferView];
  if (view === undefined) throw new Error(`no buffer view ${accessor.bufferView}`);
  const count = accessor.count * (COMPONENTS[accessor.type] ?? 0);
  const start = (view.byteOffset ?? 0) + (accessor.byteOffset ?? 0);
  const values: number[] = [];
  for (let i = 0; i < count; i++) {
    if (accessor.componentType === 5126) values.push(glb.bin.readFloatLE(start + i * 4));
    else if (accessor.componentType === 5125) values.push(glb.bin.readUInt32LE(start + i * 4));
    else if (accessor.componentType === 5123) values.push(glb.bin.readUInt16LE(start + i * 2));
    else throw new Error(`component type ${accessor.componentType}`);
  }
  return values;
}

/** The bytes of a buffer view (e.g. an embedded image). */
export function readBufferView(glb: GlbFile, index: number): Buffer {
  const view = glb.json.bufferViews[index];
  if (view === undefined) throw new Error(`no buffer view ${index}`);
  return glb.bin.subarray(view.byteOffset ?? 0, (view.byteOffset ?? 0) + view.byteLength);
}
