import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWireMessage, encodeWireMessage } from '../../src/renderer/src/bridge/wire';
import { REPOSITORY_ROOT } from '../host/services';
import { launchBrowser } from './helpers';

/** The bridge's wire codec bundled for the browser exactly as written, exposed as `zoeWire`. */
async function bundleWireCodec(): Promise<string> {
  const output = await build({
    configFile: false,
    logLevel: 'silent',
    build: {
      write: false,
      minify: false,
      lib: { entry: path.join(REPOSITORY_ROOT, 'src/renderer/src/bridge/wire.ts'), formats: ['iife'], name: 'zoeWire' }
    }
  });
  const results = Array.isArray(output) ? output : [output];
  for (const result of results) {
    if (!('output' in result)) continue;
    const chunk = result.output.find((item) => item.type === 'chunk');
    if (chunk !== undefined && chunk.type === 'chunk') return chunk.code;
  }
  throw new Error('vite produced no bundle of the wire codec');
}

/** Every awkward float32: NaN with payloads, -0, subnormals, infinities, extremes. */
const AWKWARD_BITS = [0x7fc00000, 0x7fc0beef, 0xffc00001, 0x80000000, 0x00000000, 0x00000001, 0x80000001, 0x007fffff, 0x00800000, 0x7f7fffff, 0x7f800000, 0xff800000, 0x3f800000];

describe('wire codec in Chromium', () => {
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    const code = await bundleWireCodec();
    browser = await launchBrowser();
    page = await browser.newPage();
    await page.goto('about:blank');
    await page.addScriptTag({ content: code });
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('decodes in the browser, bit for bit and as the same classes, what the Node host encodes', async () => {
    const depth = new Float32Array(new Uint32Array(AWKWARD_BITS).buffer);
    const frame = encodeWireMessage({ id: 3, result: { ok: true, value: { depthMetres: depth, thumbnail: new Uint8Array([255, 216, 0]), scale: -0 } } });
    const seen = await page.evaluate((bytes: number[]) => {
      interface Codec { decodeWireMessage(frame: ArrayBuffer): unknown }
      const codec = (globalThis as unknown as { zoeWire: Codec }).zoeWire;
      const message = codec.decodeWireMessage(new Uint8Array(bytes).buffer) as {
        result: { value: { depthMetres: Float32Array; thumbnail: Uint8Array; scale: number } };
      };
      const { depthMetres, thumbnail, scale } = message.result.value;
      return {
        depthClass: depthMetres.constructor.name,
        depthBits: Array.from(new Uint32Array(depthMetres.buffer, depthMetres.byteOffset, depthMetres.length)),
        thumbnailClass: thumbnail.constructor.name,
        thumbnail: Array.from(thumbnail),
        scaleIsMinusZero: Object.is(scale, -0)
      };
    }, Array.from(frame));
    expect(seen).toEqual({
      depthClass: 'Float32Array',
      depthBits: AWKWARD_BITS,
      thumbnailClass: 'Uint8Array',
      thumbnail: [255, 216, 0],
      scaleIsMinusZero: true
    });
  });

  it('encodes in the browser what the Node host decodes, bit for bit', async () => {
    const bytes = await page.evaluate((bits: number[]) => {
      interface Codec { encodeWireMessage(message: unknown): Uint8Array }
      const codec = (globalThis as unknown as { zoeWire: Codec }).zoeWire;
      const depth = new Float32Array(new Uint32Array(bits).buffer);
      return Array.from(codec.encodeWireMessage({ id: 4, method: 'test.echo', request: { depth, when: new Date(0), nothing: undefined } }));
    }, AWKWARD_BITS);
    const message = decodeWireMessage(new Uint8Array(bytes)) as { request: { depth: Float32Array; when: Date; nothing: undefined } };
    expect(message.request.depth).toBeInstanceOf(Float32Array);
    expect(Array.from(new Uint32Array(message.request.depth.buffer))).toEqual(AWKWARD_BITS);
    expect(message.request.when).toEqual(new Date(0));
    expect('nothing' in message.request).toBe(true);
  });
});
