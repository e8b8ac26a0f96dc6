/**
 * Shared helpers of the browser tests: Debian's Chromium driven by playwright-core (never a
 * downloaded browser), the built renderer served by the WebSocket test host, and a record of
 * everything that went wrong in the page (console errors, uncaught exceptions, failed requests).
 *
 *   const browser = await launchBrowser();
 *   const host = await startTestHost({ folder: '/some/photos' });
 *   const app = await openApp(browser, host);   // waits until #app has rendered
 *   ... app.page.getByRole(...) ...
 *   expect(app.problems()).toEqual([]);
 *   await screenshot(app.page, 'library');       // test-results/library.png
 */
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type Page, type WebSocket as PageSocket } from 'playwright-core';
import type { Result } from '../../src/shared/errors';
import { callFrame, eventFrame, replyFrame, ZOE_SOCKET_PATH } from '../../src/renderer/src/bridge/protocol';
import { decodeWireMessage } from '../../src/renderer/src/bridge/wire';
import { TEST_MODELS_DIR } from '../helpers/depth-fixtures';
import { REPOSITORY_ROOT } from '../host/services';
import { testTool } from '../tools/find';
import type { PreinstalledModel, TestHost } from '../host/server';


/** Where screenshots and other test artefacts go (not committed). */
export const TEST_RESULTS_DIR = path.join(REPOSITORY_ROOT, 'test-results');

/** The real camera photos of `tests/fixtures/photos` (see its README). */
export const PHOTOS = path.join(REPOSITORY_ROOT, 'tests/fixtures/photos');

/** A generated test model (`zoe-fixed`, `zoe-busy`, …) and its manifest, for `startTestHost({ preinstallModels })`. */
export function preinstalledTestModel(name: string): PreinstalledModel {
  return { modelPath: path.join(TEST_MODELS_DIR, `${name}.onnx`), manifestPath: path.join(TEST_MODELS_DIR, `${name}.json`) };
}

/** Polls `read` until `done` accepts its value (CSP-safe: evaluation happens in the test, not the page). */
export async function until<T>(read: () => Promise<T>, done: (value: T) => boolean, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}: ${JSON.stringify(value).slice(0, 600)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Evaluates `expression` in the page until it yields something other than null. `page.evaluate`
 * with a string runs through the debugger protocol, which the page's CSP (no eval) allows;
 * `waitForFunction` compiles its predicate inside the page, which that CSP rightly refuses.
 */
export async function pollPage(page: Page, expression: string, timeoutMs = 15_000): Promise<unknown> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value: unknown = await page.evaluate(expression);
    if (value !== null && value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`The page never satisfied: ${expression.slice(0, 120)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Starts headless Chromium with no sandbox, GPU, network chatter or first-run UI. */
export async function launchBrowser(): Promise<Browser> {
  // The npm-shipped headless Chromium on Linux x64, else CHROMIUM_PATH or a system one (tests/tools).
  const browser = testTool('chromium');
  return chromium.launch({
    executablePath: browser.file,
    env: { ...process.env, ...browser.env },
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic'
    ]
  });
}

/** One call the page made through the bridge, and the host's reply once it came. */
export interface ObservedCall {
  id: number;
  method: string;
  request: unknown;
  result?: Result<unknown>;
}

/**
 * What crossed the page's WebSocket to the test host, decoded with the bridge's own codec: lets a
 * test check what the real renderer asked and got without exposing the bridge to the page.
 */
export class ZoeTraffic {
  readonly calls: ObservedCall[] = [];
  readonly events: { event: string; payload: unknown }[] = [];
  /** Frames that could not be decoded: always a bug in the bridge or the host. */
  readonly undecodable: string[] = [];
  private readonly waiters: (() => void)[] = [];

  /** Starts recording the `/zoe` WebSockets a page opens. Call before navigating. */
  static observe(page: Page): ZoeTraffic {
    const traffic = new ZoeTraffic();
    page.on('websocket', (socket: PageSocket) => {
      if (new URL(socket.url()).pathname !== ZOE_SOCKET_PATH) return;
      socket.on('framesent', ({ payload }) => traffic.sent(payload));
      socket.on('framereceived', ({ payload }) => traffic.received(payload));
    });
    return traffic;
  }

  /** The first answered call of `method`, waiting up to `timeoutMs` for it. */
  async reply(method: string, timeoutMs = 10_000): Promise<Result<unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const answered = this.calls.find((call) => call.method === method && call.result !== undefined);
      if (answered?.result !== undefined) return answered.result;
      const remaining = deadline - Date.now();
      if (remaining <= 0) throw new Error(`The page made no answered ${method} call within ${timeoutMs} ms.`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  private decode(payload: string | Buffer): unknown {
    try {
      return decodeWireMessage(payload);
    } catch (error) {
      this.undecodable.push(error instanceof Error ? error.message : String(error));
      return undefined;
    }
  }

  private sent(payload: string | Buffer): void {
    const call = callFrame.safeParse(this.decode(payload));
    if (call.success) this.calls.push({ id: call.data.id, method: call.data.method, request: call.data.request });
  }

  private received(payload: string | Buffer): void {
    const message = this.decode(payload);
    const reply = replyFrame.safeParse(message);
    if (reply.success) {
      const call = this.calls.find((candidate) => candidate.id === reply.data.id);
      const result = reply.data.result;
      if (call !== undefined) call.result = result.ok ? { ok: true, value: result.value } : { ok: false, error: result.error };
    } else {
      const event = eventFrame.safeParse(message);
      if (event.success) this.events.push(event.data);
    }
    for (const wake of this.waiters.splice(0)) wake();
  }
}

/** The renderer open in a browser page against a test host, with everything that went wrong in it. */
export interface OpenedApp {
  page: Page;
  traffic: ZoeTraffic;
  consoleErrors: string[];
  pageErrors: string[];
  failedRequests: string[];
  /** The Content-Security-Policy header the page was served with. */
  contentSecurityPolicy: string | undefined;
  /** Every console error, uncaught exception and failed request, one line each. */
  problems(): string[];
  close(): Promise<void>;
}

/** Opens the test host's page in a fresh context and waits until the app has rendered into `#app`. */
export async function openApp(browser: Browser, host: TestHost, options: { path?: string } = {}): Promise<OpenedApp> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, deviceScaleFactor: 1 });
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  const pageErrors: string[] = [];
  const failedRequests: string[] = [];
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => pageErrors.push(error.stack ?? error.message));
  page.on('requestfailed', (request) => failedRequests.push(`${request.url()}: ${request.failure()?.errorText ?? 'failed'}`));
  page.on('response', (response) => {
    if (response.status() >= 400) failedRequests.push(`${response.url()}: HTTP ${response.status()}`);
  });
  const traffic = ZoeTraffic.observe(page);
  const url = options.path === undefined ? host.url : new URL(options.path, host.url).href;
  const response = await page.goto(url, { waitUntil: 'load' });
  // Polled from the test with `page.evaluate` (a string: this project type-checks without the DOM
  // library); `waitForFunction` would compile its predicate inside the page, which the CSP refuses.
  await pollPage(page, "(document.querySelector('#app')?.childElementCount ?? 0) > 0 ? true : null", 15_000);
  return {
    page,
    traffic,
    consoleErrors,
    pageErrors,
    failedRequests,
    contentSecurityPolicy: (await response?.allHeaders())?.['content-security-policy'],
    problems: () => [
      ...consoleErrors.map((text) => `console error: ${text}`),
      ...pageErrors.map((text) => `page error: ${text}`),
      ...failedRequests.map((text) => `request failed: ${text}`),
      ...traffic.undecodable.map((text) => `undecodable frame: ${text}`)
    ],
    close: () => context.close()
  };
}

/** Saves a full-page PNG as `test-results/<name>.png` and returns its path. */
export async function screenshot(page: Page, name: string): Promise<string> {
  if (!/^[\w.-]+$/.test(name)) throw new Error(`A screenshot name is a plain file name, not “${name}”.`);
  await mkdir(TEST_RESULTS_DIR, { recursive: true });
  const file = path.join(TEST_RESULTS_DIR, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}
