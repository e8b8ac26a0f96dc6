import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { connectWsBridge } from '../../../src/renderer/src/bridge/ws-bridge';
import { REPOSITORY_ROOT } from '../../host/services';

const PHOTOS = path.join(REPOSITORY_ROOT, 'tests/fixtures/photos/jpg/orientation');

/** `npx tsx tests/host/main.ts …`, as a developer runs it. */
function startCli(args: string[], rendererDir: string): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, ['--import', 'tsx', 'tests/host/main.ts', ...args], {
    cwd: REPOSITORY_ROOT,
    env: { ...process.env, ZOE_TEST_HOST_RENDERER: rendererDir }
  });
}

function exitOf(child: ChildProcessWithoutNullStreams): Promise<number | null> {
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

function outputOf(stream: NodeJS.ReadableStream): () => string {
  let text = '';
  stream.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
  return () => text;
}

describe('test host command line', () => {
  let workspace: string;

  beforeAll(async () => {
    workspace = await mkdtemp(path.join(os.tmpdir(), 'zoe-host-cli-'));
    await writeFile(path.join(workspace, 'index.html'), '<!doctype html><title>Zoe Studio</title>');
  });

  afterAll(async () => {
    await rm(workspace, { recursive: true, force: true });
  });

  it('prints the page address, serves it, opens the folder it was given, and stops on SIGTERM', async () => {
    const child = startCli([PHOTOS], workspace);
    const stdout = outputOf(child.stdout);
    const exited = exitOf(child);
    try {
      while (!/open (http:\S+)\n/.test(stdout())) {
        if (child.exitCode !== null) throw new Error(`the host exited early: ${stdout()}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const pageUrl = new URL(/open (http:\S+)\n/.exec(stdout())?.[1] ?? '');
      expect(pageUrl.hostname).toBe('127.0.0.1');
      expect(stdout()).toContain(PHOTOS);
      expect(await (await fetch(pageUrl)).text()).toContain('<title>Zoe Studio</title>');
      const { api, transport } = connectWsBridge(pageUrl.searchParams.get('zoe-ws') ?? '', WebSocket);
      const listing = await api.library.openFolder();
      transport.close();
      expect(listing.ok && listing.value?.name).toBe('orientation');
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('refuses a folder that does not exist', async () => {
    const child = startCli([path.join(workspace, 'no-such-folder')], workspace);
    const stderr = outputOf(child.stderr);
    expect(await exitOf(child)).toBe(2);
    expect(stderr()).toContain('There is no folder at');
  });
});
