import { APP_ORIGIN_PREFIX } from '../protocol/resolve';

/** Where the renderer is loaded from, and the URL prefix a page must have for its IPC calls to be answered. */
export interface RendererLocation {
  url: string;
  trustedPrefix: string;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * The renderer comes from `zoe://app/index.html`. Only an unpackaged app started by
 * `electron-vite dev` (which sets `ELECTRON_RENDERER_URL`) loads the dev server instead, and only
 * when that server is on this machine; a packaged app ignores the variable entirely.
 */
export function rendererLocation(options: { isPackaged: boolean; devServerUrl: string | undefined }): RendererLocation {
  const production: RendererLocation = { url: `${APP_ORIGIN_PREFIX}index.html`, trustedPrefix: APP_ORIGIN_PREFIX };
  if (options.isPackaged || options.devServerUrl === undefined || options.devServerUrl === '') return production;
  let devServer: URL;
  try {
    devServer = new URL(options.devServerUrl);
  } catch {
    return production;
  }
  if ((devServer.protocol !== 'http:' && devServer.protocol !== 'https:') || !LOOPBACK_HOSTS.has(devServer.hostname)) {
    return production;
  }
  return { url: devServer.href, trustedPrefix: `${devServer.origin}/` };
}
