/**
 * Finds the test tools of tools.ts, without installing anything: `testTool(name)` is what a test
 * calls to run one. The bootstrap (setup.ts) has made sure, before any test ran, that it is there.
 */
import { spawnSync } from 'node:child_process';
import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { FoundTool } from './npm-shipped';
import { TEST_TOOLS, type TestToolSpec } from './tools';

export type { FoundTool } from './npm-shipped';

export function testToolSpec(name: string): TestToolSpec {
  const spec = TEST_TOOLS.find((tool) => tool.name === name);
  if (spec === undefined) throw new Error(`No test tool named ${name} in tests/tools/tools.ts`);
  return spec;
}

/** The tool, found the way tools.ts says (environment variable, npm package, system), or null. */
export function findTestTool(spec: TestToolSpec): FoundTool | null {
  const fromEnv = spec.env === undefined ? undefined : process.env[spec.env];
  if (fromEnv !== undefined && fromEnv !== '') {
    return isExecutableFile(fromEnv) ? { file: fromEnv, env: {}, source: spec.env ?? '' } : null;
  }
  const shipped = spec.npm?.supported() === true ? spec.npm.locate() : null;
  if (shipped !== null) return shipped;
  if (spec.probe !== undefined) {
    const [program, ...args] = spec.probe;
    if (program === undefined) return null;
    const probe = spawnSync(program, args, { stdio: 'ignore', timeout: 60_000 });
    return probe.status === 0 ? { file: program, env: {}, source: spec.probe.join(' ') } : null;
  }
  for (const candidate of spec.system ?? [spec.name]) {
    const file = path.isAbsolute(candidate) ? (isExecutableFile(candidate) ? candidate : null) : onPath(candidate);
    if (file !== null) return { file, env: {}, source: file };
  }
  return null;
}

/** The tool a test runs; throws, saying how to get it, when it is not there. */
export function testTool(name: string): FoundTool {
  const spec = testToolSpec(name);
  const found = findTestTool(spec);
  if (found !== null) return found;
  const hint = spec.env !== undefined && process.env[spec.env] ? `${spec.env}=${process.env[spec.env]} is not an executable file` : 'run the tests with vitest (npm test), which installs it';
  throw new Error(`The test tool ${name} (${spec.purpose}) is missing: ${hint}.`);
}

/** `program` on PATH (with PATHEXT on Windows), or null. */
export function onPath(program: string): string | null {
  const extensions = process.platform === 'win32' ? (process.env.PATHEXT ?? '.EXE;.CMD;.BAT').split(';') : [''];
  for (const folder of (process.env.PATH ?? '').split(path.delimiter)) {
    if (folder === '') continue;
    for (const extension of extensions) {
      const file = path.join(folder, program + extension);
      if (isExecutableFile(file)) return file;
    }
  }
  return null;
}

function isExecutableFile(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
