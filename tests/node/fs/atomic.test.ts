import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { copyFileAtomic, writeChunksAtomic, writeFileAtomic, writeStreamAtomic } from '../../../src/main/fs/atomic';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-atomic-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

/** A stream that yields some bytes and then fails, like a network transfer that breaks. */
function breakingStream(): Readable {
  let sent = false;
  return new Readable({
    read() {
      if (!sent) {
        sent = true;
        this.push(Buffer.alloc(100_000, 7));
      } else {
        this.destroy(new Error('connection reset'));
      }
    }
  });
}

describe('atomic writes', () => {
  it('writes, replaces, and creates missing folders', async () => {
    const target = path.join(folder, 'a', 'b', 'depth.json');
    await writeFileAtomic(target, 'first');
    await writeFileAtomic(target, 'second');
    expect(await readFile(target, 'utf8')).toBe('second');
    await writeChunksAtomic(target, [Buffer.from('ab'), Buffer.from('cd')]);
    expect(await readFile(target, 'utf8')).toBe('abcd');
    expect(await readdir(path.dirname(target))).toEqual(['depth.json']);
  });

  it('keeps the previous file whole and leaves no temporary file when a write fails', async () => {
    const target = path.join(folder, 'model.onnx');
    await writeFile(target, 'the old, complete file');
    await expect(writeStreamAtomic(target, breakingStream())).rejects.toThrow('connection reset');
    expect(await readFile(target, 'utf8')).toBe('the old, complete file');
    expect(await readdir(folder)).toEqual(['model.onnx']);

    const fresh = path.join(folder, 'new.bin');
    await expect(writeStreamAtomic(fresh, breakingStream())).rejects.toThrow('connection reset');
    expect(await readdir(folder)).toEqual(['model.onnx']);
  });

  it('copies without touching the source', async () => {
    const source = path.join(folder, 'source.bin');
    const bytes = Buffer.from(Array.from({ length: 70_000 }, (_, index) => (index * 31) % 256));
    await writeFile(source, bytes);
    await copyFileAtomic(source, path.join(folder, 'copy', 'target.bin'));
    expect((await readFile(path.join(folder, 'copy', 'target.bin'))).equals(bytes)).toBe(true);
    expect((await readFile(source)).equals(bytes)).toBe(true);
  });
});
