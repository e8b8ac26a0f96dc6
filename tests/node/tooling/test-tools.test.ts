/**
 * The test-tool bootstrap (tests/tools): npm-shipped tools win over system ones and really run,
 * the packaged Chromium needs nothing from the system beyond glibc, and a missing tool or a wrong
 * override stops the run with what to do.
 */
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { findTestTool, onPath, testTool, testToolSpec } from '../../tools/find';
import { ensureTestTools } from '../../tools/setup';
import { REPOSITORY_ROOT } from '../../host/services';

const run = promisify(execFile);

function installedVersion(name: string): string {
  return (JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'node_modules', name, 'package.json'), 'utf8')) as { version: string }).version;
}

describe('test tools', () => {
  it('runs the ExifTool that exiftool-vendored ships, not a system one', async () => {
    const exiftool = testTool('exiftool');
    expect(exiftool.file.startsWith(path.join(REPOSITORY_ROOT, 'node_modules'))).toBe(true);
    const { stdout } = await run(exiftool.file, ['-ver']);
    const flavour = process.platform === 'win32' ? 'exiftool-vendored.exe' : 'exiftool-vendored.pl';
    expect(stdout.trim()).toBe(installedVersion(flavour).split('.').slice(0, 2).join('.'));
  });

  it.runIf(process.platform === 'linux' && process.arch === 'x64')(
    'unpacks @sparticuz/chromium once, and it runs with its own NSS, NSPR and expat beside glibc',
    async () => {
      if (process.env.CHROMIUM_PATH) return; // an explicit choice: nothing npm-shipped to check
      // The e2e project's bootstrap, run here too (a no-op once unpacked).
      const [ready] = await ensureTestTools([testToolSpec('chromium')]);
      const chromium = testTool('chromium');
      expect(ready?.tool.file).toBe(chromium.file);
      expect(chromium.source).toBe(`npm @sparticuz/chromium ${installedVersion('@sparticuz/chromium')}`);
      const env = { ...process.env, ...chromium.env };
      const { stdout } = await run(chromium.file, ['--version'], { env });
      expect(stdout).toMatch(new RegExp(`^Chromium ${installedVersion('@sparticuz/chromium').split('.')[0]}\\.`));
      if (onPath('ldd') === null) return;
      const { stdout: libraries } = await run('ldd', [chromium.file], { env });
      const resolved = new Map([...libraries.matchAll(/^\s*(\S+) => (\S+)/gm)].map(([, name, file]) => [name, file]));
      for (const name of ['libnss3.so', 'libnssutil3.so', 'libnspr4.so', 'libplc4.so', 'libplds4.so', 'libexpat.so.1']) {
        expect(resolved.get(name)?.startsWith(path.dirname(chromium.file))).toBe(true);
      }
      expect(libraries).not.toContain('not found');
    }
  );

  it('stops with the variable to fix when an override names no program', async () => {
    const saved = process.env.EXIFTOOL_PATH;
    process.env.EXIFTOOL_PATH = path.join(REPOSITORY_ROOT, 'no-such-exiftool');
    try {
      expect(findTestTool(testToolSpec('exiftool'))).toBeNull();
      await expect(ensureTestTools([testToolSpec('exiftool')])).rejects.toThrow(
        `EXIFTOOL_PATH=${process.env.EXIFTOOL_PATH} is not an executable file (for exiftool).`
      );
    } finally {
      if (saved === undefined) delete process.env.EXIFTOOL_PATH;
      else process.env.EXIFTOOL_PATH = saved;
    }
  });

  it('says what a missing tool is for and how to get it; a probe that fails counts as missing', async () => {
    const missing = {
      name: 'zoe-no-such-reader',
      purpose: 'reads nothing',
      projects: ['unit'] as const,
      probe: [process.execPath, '-e', 'process.exit(3)'],
      install: {}
    };
    await expect(ensureTestTools([missing])).rejects.toThrow(
      'The tests need programs that are not installed:\n  zoe-no-such-reader: reads nothing.\n    install: put zoe-no-such-reader on PATH'
    );
    const present = { ...missing, probe: [process.execPath, '-e', 'process.exit(0)'] };
    const [ready] = await ensureTestTools([present]);
    expect(ready?.tool.file).toBe(process.execPath);
  });
});
