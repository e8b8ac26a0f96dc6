/**
 * Test helpers for files that change while Zoe Studio reads them: a child process that rewrites or
 * truncates a file in a tight loop (as a card import or a sync tool does), and a large photo whose
 * decode takes long enough for that to happen mid-read.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import sharp from 'sharp';

/** A noisy 6000×4000 JPEG (about 13 MB): big enough that a decode spans many rewrites; `seed` varies the noise. */
export async function bigNoisyJpeg(seed = 1): Promise<Buffer> {
  const width = 6000;
  const height = 4000;
  const pixels = Buffer.alloc(width * height * 3);
  for (let i = 0; i < pixels.length; i++) pixels[i] = (Math.imul(i + seed * 7919, 2654435761) >>> 13) & 255;
  return sharp(pixels, { raw: { width, height, channels: 3 } }).jpeg({ quality: 95 }).toBuffer();
}

const LOOP = `
const fs = require('node:fs');
const [file, ...sources] = process.argv.slice(1);
const contents = sources.map((source) => fs.readFileSync(source));
const stopAt = Date.now() + 120000;
let i = 0;
process.stdout.write('ready\\n');
while (Date.now() < stopAt) {
  const bytes = contents[Math.floor(i / 3) % contents.length];
  const step = i++ % 3;
  if (step === 0) fs.truncateSync(file, 1000);
  else if (step === 1) fs.writeFileSync(file, bytes);
  else { fs.truncateSync(file, Math.floor(bytes.length / 3)); fs.writeFileSync(file, bytes); }
}
`;

/**
 * Starts rewriting `file` in a loop in a child process, in place: truncated, then written with the
 * bytes of each of `sourceFiles` in turn. Resolves once it runs.
 */
export async function startRewriting(file: string, ...sourceFiles: string[]): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['-e', LOOP, file, ...sourceFiles], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((resolve, reject) => {
    child.once('error', reject);
    child.stdout?.once('data', () => resolve());
  });
  return child;
}

/** Stops a rewriter started by {@link startRewriting}. */
export async function stopRewriting(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
