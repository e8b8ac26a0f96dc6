/**
 * Where `zoe` keeps models and caches: the same folder the desktop app uses, so that models
 * installed in one are seen by the other.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export const PRODUCT_NAME = 'Zoe Studio';

/**
 * The folder Electron's `app.getPath('userData')` gives for productName "Zoe Studio":
 * `%APPDATA%\Zoe Studio` on Windows, `~/Library/Application Support/Zoe Studio` on macOS,
 * `$XDG_CONFIG_HOME/Zoe Studio` (default `~/.config`) elsewhere. `ZOE_DATA_DIR` overrides it.
 */
export function defaultDataDir(
  env: Readonly<Record<string, string | undefined>>,
  platform: NodeJS.Platform = process.platform,
  home: string = os.homedir()
): string {
  const override = env.ZOE_DATA_DIR;
  if (override !== undefined && override !== '') return path.resolve(override);
  if (platform === 'win32') return path.win32.join(env.APPDATA ?? path.win32.join(home, 'AppData', 'Roaming'), PRODUCT_NAME);
  if (platform === 'darwin') return path.posix.join(home, 'Library', 'Application Support', PRODUCT_NAME);
  const config = env.XDG_CONFIG_HOME !== undefined && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : path.posix.join(home, '.config');
  return path.posix.join(config, PRODUCT_NAME);
}

/**
 * The bundled resources folder (with `models/catalog.json`): `ZOE_RESOURCES_DIR`, else
 * `resources/` of the checkout or package, found from the built `out/main/cli.js` or from the sources.
 */
export function defaultResourcesDir(env: Readonly<Record<string, string | undefined>>): string {
  const override = env.ZOE_RESOURCES_DIR;
  if (override !== undefined && override !== '') return path.resolve(override);
  const besideBuild = path.resolve(__dirname, '..', '..', 'resources'); // out/main/cli.js
  const besideSources = path.resolve(__dirname, '..', '..', '..', 'resources'); // src/main/cli/*.ts
  return [besideBuild, besideSources].find((candidate) => existsSync(path.join(candidate, 'models', 'catalog.json'))) ?? besideBuild;
}
