/**
 * Atomic file writes: data goes to a temporary file in the same folder, is flushed to disk, and
 * only then renamed over the final name. A reader never sees a half-written file under the final
 * name, and a failed write leaves nothing behind but what was there before.
 */
import { randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';

/** A temporary name beside `finalPath`, hidden and unique to this write. */
export function temporaryPathFor(finalPath: string): string {
  const folder = path.dirname(finalPath);
  const unique = `${process.pid}-${randomBytes(6).toString('hex')}`;
  return path.join(folder, `.${path.basename(finalPath)}.${unique}.tmp`);
}

/** Flushes a file's data to disk so that a rename after it cannot expose an empty file after a crash. */
async function syncFile(filePath: string): Promise<void> {
  const handle = await open(filePath, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/**
 * Flushes `fromPath` to disk and renames it to `toPath` (same folder), for files that were written
 * under a stable temporary name of their own, such as a resumable download's `.partial` file.
 */
export async function commitFile(fromPath: string, toPath: string): Promise<void> {
  await syncFile(fromPath);
  await rename(fromPath, toPath);
}

/**
 * Runs `produce(temporaryPath)`, flushes the file it wrote, and renames it to `finalPath`.
 * The temporary file is removed if anything fails. The parent folder is created when missing.
 */
export async function replaceFileAtomic(finalPath: string, produce: (temporaryPath: string) => Promise<void>): Promise<void> {
  await mkdir(path.dirname(finalPath), { recursive: true });
  const temporaryPath = temporaryPathFor(finalPath);
  try {
    await produce(temporaryPath);
    await syncFile(temporaryPath);
    await rename(temporaryPath, finalPath);
  } catch (error) {
    await rm(temporaryPath, { force: true });
    throw error;
  }
}

/** Writes `data` to `finalPath` atomically. */
export async function writeFileAtomic(finalPath: string, data: string | Uint8Array): Promise<void> {
  await replaceFileAtomic(finalPath, async (temporaryPath) => {
    const handle = await open(temporaryPath, 'wx');
    try {
      await handle.writeFile(data);
    } finally {
      await handle.close();
    }
  });
}

/** Writes several chunks one after the other (e.g. a header and a large typed array) atomically. */
export async function writeChunksAtomic(finalPath: string, chunks: readonly Uint8Array[]): Promise<void> {
  await replaceFileAtomic(finalPath, async (temporaryPath) => {
    const handle = await open(temporaryPath, 'wx');
    try {
      for (const chunk of chunks) await handle.write(chunk);
    } finally {
      await handle.close();
    }
  });
}

/** Streams `source` into `finalPath` atomically: nothing appears under the final name unless the stream ends well. */
export async function writeStreamAtomic(finalPath: string, source: Readable | AsyncIterable<Uint8Array>): Promise<void> {
  await replaceFileAtomic(finalPath, async (temporaryPath) => {
    await pipeline(source, createWriteStream(temporaryPath, { flags: 'wx' }));
  });
}

/** Copies `sourcePath` to `finalPath` atomically; the source is only read. */
export async function copyFileAtomic(sourcePath: string, finalPath: string): Promise<void> {
  await writeStreamAtomic(finalPath, createReadStream(sourcePath));
}

/** Writes a value as pretty JSON (with a final newline) atomically. */
export async function writeJsonAtomic(finalPath: string, value: unknown): Promise<void> {
  await writeFileAtomic(finalPath, `${JSON.stringify(value, null, 2)}\n`);
}
