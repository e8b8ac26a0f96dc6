import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * A sandboxed preload can `require` only Electron's own modules (and a few Node polyfills):
 * every package it uses must be bundled into `out/preload/index.js`. `npm test` builds `out/`
 * before running the suites; this reads that build.
 */
const bundlePath = path.resolve(__dirname, '../../../out/preload/index.js');
const SANDBOX_MODULES = new Set(['electron', 'events', 'timers', 'url']);

async function readBundle(): Promise<string> {
  try {
    return await readFile(bundlePath, 'utf8');
  } catch (error) {
    throw new Error(`No built preload at ${bundlePath}: run \`npx electron-vite build\` first.`, { cause: error });
  }
}

describe('the built preload', () => {
  it('requires nothing a sandboxed preload cannot load (its few packages are bundled)', async () => {
    const bundle = await readBundle();
    const required = [...bundle.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((match) => match[1] ?? '');
    expect(required).toContain('electron');
    expect(required.filter((name) => !SANDBOX_MODULES.has(name.replace(/^node:/, '')))).toEqual([]);
  });

  it('carries no schema library: zod stays in the main process, where requests are validated', async () => {
    const bundle = await readBundle();
    expect(bundle).not.toContain('ZodError');
    expect(bundle).not.toMatch(/\bsafeParse\b/);
    // The preload builds window.zoe from the method list alone: every method name is in it.
    expect(bundle).toContain('measure.exportAnnotated');
    expect(Buffer.byteLength(bundle, 'utf8')).toBeLessThan(20 * 1024);
  });

  it('is a CommonJS script, as sandboxed preloads must be', async () => {
    const bundle = await readBundle();
    expect(bundle).not.toMatch(/^\s*import\s[^(]/m);
    expect(bundle).not.toMatch(/^\s*export\s/m);
  });
});
