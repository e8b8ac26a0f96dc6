/**
 * `npm start` on a fresh clone, where `npm install` has not downloaded Electron's binary (Electron
 * 45 does that on first use): the real script downloads it first, through Electron's own installer,
 * and says in one line what to set when it cannot. A copy of the project stands in for the clone
 * (its node_modules/electron without the binary) and a local server for the mirror.
 */
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureElectronBinary } from '../../../tools/electron-binary';
import { closedPort, ELECTRON_VERSION, electronZipName, projectWithoutElectronBinary, shasums, startMirror, zipOf } from './electron-project';

interface Run {
  status: number | null;
  output: string;
}

/** `npm <args>` in `cwd`, as a newcomer types it, with `env` on top of ours. */
function npm(cwd: string, args: string[], env: Record<string, string>): Promise<Run> {
  const ours = ['ELECTRON_OVERRIDE_DIST_PATH', 'ELECTRON_EXEC_PATH', 'ELECTRON_MIRROR', 'ELECTRON_GET_USE_PROXY'];
  const clean = Object.fromEntries(Object.entries(process.env).filter(([name]) => !ours.includes(name)));
  return new Promise((resolve) => {
    const child = spawn('npm', args, { cwd, env: { ...clean, ...env }, shell: process.platform === 'win32' });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (status) => resolve({ status, output }));
  });
}

describe('npm start without the Electron binary', () => {
  let project: string;
  let cache: string;

  beforeAll(async () => {
    project = await projectWithoutElectronBinary();
    // An empty download cache: a zip cached by an earlier download must not stand in for the attempt.
    cache = await mkdtemp(path.join(os.tmpdir(), 'zoe-electron-cache-'));
  });

  afterAll(async () => {
    await rm(project, { recursive: true, force: true });
    await rm(cache, { recursive: true, force: true });
  });

  it('asks the mirror for the binary, then says in one line what to set, and builds nothing', async () => {
    const mirror = await startMirror();
    try {
      const run = await npm(project, ['start'], { ELECTRON_MIRROR: mirror.url, electron_config_cache: cache });
      expect(run.status).toBe(1);
      expect(mirror.requests).toContain(`/v${ELECTRON_VERSION}/${electronZipName()}`);
      const failure = run.output.split('\n').filter((line) => line.startsWith('✗ '));
      expect(failure).toHaveLength(1);
      expect(failure[0]).toContain(`Could not download Electron ${ELECTRON_VERSION}`);
      expect(failure[0]).toContain(`${mirror.url}v${ELECTRON_VERSION}/${electronZipName()}`);
      expect(failure[0]).toMatch(/404/);
      expect(failure[0]).toContain('ELECTRON_MIRROR');
      expect(failure[0]).toContain('ELECTRON_OVERRIDE_DIST_PATH');
      expect(run.output).not.toContain('Electron uninstall');
      expect(run.output).not.toMatch(/^\s+at /m);
      expect(existsSync(path.join(project, 'out'))).toBe(false);
    } finally {
      await mirror.close();
    }
  });

  it('names the connection problem when the mirror cannot be reached at all', async () => {
    const port = await closedPort();
    const run = await npm(project, ['start'], { ELECTRON_MIRROR: `http://127.0.0.1:${port}/`, electron_config_cache: cache });
    expect(run.status).toBe(1);
    const failure = run.output.split('\n').find((line) => line.startsWith('✗ '));
    expect(failure).toContain(`connect ECONNREFUSED 127.0.0.1:${port}`);
    expect(failure).toContain('ELECTRON_OVERRIDE_DIST_PATH');
    expect(run.output).not.toContain('Electron uninstall');
  });

  it.runIf(process.platform === 'linux')('refuses an ELECTRON_OVERRIDE_DIST_PATH without an Electron in it, saying so', async () => {
    const run = await npm(project, ['run', 'dev'], { ELECTRON_OVERRIDE_DIST_PATH: cache, electron_config_cache: cache });
    expect(run.status).toBe(1);
    expect(run.output).toContain(`✗ ELECTRON_OVERRIDE_DIST_PATH is ${cache}, but there is no electron in it`);
  });

  it.runIf(process.platform === 'linux')('installs the binary the mirror serves (checksum from its SHASUMS256.txt) and hands back the executable', async () => {
    const stub = Buffer.from('#!/bin/sh\necho "stub electron $*"\n');
    const zip = zipOf([
      { name: 'electron', body: stub, mode: 0o755 },
      { name: 'version', body: Buffer.from(ELECTRON_VERSION), mode: 0o644 }
    ]);
    const release = new Map([[electronZipName(), zip]]);
    const mirror = await startMirror(
      new Map([
        [`/v${ELECTRON_VERSION}/${electronZipName()}`, zip],
        [`/v${ELECTRON_VERSION}/SHASUMS256.txt`, shasums(release)]
      ])
    );
    const saved = { ...process.env };
    Object.assign(process.env, { ELECTRON_MIRROR: mirror.url, electron_config_cache: cache, electron_use_remote_checksums: '1' });
    try {
      const electronPackage = path.join(project, 'node_modules', 'electron');
      const lines: string[] = [];
      const binary = await ensureElectronBinary(electronPackage, (line) => lines.push(line));
      expect(binary.executable).toBe(path.join(electronPackage, 'dist', 'electron'));
      expect(await readFile(path.join(electronPackage, 'path.txt'), 'utf8')).toBe('electron');
      expect(lines[0]).toContain(`Downloading the Electron ${ELECTRON_VERSION} binary`);
      const { stdout } = await promisify(execFile)(binary.executable, ['--version']);
      expect(stdout.trim()).toBe('stub electron --version');
      // Installed now: the next start asks nobody.
      const asked = mirror.requests.length;
      await ensureElectronBinary(electronPackage, () => undefined);
      expect(mirror.requests.length).toBe(asked);
    } finally {
      process.env = saved;
      await mirror.close();
    }
  });
});
