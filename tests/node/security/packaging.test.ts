import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { minimatch } from 'minimatch';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Configuration } from 'electron-builder';

/**
 * Packaging cannot run here (no Electron binaries to download), so electron-builder.yml is read
 * and validated by electron-builder's own loader and JSON schema, and its globs are matched
 * against the native files actually installed.
 */
const repository = path.resolve(__dirname, '../../..');
let config: Configuration;

async function filesUnder(folder: string): Promise<string[]> {
  const entries = await readdir(folder, { withFileTypes: true, recursive: true });
  return entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name));
}

function isUnpacked(file: string): boolean {
  const relative = path.relative(repository, file).split(path.sep).join('/');
  return (config.asarUnpack as string[]).some((pattern) => minimatch(relative, pattern, { dot: true }));
}

beforeAll(async () => {
  config = await getConfig(repository, null, null);
});

describe('electron-builder.yml', () => {
  it('passes electron-builder’s own schema validation', async () => {
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app studio.zoe.app / Zoe Studio and packs only the built bundles and package.json', () => {
    expect(config.appId).toBe('studio.zoe.app');
    expect(config.productName).toBe('Zoe Studio');
    expect(config.files).toEqual([{ filter: ['out/**', 'package.json'] }]);
  });

  it('ships resources/models as the models folder beside the app', () => {
    expect(config.extraResources).toEqual([{ from: 'resources/models', to: 'models', filter: ['**/*'] }]);
  });

  it('unpacks every native binary of onnxruntime-node and sharp from the asar archive', async () => {
    const native = [
      ...(await filesUnder(path.join(repository, 'node_modules/onnxruntime-node/bin'))),
      ...(await filesUnder(path.join(repository, 'node_modules/@img')))
    ].filter((file) => /\.(node|so(\.\d+)*|dylib|dll)$/.test(file));
    expect(native.length).toBeGreaterThan(0);
    expect(native.filter((file) => !isUnpacked(file))).toEqual([]);
    expect(isUnpacked(path.join(repository, 'node_modules/sharp/lib/sharp.js'))).toBe(true);
    expect(isUnpacked(path.join(repository, 'out/main/index.js'))).toBe(false);
  });

  it('flips the Electron fuses that would let the packaged app run as Node or be inspected', () => {
    expect(config.electronFuses).toMatchObject({
      runAsNode: false,
      enableNodeOptionsEnvironmentVariable: false,
      enableNodeCliInspectArguments: false,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false
    });
  });

  it('builds AppImage and deb (category Graphics, with a maintainer) on Linux, NSIS on Windows, dmg on macOS', () => {
    expect(config.linux?.target).toEqual(['AppImage', 'deb']);
    expect(config.linux?.category).toBe('Graphics');
    expect(config.linux?.maintainer).toMatch(/^.+ <[^@\s]+@[^@\s]+>$/);
    expect(config.win?.target).toEqual(['nsis']);
    expect(config.mac?.target).toEqual(['dmg']);
  });
});
