/** Runs ExifTool (npm exiftool-vendored, or the system's: tests/tools) as an independent metadata reader for tests. */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { z } from 'zod';
import { testTool } from '../../tools/find';

const run = promisify(execFile);

/** `exiftool -j <args> <file>` parsed: one object of tag → value for the file. */
export async function exiftoolJson(file: string, args: readonly string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(testTool('exiftool').file, ['-j', ...args, file], { maxBuffer: 256 * 1024 * 1024 });
  const [tags] = z.array(z.record(z.string(), z.unknown())).length(1).parse(JSON.parse(stdout));
  return tags ?? {};
}

/** One tag's raw bytes (`exiftool -b -TAG file`). */
export async function exiftoolBinary(file: string, tag: string): Promise<Buffer> {
  const result = await run(testTool('exiftool').file, ['-b', `-${tag}`, file], { encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 });
  return result.stdout;
}
