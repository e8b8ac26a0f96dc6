import { readFile } from 'node:fs/promises';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { startTestHost, type TestHost } from '../host/server';
import { launchBrowser, openApp, screenshot, type OpenedApp } from './helpers';

/** The part of `app.getInfo`'s answer this test checks, validated rather than cast. */
const appInfoShape = z.object({
  host: z.string(),
  executionProviders: z.array(z.object({ name: z.string() }))
});

describe('smoke: the built renderer in Chromium through the test host', () => {
  let browser: Browser;
  let host: TestHost;
  let app: OpenedApp;

  beforeAll(async () => {
    host = await startTestHost();
    browser = await launchBrowser();
    app = await openApp(browser, host);
  });

  afterAll(async () => {
    await app?.close();
    await browser?.close();
    await host?.close();
  });

  it('renders the app with no console errors, page errors or failed requests', async () => {
    expect(await app.page.locator('#app').innerText()).not.toBe('');
    expect(await app.page.title()).toBe('Zoe Studio');
    expect(app.problems()).toEqual([]);
  });

  it('runs under the app CSP, with no Node and no bridge object in the page', async () => {
    expect(app.contentSecurityPolicy).toContain("script-src 'self'");
    expect(app.contentSecurityPolicy).not.toContain('unsafe-eval');
    const globals = await app.page.evaluate(() => ({
      require: typeof (globalThis as { require?: unknown }).require,
      process: typeof (globalThis as { process?: unknown }).process,
      zoe: 'zoe' in globalThis,
      module: typeof (globalThis as { module?: unknown }).module
    }));
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', zoe: false, module: 'undefined' });
  });

  it('gets real answers through the bridge: app.getInfo says test-host and lists the cpu provider', async () => {
    const result = await app.traffic.reply('app.getInfo');
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    const info = appInfoShape.parse(result.value);
    expect(info.host).toBe('test-host');
    expect(info.executionProviders.map((provider) => provider.name)).toContain('cpu');
    expect(app.traffic.undecodable).toEqual([]);
  });

  it('refuses a test host address that is not on this machine, and says how to start instead', async () => {
    const refused = await openApp(browser, host, { path: `/?zoe-ws=${encodeURIComponent('ws://example.com:80/zoe')}` });
    try {
      expect(await refused.page.locator('#app .startup-failure').innerText()).toMatch(/only ws:\/\/ on 127\.0\.0\.1 or localhost/);
      expect(refused.consoleErrors.join('\n')).toMatch(/refused/);
      expect(refused.traffic.calls).toEqual([]);
    } finally {
      await refused.close();
    }
    const bare = await openApp(browser, host, { path: '/' });
    try {
      expect(await bare.page.locator('#app .startup-failure').innerText()).toMatch(/npm start/);
    } finally {
      await bare.close();
    }
  });

  it('saves a screenshot', async () => {
    const file = await screenshot(app.page, 'smoke');
    const png = await readFile(file);
    expect(png.subarray(0, 8)).toEqual(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]));
    expect(png.readUInt32BE(16)).toBe(1280);
    expect(app.problems()).toEqual([]);
  });
});
