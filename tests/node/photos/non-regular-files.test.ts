/**
 * Issue 12, point 2 (and the file-system errors of point 5): a FIFO named .jpg hung `zoe depth`,
 * `zoe measure` (as photo and as `--depth`) and `--model fifo.onnx`; `/dev/zero` as a photo grew
 * memory for ever. Every read now checks "regular file, within the size limit" first, and the
 * file-system errors come back typed (NOT_A_FILE, TOO_LARGE, NAME_TOO_LONG…), on files made here.
 */
import { execFileSync } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, open, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodePhoto } from '../../../src/main/depth/decode';
import { readDepthFile } from '../../../src/main/depth-files';
import { readPhotoIntrinsics } from '../../../src/main/measure/intrinsics';
import { MAX_PHOTO_BYTES, readPhoto } from '../../../src/main/photos/read';
import { renderPhoto } from '../../../src/main/thumbnails/make';
import { ZoeError } from '../../../src/shared/errors';
import { requireBuiltCli, runBuiltZoe } from '../cli/built-zoe';
import { TEST_MODELS_DIR } from '../cli/test-models';

const PHOTO = path.resolve(__dirname, '../../fixtures/photos/jpg/gps/DSCN0010.jpg');
let workDir: string;
let fifo: string;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-nonregular-'));
  fifo = path.join(workDir, 'fifo.jpg');
  execFileSync('mkfifo', [fifo]);
  execFileSync('mkfifo', [path.join(workDir, 'fifo.onnx')]);
  execFileSync('mkfifo', [path.join(workDir, 'fifo.npy')]);
  await symlink('/dev/zero', path.join(workDir, 'zero.jpg'));
  await mkdir(path.join(workDir, 'folder.jpg'));
  await symlink(path.join(workDir, 'loop-b.jpg'), path.join(workDir, 'loop-a.jpg'));
  await symlink(path.join(workDir, 'loop-a.jpg'), path.join(workDir, 'loop-b.jpg'));
  // A sparse file over the photo size limit: nothing of it may be read into memory.
  const huge = await open(path.join(workDir, 'huge.tif'), 'w');
  await huge.truncate(MAX_PHOTO_BYTES + 1);
  await huge.close();
  await copyFile(PHOTO, path.join(workDir, 'good.jpg'));
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

async function refusal(work: Promise<unknown>): Promise<ZoeError> {
  const error = await work.then(
    () => undefined,
    (caught: unknown) => caught
  );
  expect(error).toBeInstanceOf(ZoeError);
  return error as ZoeError;
}

describe('files that are not regular photo files', () => {
  const cases: [string, string, RegExp][] = [
    ['fifo.jpg', 'NOT_A_FILE', /“fifo\.jpg” is a pipe \(FIFO\)/],
    ['zero.jpg', 'NOT_A_FILE', /“zero\.jpg” is a device/],
    ['folder.jpg', 'NOT_A_FILE', /“folder\.jpg” is a folder/],
    ['loop-a.jpg', 'NOT_A_FILE', /symbolic link that leads round in a loop/],
    ['huge.tif', 'TOO_LARGE', /“huge\.tif” is too large: 1\.0 GB/],
    ['missing.jpg', 'NOT_FOUND', /There is no photo “missing\.jpg”/]
  ];
  for (const [name, code, message] of cases) {
    it(`${name}: every reader refuses it at once with ${code}`, async () => {
      const file = path.join(workDir, name);
      const readers = [() => readPhoto(file), () => decodePhoto(file), () => renderPhoto({ absolutePath: file, kind: 'image' }, 320), () => readPhotoIntrinsics(file)];
      for (const read of readers) {
        const error = await refusal(read());
        expect(error.code).toBe(code);
        expect(error.message).toMatch(message);
      }
    });
  }

  it('a name longer than the file system allows is NAME_TOO_LONG', async () => {
    const error = await refusal(readPhoto(path.join(workDir, `${'x'.repeat(300)}.jpg`)));
    expect(error.code).toBe('NAME_TOO_LONG');
    expect(error.message).toMatch(/longer than the file system allows/);
  });

  it('a FIFO or /dev/zero as a depth file is refused, not read', async () => {
    expect((await refusal(readDepthFile(path.join(workDir, 'fifo.npy')))).code).toBe('NOT_A_FILE');
    expect((await refusal(readDepthFile(path.join(workDir, 'zero.jpg')))).code).toBe('NOT_A_FILE');
  });

  it('an SVG drawing, a web page and an empty file named .jpg are refused by their content', async () => {
    await writeFile(path.join(workDir, 'drawing.jpg'), '<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>');
    await writeFile(path.join(workDir, 'page.jpg'), '<!doctype html><title>x</title>');
    await writeFile(path.join(workDir, 'empty.jpg'), '');
    const drawing = await refusal(decodePhoto(path.join(workDir, 'drawing.jpg')));
    expect(drawing).toMatchObject({ code: 'UNSUPPORTED_IMAGE', message: expect.stringContaining('is an SVG drawing or XML file, not a photo') });
    const thumbnail = await refusal(renderPhoto({ absolutePath: path.join(workDir, 'drawing.jpg'), kind: 'image' }, 320));
    expect(thumbnail.code).toBe('UNSUPPORTED_IMAGE');
    expect((await refusal(decodePhoto(path.join(workDir, 'page.jpg')))).message).toMatch(/web page or other text file/);
    expect((await refusal(decodePhoto(path.join(workDir, 'empty.jpg')))).code).toBe('DAMAGED_IMAGE');
  });
});

describe('the zoe command line on non-regular files (no hang, exit 1, a clear message)', () => {
  const model = path.join(TEST_MODELS_DIR, 'zoe-fixed.onnx');
  const zoe = (args: string[]): ReturnType<typeof runBuiltZoe> => runBuiltZoe(['--data-dir', path.join(workDir, 'data'), ...args], { cwd: workDir, timeoutMs: 60_000 });

  beforeAll(async () => {
    await requireBuiltCli();
    // A depth file to measure with: zoe depth writes one for the good photo.
    const made = await zoe(['depth', 'good.jpg', '--model', model, '--out', 'out', '--format', 'npy']);
    expect(made.code, made.stderr).toBe(0);
  }, 120_000);

  it('zoe depth --no-cache with a FIFO and /dev/zero among good photos: the others are done', async () => {
    const run = await zoe(['depth', 'fifo.jpg', 'zero.jpg', 'good.jpg', '--model', model, '--out', 'out2', '--no-cache', '--json']);
    expect(run.code).toBe(1);
    const lines = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { photo: string; ok: boolean; error?: { code: string } });
    expect(lines.map((line) => [line.photo, line.ok, line.error?.code])).toEqual([
      ['fifo.jpg', false, 'NOT_A_FILE'],
      ['zero.jpg', false, 'NOT_A_FILE'],
      ['good.jpg', true, undefined]
    ]);
  }, 120_000);

  it('zoe measure with a FIFO or /dev/zero as the photo, a FIFO as --depth, and --model fifo.onnx', async () => {
    const points = ['--from', '10,10', '--to', '200,100'];
    const runs: [string[], RegExp][] = [
      [['measure', 'fifo.jpg', '--depth', 'out/good.depth.npy', ...points], /“fifo\.jpg” is a pipe/],
      [['measure', 'zero.jpg', '--depth', 'out/good.depth.npy', ...points], /“zero\.jpg” is a device/],
      [['measure', 'good.jpg', '--depth', 'fifo.npy', ...points], /“fifo\.npy” is a pipe/],
      [['measure', 'good.jpg', '--model', 'fifo.onnx', ...points], /“fifo\.onnx” is a pipe/],
      [['depth', 'good.jpg', '--model', 'fifo.onnx', '--out', 'out3'], /“fifo\.onnx” is a pipe/]
    ];
    for (const [args, message] of runs) {
      const run = await zoe(args);
      expect(run.code, `${args.join(' ')}: ${run.stderr}`).toBe(1);
      expect(run.stderr, args.join(' ')).toMatch(message);
      expect(run.stderr).not.toMatch(/\n\s+at /);
    }
  }, 120_000);
});
