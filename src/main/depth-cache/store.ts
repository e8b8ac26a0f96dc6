/**
 * The depth cache on disk, `<dataDir>/depth-cache/<ab>/<key>.zdepth`: one file per depth map, a
 * small JSON header (everything but the values) followed by the metres as raw little-endian
 * float32, then the model output behind them (which the engine needs to make the full-resolution
 * map for export). Files are written atomically; a damaged or foreign file is a miss and is removed.
 */
import { readdir, readFile, rm, stat, utimes } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { DepthMap } from '../../shared/depth';
import { attachModelOutput, modelOutputOf, type ModelDepthOutput } from '../depth';
import { writeChunksAtomic } from '../fs/atomic';

const MAGIC = Buffer.from('ZOEDPTH2', 'latin1');
const FILE_SUFFIX = '.zdepth';

const finite = z.number().refine(Number.isFinite);
const headerSchema = z.strictObject({
  key: z.string(),
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  photoWidth: z.number().int().positive(),
  photoHeight: z.number().int().positive(),
  modelId: z.string(),
  provider: z.string(),
  providerFallbackReason: z.string().optional(),
  options: z.strictObject({ flip: z.boolean(), pad: z.boolean() }),
  range: z.strictObject({ min: finite, max: finite }),
  timings: z.strictObject({ decodeMs: finite, preprocessMs: finite, inferenceMs: finite, postprocessMs: finite, totalMs: finite }),
  /** The model output stored after the depth values, when the map carried one. */
  modelOutput: z
    .strictObject({
      width: z.number().int().positive(),
      height: z.number().int().positive(),
      padding: z.strictObject({ rows: z.number().int().nonnegative(), columns: z.number().int().nonnegative() }),
      photoWidth: z.number().int().positive(),
      photoHeight: z.number().int().positive(),
      range: z.strictObject({ min: finite, max: finite })
    })
    .optional()
});

/** Disk use of the cache, for the settings screen. */
export interface DepthCacheUsage {
  entries: number;
  bytes: number;
}

/** The on-disk depth cache. Keys come from `depthCacheKey`. */
export class DepthCache {
  /** Writes in progress: a clear waits for them so that it never pulls a folder from under one. */
  private readonly writes = new Set<Promise<void>>();
  /** The clear in progress; writes that start meanwhile wait for it. */
  private clearing: Promise<void> | null = null;

  constructor(readonly folder: string) {}

  private pathOf(key: string): string {
    if (!/^[0-9a-f]{64}$/.test(key)) throw new Error(`not a depth cache key: ${key}`);
    return path.join(this.folder, key.slice(0, 2), `${key}${FILE_SUFFIX}`);
  }

  /** The cached depth map, or `null` when there is none (or it was damaged, in which case it is removed). */
  async get(key: string): Promise<DepthMap | null> {
    const filePath = this.pathOf(key);
    let bytes: Buffer;
    try {
      bytes = await readFile(filePath);
    } catch {
      return null;
    }
    const depth = decodeEntry(bytes, key);
    if (depth === null) {
      await rm(filePath, { force: true });
      return null;
    }
    const now = new Date();
    await utimes(filePath, now, now).catch(() => undefined); // recently used: kept longest by `trimTo`
    return depth;
  }

  /** Stores a depth map under `key`, atomically. */
  async put(key: string, depth: DepthMap): Promise<void> {
    const filePath = this.pathOf(key);
    const chunks = encodeEntry(key, depth);
    while (this.clearing !== null) await this.clearing;
    const write = writeChunksAtomic(filePath, chunks);
    this.writes.add(write);
    try {
      await write;
    } finally {
      this.writes.delete(write);
    }
  }

  /** Number of cached maps and bytes they take. */
  async usage(): Promise<DepthCacheUsage> {
    const files = await this.entries();
    return { entries: files.length, bytes: files.reduce((sum, file) => sum + file.size, 0) };
  }

  /**
   * Removes every cached depth map. Safe while depth is being written (a job running during the
   * clear): writes already under way finish first and are removed with the rest, writes that start
   * during the clear wait for it, so no write fails and no temporary file is left behind.
   */
  async clear(): Promise<void> {
    if (this.clearing !== null) return this.clearing;
    const clearing = (async () => {
      await Promise.allSettled([...this.writes]);
      await rm(this.folder, { recursive: true, force: true, maxRetries: 3 });
    })();
    this.clearing = clearing;
    try {
      await clearing;
    } finally {
      if (this.clearing === clearing) this.clearing = null;
    }
  }

  /** Removes the least recently used maps until the cache takes at most `maxBytes`. */
  async trimTo(maxBytes: number): Promise<void> {
    const files = (await this.entries()).sort((a, b) => a.usedMs - b.usedMs);
    let total = files.reduce((sum, file) => sum + file.size, 0);
    for (const file of files) {
      if (total <= maxBytes) break;
      await rm(file.path, { force: true });
      total -= file.size;
    }
  }

  private async entries(): Promise<Array<{ path: string; size: number; usedMs: number }>> {
    const found: Array<{ path: string; size: number; usedMs: number }> = [];
    let shards: string[];
    try {
      shards = await readdir(this.folder);
    } catch {
      return found;
    }
    for (const shard of shards) {
      let names: string[];
      try {
        names = await readdir(path.join(this.folder, shard));
      } catch {
        continue;
      }
      for (const name of names) {
        if (!name.endsWith(FILE_SUFFIX)) continue;
        const filePath = path.join(this.folder, shard, name);
        try {
          const info = await stat(filePath);
          found.push({ path: filePath, size: info.size, usedMs: info.mtimeMs });
        } catch {
          continue;
        }
      }
    }
    return found;
  }
}

function floatBytes(values: Float32Array): Uint8Array {
  return new Uint8Array(values.buffer, values.byteOffset, values.byteLength);
}

/** Magic, header length (uint32 LE), JSON header padded to 4 bytes, float32 metres, float32 model output. */
export function encodeEntry(key: string, depth: DepthMap): Uint8Array[] {
  const { metres, ...rest } = depth;
  if (metres.length !== depth.width * depth.height) throw new Error('depth map size does not match its values');
  const output = modelOutputOf(depth);
  const header: Record<string, unknown> = { key, ...rest };
  if (output !== undefined) {
    const { metres: _outputMetres, ...geometry } = output;
    header.modelOutput = geometry;
  }
  let json = Buffer.from(JSON.stringify(header), 'utf8');
  const unpadded = MAGIC.length + 4 + json.length;
  const padding = (4 - (unpadded % 4)) % 4;
  if (padding > 0) json = Buffer.concat([json, Buffer.alloc(padding, 0x20)]);
  const length = Buffer.alloc(4);
  length.writeUInt32LE(json.length, 0);
  return [MAGIC, length, json, floatBytes(metres), ...(output === undefined ? [] : [floatBytes(output.metres)])];
}

/** Reads an entry back; `null` when it is not a whole entry for `key`. */
export function decodeEntry(bytes: Buffer, key: string): DepthMap | null {
  if (bytes.length < MAGIC.length + 4 || !bytes.subarray(0, MAGIC.length).equals(MAGIC)) return null;
  const headerLength = bytes.readUInt32LE(MAGIC.length);
  const dataStart = MAGIC.length + 4 + headerLength;
  if (dataStart > bytes.length) return null;
  let json: unknown;
  try {
    json = JSON.parse(bytes.subarray(MAGIC.length + 4, dataStart).toString('utf8'));
  } catch {
    return null;
  }
  const parsed = headerSchema.safeParse(json);
  if (!parsed.success || parsed.data.key !== key) return null;
  const { key: _key, modelOutput, ...header } = parsed.data;
  const depthCount = header.width * header.height;
  const outputCount = modelOutput === undefined ? 0 : modelOutput.width * modelOutput.height;
  if (bytes.length - dataStart !== (depthCount + outputCount) * 4) return null;
  const floats = (start: number, count: number): Float32Array =>
    new Float32Array(bytes.buffer.slice(bytes.byteOffset + start, bytes.byteOffset + start + count * 4));
  const depth: DepthMap = { ...header, metres: floats(dataStart, depthCount) };
  if (modelOutput === undefined) return depth;
  const output: ModelDepthOutput = { ...modelOutput, metres: floats(dataStart + depthCount * 4, outputCount) };
  return attachModelOutput(depth, output);
}
