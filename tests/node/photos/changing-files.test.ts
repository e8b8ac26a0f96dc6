/**
 * Issue 12, point 1: a photo rewritten or truncated while libvips read it from its path killed the
 * app, the CLI and the test host with SIGBUS (exit 135). Every decode now works on bytes read
 * through `readPhoto`; a file that changes during the read is read again or refused for that
 * photo alone (FILE_CHANGED), a truncated version is DAMAGED_IMAGE.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readRegularFile } from '../../../src/main/fs/read-file';
import { ZoeError } from '../../../src/shared/errors';
import { requireBuiltCli } from '../cli/built-zoe';
import { TEST_MODELS_DIR } from '../cli/test-models';
import { bigNoisyJpeg, startRewriting, stopRewriting } from './rewriter';

const ROOT = path.resolve(__dirname, '../../..');
/** What a photo that changes under us may fail with: never a crash, never an untyped error. */
const PER_PHOTO_CODES = ['FILE_CHANGED', 'DAMAGED_IMAGE'];

let workDir: string;
let photo: string;
let source: string;
let original: Buffer;
/** A second version of the photo, of another content: a read mixing two versions is then visible. */
let other: string;
let otherBytes: Buffer;
let rewriter: ChildProcess | undefined;

beforeAll(async () => {
  workDir = await mkdtemp(path.join(tmpdir(), 'zoe-changing-'));
  original = await bigNoisyJpeg();
  source = path.join(workDir, 'source.jpg');
  photo = path.join(workDir, 'IMG_0001.jpg');
  await writeFile(source, original);
  otherBytes = await bigNoisyJpeg(2);
  other = path.join(workDir, 'other.jpg');
  await writeFile(other, otherBytes);
}, 120_000);

afterEach(async () => {
  if (rewriter !== undefined) await stopRewriting(rewriter);
  rewriter = undefined;
  await copyFile(source, photo);
});

afterAll(async () => {
  await rm(workDir, { recursive: true, force: true });
});

/** Runs a command to its end; `signal` is set when it was killed (SIGBUS: 'SIGBUS'). */
function run(args: string[]): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.once('error', reject);
    child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

describe('a photo rewritten while it is read', () => {
  it('reads one consistent version of the file, or refuses with FILE_CHANGED', async () => {
    await copyFile(source, photo);
    rewriter = await startRewriting(photo, source, other);
    // Every version of the file is a prefix of one of the two photos (truncated, or being written);
    // a read that mixes two versions (as a plain read of a changing file does) is a prefix of neither.
    const isPrefixOf = (bytes: Buffer, whole: Buffer): boolean => bytes.length <= whole.length && bytes.equals(whole.subarray(0, bytes.length));
    const seen: string[] = [];
    for (let i = 0; i < 60; i++) {
      try {
        const snapshot = await readRegularFile(photo, { maxBytes: 1024 ** 3, what: 'photo', retries: 0 });
        expect(isPrefixOf(snapshot.bytes, original) || isPrefixOf(snapshot.bytes, otherBytes), `read ${snapshot.bytes.length} bytes`).toBe(true);
        expect(snapshot.size).toBe(snapshot.bytes.length);
        seen.push(`v${snapshot.bytes.length}`);
      } catch (error) {
        expect(error).toBeInstanceOf(ZoeError);
        expect((error as ZoeError).code).toBe('FILE_CHANGED');
        expect((error as ZoeError).message).toMatch(/IMG_0001\.jpg.*changed while Zoe Studio was reading it/);
        seen.push('changed');
      }
    }
    // The rewriter did change the file under the reader (else this test would prove nothing).
    expect(seen.some((outcome) => outcome !== `v${original.length}`)).toBe(true);
  }, 120_000);

  it('thumbnails, previews, depth input, intrinsics and export pixels never crash the process (no SIGBUS)', async () => {
    await copyFile(source, photo);
    rewriter = await startRewriting(photo, source, other);
    const script = path.join(__dirname, 'decode-while-rewritten.script.ts');
    const result = await run(['--import', 'tsx', script, photo, '2']);
    expect(result.signal, result.stderr).toBeNull();
    expect(result.code, result.stderr).toBe(0);
    const lines = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { entry: string; ok: boolean; code?: string; message?: string });
    expect(lines).toHaveLength(2 * 7);
    for (const line of lines) {
      if (!line.ok) {
        expect(PER_PHOTO_CODES, `${line.entry}: ${line.code} ${line.message}`).toContain(line.code);
        expect(line.message).toMatch(/IMG_0001\.jpg|The photo/);
      }
    }
    expect(lines.some((line) => !line.ok)).toBe(true);
  }, 300_000);

  it('`zoe depth --no-cache` reports the photo and exits normally while it is rewritten', async () => {
    await requireBuiltCli();
    await copyFile(source, photo);
    rewriter = await startRewriting(photo, source, other);
    const model = path.join(TEST_MODELS_DIR, 'zoe-fixed.onnx');
    const out = path.join(workDir, 'out');
    const dataDir = path.join(workDir, 'data');
    for (let attempt = 0; attempt < 2; attempt++) {
      const result = await run([path.join(ROOT, 'bin/zoe.js'), '--data-dir', dataDir, 'depth', photo, '--model', model, '--out', out, '--no-cache', '--json']);
      expect(result.signal, result.stderr).toBeNull();
      expect([0, 1], result.stderr).toContain(result.code);
      const reports = result.stdout.trim().split('\n').map((line) => JSON.parse(line) as { ok: boolean; error?: { code: string; message: string } });
      expect(reports).toHaveLength(1);
      for (const report of reports) if (!report.ok) expect(PER_PHOTO_CODES, report.error?.message).toContain(report.error?.code);
    }
  }, 300_000);
});
