/**
 * Reading files we did not write (photos, depth files, models, manifests) safely:
 * - only regular files: a FIFO would block a read for ever, `/dev/zero` never ends, a folder or a
 *   socket is no file; all are refused before anything is opened;
 * - bounded: a size limit is checked before the bytes are read into memory;
 * - consistent: the file's identity (size, modification and change time, inode) is compared
 *   before and after the read, and a file rewritten, truncated or replaced meanwhile (a card
 *   import, a sync tool) is read again, or refused with FILE_CHANGED when it keeps changing.
 * Decoders (libvips) then work on memory, never on a file that can shrink under their mmap
 * (which kills the whole process with SIGBUS).
 */
import { constants, type Stats } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { ZoeError } from '../../shared/errors';
import { fileSystemError, shownName } from './file-errors';

/** What identifies one version of a file's content. */
export interface FileIdentity {
  size: number;
  mtimeMs: number;
  ctimeMs: number;
  ino: number;
  dev: number;
}

/** Bytes read from a file, with the identity of the version they came from. */
export interface FileSnapshot extends FileIdentity {
  bytes: Buffer;
  /** True when only the first `headBytes` were read. */
  partial: boolean;
}

export interface ReadFileOptions {
  /** Larger files are refused with TOO_LARGE (not read). */
  maxBytes: number;
  /** Names the file in messages: "photo", "depth file", "model file", "manifest". */
  what: string;
  /** Read only the first `headBytes` bytes (for headers and embedded thumbnails). */
  headBytes?: number;
  /** How many times a file that changed during the read is read again before FILE_CHANGED. Default 2. */
  retries?: number;
}

function identityOf(info: Stats): FileIdentity {
  return { size: info.size, mtimeMs: info.mtimeMs, ctimeMs: info.ctimeMs, ino: info.ino, dev: info.dev };
}

function sameIdentity(a: FileIdentity, b: FileIdentity): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.ctimeMs === b.ctimeMs && a.ino === b.ino && a.dev === b.dev;
}

/** In megabytes or gigabytes, for messages. */
export function formatBytes(bytes: number): string {
  return bytes >= 1024 ** 3 ? `${(bytes / 1024 ** 3).toFixed(1)} GB` : `${Math.max(1, Math.round(bytes / 1024 ** 2))} MB`;
}

function kindOfNonFile(info: Stats): string {
  if (info.isDirectory()) return 'a folder';
  if (info.isFIFO()) return 'a pipe (FIFO)';
  if (info.isCharacterDevice() || info.isBlockDevice()) return 'a device';
  if (info.isSocket()) return 'a socket';
  return 'not a regular file';
}

/**
 * Checks that `filePath` is a regular file within `maxBytes` (following symbolic links), without
 * opening it; returns its stats. Errors are typed: NOT_FOUND, NOT_A_FILE, TOO_LARGE,
 * PERMISSION_DENIED, NAME_TOO_LONG…
 */
export async function checkRegularFile(filePath: string, options: Pick<ReadFileOptions, 'maxBytes' | 'what'>): Promise<Stats> {
  let info: Stats;
  try {
    info = await stat(filePath);
  } catch (error) {
    throw fileSystemError(error, filePath, options.what) ?? error;
  }
  assertRegular(info, filePath, options);
  return info;
}

function assertRegular(info: Stats, filePath: string, options: Pick<ReadFileOptions, 'maxBytes' | 'what'>): void {
  const name = shownName(filePath);
  if (!info.isFile()) {
    throw new ZoeError('NOT_A_FILE', `“${name}” is ${kindOfNonFile(info)}, not a ${options.what} file Zoe Studio can read.`, { detail: filePath });
  }
  if (info.size > options.maxBytes) {
    throw new ZoeError(
      'TOO_LARGE',
      `“${name}” is too large: ${formatBytes(info.size)}, and Zoe Studio reads a ${options.what} of at most ${formatBytes(options.maxBytes)}.`,
      { detail: `${filePath}: ${info.size} bytes > ${options.maxBytes}` }
    );
  }
}

/** One attempt: the snapshot, or `null` when the file changed while it was read. */
async function readOnce(filePath: string, options: ReadFileOptions): Promise<FileSnapshot | null> {
  const before = await checkRegularFile(filePath, options);
  // O_NONBLOCK: should the path have become a FIFO since the check, opening it does not wait for a writer.
  const handle = await open(filePath, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const opened = await handle.stat();
    assertRegular(opened, filePath, options);
    if (opened.ino !== before.ino || opened.dev !== before.dev) return null;
    const wanted = options.headBytes === undefined ? opened.size : Math.min(opened.size, options.headBytes);
    // One byte more than the size says: a file that grew meanwhile is noticed.
    const buffer = Buffer.allocUnsafe(wanted + 1);
    let filled = 0;
    while (filled < buffer.length) {
      const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
      if (bytesRead === 0) break;
      filled += bytesRead;
    }
    const after = await handle.stat();
    const grew = filled > wanted && wanted === opened.size;
    if (grew || filled < wanted || !sameIdentity(identityOf(opened), identityOf(after))) return null;
    // Replaced under the same name (written elsewhere, renamed over it) while we read the old one.
    const now = await stat(filePath).catch(() => null);
    if (now === null || !sameIdentity(identityOf(now), identityOf(after))) return null;
    return { ...identityOf(after), bytes: buffer.subarray(0, wanted), partial: wanted < after.size };
  } finally {
    await handle.close();
  }
}

/**
 * Reads a regular file into memory (or its first `headBytes`), refusing non-files and files over
 * the limit, and making sure the bytes are one consistent version of the file.
 */
export async function readRegularFile(filePath: string, options: ReadFileOptions): Promise<FileSnapshot> {
  const retries = options.retries ?? 2;
  for (let attempt = 0; attempt <= retries; attempt += 1) {
    let snapshot: FileSnapshot | null;
    try {
      snapshot = await readOnce(filePath, options);
    } catch (error) {
      throw fileSystemError(error, filePath, options.what) ?? error;
    }
    if (snapshot !== null) return snapshot;
    // Give a copy in progress a moment to finish before looking again.
    await new Promise((resolve) => setTimeout(resolve, 40 * (attempt + 1)));
  }
  throw new ZoeError(
    'FILE_CHANGED',
    `“${shownName(filePath)}” changed while Zoe Studio was reading it (it is probably still being copied or synced). Try again once the copy has finished.`,
    { detail: filePath }
  );
}

/** Reads a small text file (a manifest, a catalog, a side-car) as UTF-8, regular files only, at most `maxBytes`. */
export async function readTextFile(filePath: string, what: string, maxBytes = 16 * 1024 * 1024): Promise<string> {
  return (await readRegularFile(filePath, { maxBytes, what })).bytes.toString('utf8');
}
