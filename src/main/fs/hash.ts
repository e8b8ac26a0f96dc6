/** Content hashes of files, streamed so that a model of several gigabytes never sits in memory. */
import { createHash, type Hash } from 'node:crypto';
import { createReadStream } from 'node:fs';

/** Feeds the bytes of a file (or its first `endExclusive` bytes) into `hash`. */
export async function hashFileInto(hash: Hash, filePath: string, endExclusive?: number): Promise<void> {
  if (endExclusive === 0) return;
  const stream = createReadStream(filePath, endExclusive === undefined ? {} : { end: endExclusive - 1 });
  for await (const chunk of stream) hash.update(chunk as Buffer);
}

/** The sha256 of a file's content, as lower-case hex. */
export async function sha256OfFile(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  await hashFileInto(hash, filePath);
  return hash.digest('hex');
}
