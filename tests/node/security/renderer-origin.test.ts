import { describe, expect, it } from 'vitest';
import { rendererLocation } from '../../../src/main/security/renderer-origin';

const production = { url: 'zoe://app/index.html', trustedPrefix: 'zoe://app/' };

describe('where the renderer is loaded from', () => {
  it('is zoe://app/index.html in a packaged app, whatever the environment says', () => {
    expect(rendererLocation({ isPackaged: true, devServerUrl: 'http://localhost:5173' })).toEqual(production);
  });

  it('is zoe://app/index.html when started without a dev server (npm start)', () => {
    expect(rendererLocation({ isPackaged: false, devServerUrl: undefined })).toEqual(production);
    expect(rendererLocation({ isPackaged: false, devServerUrl: '' })).toEqual(production);
  });

  it('is the dev server under electron-vite dev, and IPC then trusts that origin only', () => {
    expect(rendererLocation({ isPackaged: false, devServerUrl: 'http://localhost:5173' })).toEqual({
      url: 'http://localhost:5173/',
      trustedPrefix: 'http://localhost:5173/'
    });
    expect(rendererLocation({ isPackaged: false, devServerUrl: 'http://127.0.0.1:5174/' }).trustedPrefix).toBe('http://127.0.0.1:5174/');
  });

  it.each(['https://attacker.example/', 'http://192.168.1.20:5173', 'file:///tmp/index.html', 'javascript:alert(1)', 'not a url'])(
    'ignores a dev-server URL that is not a web server on this machine (%s)',
    (devServerUrl) => {
      expect(rendererLocation({ isPackaged: false, devServerUrl })).toEqual(production);
    }
  );
});
