/** Runs `zoe` the way a user does: `node bin/zoe.js …` over the electron-vite build in `out/main`. */
import { execFile } from 'node:child_process';
import { access } from 'node:fs/promises';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../..');
const BUNDLE = path.join(ROOT, 'out/main/cli.js');

export interface ZoeRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Fails with what to do when the CLI bundle has not been built. */
export async function requireBuiltCli(): Promise<void> {
  try {
    await access(BUNDLE);
  } catch {
    throw new Error(`The CLI bundle ${BUNDLE} is missing: build it with \`npx electron-vite build\` (npm test does) and run this test again.`);
  }
}

/** Runs the built `zoe` in `cwd` with extra environment variables; never rejects, the exit code says how it went. */
export function runBuiltZoe(args: readonly string[], options: { cwd: string; env?: Record<string, string>; timeoutMs?: number }): Promise<ZoeRun> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [path.join(ROOT, 'bin/zoe.js'), ...args],
      { cwd: options.cwd, env: { ...process.env, ...options.env }, timeout: options.timeoutMs ?? 120_000 },
      (error, stdout, stderr) => {
        const code = error === null ? 0 : typeof error.code === 'number' ? error.code : null;
        resolve({ code, stdout, stderr });
      }
    );
  });
}
