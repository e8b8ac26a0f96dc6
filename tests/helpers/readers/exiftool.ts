/** Runs Debian's exiftool (libimage-exiftool-perl) as an independent metadata reader for tests. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';

const run = promisify(execFile);

/** `exiftool -j <args> <file>` parsed: one object of tag → value for the file. */
export async function exiftoolJson(file: string, args: readonly string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run('exiftool', ['-j', ...args, file], { maxBuffer: 256 * 1024 * 1024 });
  const [tags] = z.array(z.record(z.string(), z.unknown())).length(1).parse(JSON.parse(stdout));
  return tags ?? {};
}

/** One tag's raw bytes (`exiftool -b -TAG file`). */
export async function exiftoolBinary(file: string, tag: string): Promise<Buffer> {
  const result = await run('exiftool', ['-b', `-${tag}`, file], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  return result.stdout;
}
