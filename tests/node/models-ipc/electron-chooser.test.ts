/** The Electron host's model-file chooser: an open-file dialog limited to .onnx, attached to the window. */
import { describe, expect, it, vi } from 'vitest';

const electron = vi.hoisted(() => {
  const state = { answer: { canceled: false, filePaths: ['/models/ZoeD_M12_N.onnx'] } };
  return {
    state,
    app: { isPackaged: false, getName: () => 'Zoe Studio', getVersion: () => '1.0.0', getPath: () => '/tmp/zoe', getAppPath: () => '/src/zoe' },
    dialog: { showOpenDialog: vi.fn(async (..._args: unknown[]) => state.answer) }
  };
});
vi.mock('electron', () => ({ app: electron.app, dialog: electron.dialog }));

import { createElectronServices } from '../../../src/main/host/electron-services';
import { ResourceRegistry } from '../../../src/main/resources/registry';

describe('Electron chooseModelFile', () => {
  it('opens one .onnx file, on the window when there is one, and returns its path or null', async () => {
    const window = { isDestroyed: () => false, webContents: { send: () => undefined } };
    const services = createElectronServices({ window: () => window as unknown as Electron.BrowserWindow, resources: new ResourceRegistry() });
    await expect(services.chooseModelFile?.()).resolves.toBe('/models/ZoeD_M12_N.onnx');
    const [attachedTo, options] = electron.dialog.showOpenDialog.mock.calls[0] ?? [];
    expect(attachedTo).toBe(window);
    expect(options).toMatchObject({ properties: ['openFile'], filters: [{ extensions: ['onnx'] }] });

    electron.state.answer = { canceled: true, filePaths: [] };
    const windowless = createElectronServices({ window: () => null, resources: new ResourceRegistry() });
    await expect(windowless.chooseModelFile?.()).resolves.toBeNull();
    expect(electron.dialog.showOpenDialog.mock.calls[1]?.length).toBe(1);
  });
});
