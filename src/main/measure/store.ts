/**
 * Measurements kept per photo in the app's data folder, never beside the originals:
 * `<dataDir>/measurements/<sha256 of the photo's content>.json`. Keyed by content, so they follow
 * a photo that is moved or renamed, and an edited photo (other pixels) starts afresh. Every file
 * is validated when read and written atomically; changes to one photo are applied one at a time.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import {
  intrinsicsOverrideSchema,
  MEASUREMENT_KINDS,
  photoPointSchema,
  type MeasurementDraft,
  type PhotoCalibration,
  type SavedMeasurement
} from '../../shared/api/measure';
import type { IntrinsicsOverride } from '../../shared/camera';
import { ZoeError } from '../../shared/errors';
import { writeJsonAtomic } from '../fs/atomic';
import { sha256OfFile } from '../fs/hash';

export const MEASUREMENTS_FOLDER = 'measurements';

const savedMeasurementSchema = z.object({
  id: z.string().min(1),
  kind: z.enum(MEASUREMENT_KINDS),
  name: z.string(),
  points: z.array(photoPointSchema),
  ground: z.array(photoPointSchema).optional(),
  created: z.string(),
  modified: z.string()
});

const calibrationSchema = z.object({
  factor: z.number().positive(),
  knownLengthMetres: z.number().positive(),
  measuredMetres: z.number().positive(),
  from: photoPointSchema,
  to: photoPointSchema,
  modelId: z.string()
});

const recordSchema = z.object({
  version: z.literal(1),
  /** The photo's file name when last saved, to help a person reading the folder. */
  photoName: z.string(),
  measurements: z.array(savedMeasurementSchema),
  calibration: calibrationSchema.nullable(),
  intrinsicsOverride: intrinsicsOverrideSchema.nullable()
});

/** What is kept for one photo. */
export type PhotoRecord = z.infer<typeof recordSchema>;

interface KnownContent {
  size: number;
  mtimeMs: number;
  ino: number;
  sha256: string;
}

function emptyRecord(photoName: string): PhotoRecord {
  return { version: 1, photoName, measurements: [], calibration: null, intrinsicsOverride: null };
}

/** The default name of a new measurement: "Distance 3". */
function defaultName(kind: SavedMeasurement['kind'], existing: readonly SavedMeasurement[]): string {
  const label = { 'point-depth': 'Depth', distance: 'Distance', polyline: 'Path', area: 'Area', height: 'Height', angle: 'Angle' }[kind];
  const used = new Set(existing.map((measurement) => measurement.name));
  let number = existing.filter((measurement) => measurement.kind === kind).length + 1;
  while (used.has(`${label} ${number}`)) number++;
  return `${label} ${number}`;
}

export class MeasurementStore {
  private readonly folder: string;
  private readonly known = new Map<string, KnownContent>();
  /** The last change queued per record file: changes to one photo run one after another. */
  private readonly pending = new Map<string, Promise<unknown>>();

  constructor(dataDir: string) {
    this.folder = path.join(dataDir, MEASUREMENTS_FOLDER);
  }

  /** The record file of the photo at `photoPath` (hashing its content, remembered while it is unchanged). */
  async fileOf(photoPath: string): Promise<string> {
    let info;
    try {
      info = await stat(photoPath);
    } catch (error) {
      throw new ZoeError('NOT_FOUND', 'The photo is no longer where it was; reopen its folder.', { detail: photoPath, cause: error });
    }
    const known = this.known.get(photoPath);
    let sha256 = known !== undefined && known.size === info.size && known.mtimeMs === info.mtimeMs && known.ino === info.ino ? known.sha256 : undefined;
    if (sha256 === undefined) {
      sha256 = await sha256OfFile(photoPath);
      this.known.set(photoPath, { size: info.size, mtimeMs: info.mtimeMs, ino: info.ino, sha256 });
    }
    return path.join(this.folder, `${sha256}.json`);
  }

  /** What is kept for the photo (an empty record when nothing is). */
  async read(photoPath: string): Promise<PhotoRecord> {
    return this.readFile(await this.fileOf(photoPath), path.basename(photoPath));
  }

  private async readFile(file: string, photoName: string): Promise<PhotoRecord> {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return emptyRecord(photoName);
      throw new ZoeError('IO_ERROR', 'The saved measurements of this photo cannot be read.', { detail: file, cause: error });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (error) {
      throw new ZoeError('IO_ERROR', 'The saved measurements of this photo are damaged.', { detail: file, cause: error });
    }
    const parsed = recordSchema.safeParse(json);
    if (!parsed.success) throw new ZoeError('IO_ERROR', 'The saved measurements of this photo are damaged.', { detail: `${file}: ${parsed.error.message}` });
    return parsed.data;
  }

  /** Applies `change` to the photo's record and writes it; changes to one photo never interleave. */
  async update<T>(photoPath: string, change: (record: PhotoRecord) => T): Promise<T> {
    const file = await this.fileOf(photoPath);
    const previous = this.pending.get(file) ?? Promise.resolve();
    const next = previous.catch(() => undefined).then(async () => {
      const record = await this.readFile(file, path.basename(photoPath));
      const result = change(record);
      record.photoName = path.basename(photoPath);
      await writeJsonAtomic(file, record);
      return result;
    });
    this.pending.set(file, next);
    try {
      return await next;
    } finally {
      if (this.pending.get(file) === next) this.pending.delete(file);
    }
  }

  /** Saves a measurement: a new one (id and name given when missing), or the saved one with the draft's id replaced. */
  save(photoPath: string, draft: MeasurementDraft, now = new Date()): Promise<SavedMeasurement> {
    return this.update(photoPath, (record) => {
      const at = now.toISOString();
      const index = draft.id === undefined ? -1 : record.measurements.findIndex((measurement) => measurement.id === draft.id);
      const previous = index >= 0 ? record.measurements[index] : undefined;
      const saved: SavedMeasurement = {
        id: previous?.id ?? draft.id ?? randomUUID(),
        kind: draft.kind,
        name: draft.name ?? previous?.name ?? defaultName(draft.kind, record.measurements),
        points: draft.points,
        ...(draft.ground === undefined ? {} : { ground: draft.ground }),
        created: previous?.created ?? at,
        modified: at
      };
      if (index >= 0) record.measurements[index] = saved;
      else record.measurements.push(saved);
      return saved;
    });
  }

  rename(photoPath: string, measurementId: string, name: string, now = new Date()): Promise<SavedMeasurement> {
    return this.update(photoPath, (record) => {
      const measurement = record.measurements.find((candidate) => candidate.id === measurementId);
      if (measurement === undefined) throw new ZoeError('NOT_FOUND', 'That measurement is no longer saved with this photo.');
      measurement.name = name;
      measurement.modified = now.toISOString();
      return { ...measurement };
    });
  }

  delete(photoPath: string, measurementId: string): Promise<boolean> {
    return this.update(photoPath, (record) => {
      const before = record.measurements.length;
      record.measurements = record.measurements.filter((measurement) => measurement.id !== measurementId);
      return record.measurements.length < before;
    });
  }

  setCalibration(photoPath: string, calibration: PhotoCalibration | null): Promise<PhotoCalibration | null> {
    return this.update(photoPath, (record) => {
      record.calibration = calibration;
      return calibration;
    });
  }

  setIntrinsicsOverride(photoPath: string, override: IntrinsicsOverride | null): Promise<IntrinsicsOverride | null> {
    return this.update(photoPath, (record) => {
      record.intrinsicsOverride = override;
      return override;
    });
  }
}
