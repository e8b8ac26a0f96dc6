import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../../src/main/cli/run';
import { GOOD_PHOTOS, PHOTOS, memoryIo } from './helpers';
import { testModel } from './test-models';

let workDir: string;
beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-cli-progress-'));
});
afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** A stream that says it is a terminal, collecting what is drawn on it. */
function fakeTerminal(): PassThrough & { isTTY: boolean; columns: number; drawn: () => string } {
  const stream = new PassThrough();
  let drawn = '';
  stream.on('data', (chunk: Buffer) => (drawn += chunk.toString('utf8')));
  return Object.assign(stream, { isTTY: true, columns: 120, drawn: () => drawn });
}

describe('zoe progress bars', () => {
  it('draws model loading and photo progress on a terminal, and nothing without one', async () => {
    const model = await testModel('zoe-fixed');
    const photo = path.join(PHOTOS, GOOD_PHOTOS[0] ?? '');
    const args = ['depth', photo, '--model', model.modelPath, '--out', path.join(workDir, 'out'), '--no-cache', '--data-dir', path.join(workDir, 'data')];

    const terminal = fakeTerminal();
    const watched = { ...memoryIo(workDir), terminal };
    expect(await runCli(args, watched)).toBe(0);
    expect(terminal.drawn()).toContain('Loading model');
    expect(terminal.drawn()).toMatch(/Depth .* 1\/1 photos/);

    const unwatched = memoryIo(workDir);
    expect(await runCli(args, unwatched)).toBe(0);
    expect(unwatched.err()).not.toContain('Loading model');
    expect(unwatched.out()).not.toContain('Loading model');
  });
});
