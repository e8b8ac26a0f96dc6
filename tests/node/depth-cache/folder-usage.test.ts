import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { folderUsage } from '../../../src/main/depth-cache/folder-usage';

let folder: string;
beforeEach(async () => {
  folder = await mkdtemp(path.join(tmpdir(), 'zoe-folder-usage-'));
});
afterEach(async () => {
  await rm(folder, { recursive: true, force: true });
});

describe('folderUsage', () => {
  it('counts every file however deep, and their bytes', async () => {
    // The optimised-model cache's layout: one folder per model, runtime and provider.
    const entry = path.join(folder, 'zoe-fixed-0123456789abcdef-ort1.30.0-cpu');
    await mkdir(path.join(entry, 'nested'), { recursive: true });
    await writeFile(path.join(entry, 'model.onnx'), Buffer.alloc(1500));
    await writeFile(path.join(entry, 'weights.bin'), Buffer.alloc(70_000));
    await writeFile(path.join(entry, 'nested', 'complete.json'), '{}');
    await mkdir(path.join(folder, 'empty'));
    expect(await folderUsage(folder)).toEqual({ files: 3, bytes: 1500 + 70_000 + 2 });
  });

  it('reads a folder that is not there yet as empty', async () => {
    expect(await folderUsage(path.join(folder, 'optimised-models'))).toEqual({ files: 0, bytes: 0 });
  });
});
