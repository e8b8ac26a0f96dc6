/**
 * The Electron binary for `npm start`, `npm run dev` and `npm run dist`. Electron 45 no longer
 * downloads it at `npm install` but on first use, and electron-vite does not trigger that (it reads
 * node_modules/electron/path.txt and fails with "Electron uninstall"). This runs Electron's own
 * installer (node_modules/electron/install.js, i.e. @electron/get: ELECTRON_MIRROR, the cache in
 * electron_config_cache, proxies with ELECTRON_GET_USE_PROXY, checksums) when the binary is missing,
 * honours ELECTRON_OVERRIDE_DIST_PATH as Electron's index.js does, and turns a failed download into
 * one sentence saying what to set.
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';

export interface ElectronBinary {
  /** The executable (ELECTRON_EXEC_PATH for electron-vite). */
  executable: string;
  /** The folder of the unpacked Electron (electronDist for electron-builder). */
  distFolder: string;
  version: string;
}

/** A download that could not happen: `message` is the one line to show. */
export class ElectronDownloadError extends Error {
  override readonly name = 'ElectronDownloadError';
}

/** Where the executable sits inside an unpacked Electron, as install.js names it (path.txt). */
function platformPath(platform: NodeJS.Platform | string): string {
  if (platform === 'darwin' || platform === 'mas') return 'Electron.app/Contents/MacOS/Electron';
  if (platform === 'win32') return 'electron.exe';
  return 'electron';
}

/**
 * The Electron binary, downloaded first when it is missing. `electronPackage` is the folder of the
 * electron npm package (the project's own by default).
 */
export async function ensureElectronBinary(
  electronPackage = path.dirname(require.resolve('electron/package.json')),
  log: (line: string) => void = (line) => console.log(line)
): Promise<ElectronBinary> {
  const { version } = JSON.parse(readFileSync(path.join(electronPackage, 'package.json'), 'utf8')) as { version: string };
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executable = path.join(override, platformPath(process.platform));
    if (!existsSync(executable)) {
      throw new ElectronDownloadError(`ELECTRON_OVERRIDE_DIST_PATH is ${override}, but there is no ${platformPath(process.platform)} in it: point it at an unpacked Electron ${version}.`);
    }
    return { executable, distFolder: override, version };
  }
  const distFolder = path.join(electronPackage, 'dist');
  const installed = installedExecutable(electronPackage, version);
  if (installed !== null) return { executable: installed, distFolder, version };

  const target = `${process.env.ELECTRON_INSTALL_PLATFORM ?? process.platform}-${process.env.ELECTRON_INSTALL_ARCH ?? process.arch}`;
  log(`Downloading the Electron ${version} binary for ${target} (once; about 100 MB)…`);
  const attempt = await runInstaller(electronPackage);
  const executable = installedExecutable(electronPackage, version);
  if (attempt.failure === null && executable !== null) {
    log(`Electron ${version} is installed in ${distFolder}.`);
    return { executable, distFolder, version };
  }
  const reason = attempt.failure ?? 'the installer left no binary';
  throw new ElectronDownloadError(
    `Could not download Electron ${version} for ${target}${attempt.url ? ` from ${attempt.url}` : ''} (${reason}). ` +
      'Offline or behind a proxy? Set ELECTRON_MIRROR to a mirror you can reach (ELECTRON_GET_USE_PROXY=1 with HTTPS_PROXY for a proxy), ' +
      `or ELECTRON_OVERRIDE_DIST_PATH to a folder holding an unpacked Electron ${version}.`
  );
}

/** The executable if install.js has put this version in place (its own isInstalled test), else null. */
function installedExecutable(electronPackage: string, version: string): string | null {
  try {
    const installedVersion = readFileSync(path.join(electronPackage, 'dist', 'version'), 'utf8').trim().replace(/^v/, '');
    const relative = readFileSync(path.join(electronPackage, 'path.txt'), 'utf8');
    const executable = path.join(electronPackage, 'dist', relative);
    return installedVersion === version && existsSync(executable) ? executable : null;
  } catch {
    return null;
  }
}

interface InstallAttempt {
  /** null when install.js succeeded, else what went wrong, in a few words. */
  failure: string | null;
  /** The address it downloaded from, as @electron/get logs it. */
  url: string | null;
}

/** Runs Electron's install.js, with @electron/get's debug log on to learn the address it tried. */
function runInstaller(electronPackage: string): Promise<InstallAttempt> {
  const debug = [process.env.DEBUG, '@electron/get:index'].filter(Boolean).join(',');
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [path.join(electronPackage, 'install.js')], {
      cwd: electronPackage,
      env: { ...process.env, DEBUG: debug },
      stdio: ['ignore', 'inherit', 'pipe']
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', (error) => resolve({ failure: error.message, url: null }));
    child.on('exit', (code, signal) => {
      const url = /Downloading (\S+) to /.exec(stderr)?.[1] ?? null;
      if (code === 0) return resolve({ failure: null, url });
      // install.js prints the error's stack: its first line (past the debug log) says what went wrong.
      const firstLine = stderr
        .split('\n')
        .find((line) => line.trim() !== '' && !line.startsWith('    at ') && !line.includes('@electron/get:'));
      const failure = firstLine?.trim().replace(/^(?:Type|HTTP|Request)?Error: /, '') ?? `install.js ended with ${signal ?? `exit status ${code}`}`;
      if (failure !== 'fetch failed' || url === null) return resolve({ failure, url });
      // Node's fetch hides the cause ("fetch failed"); one quick request to the same address tells it.
      void connectionProblem(url).then((cause) => resolve({ failure: cause ?? failure, url }));
    });
  });
}

/** Why a request to `url` cannot connect (refused, unknown host, timed out, certificate…), or null if it can. */
async function connectionProblem(url: string): Promise<string | null> {
  try {
    await fetch(url, { method: 'HEAD', signal: AbortSignal.timeout(10_000) });
    return null;
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (error instanceof Error && error.name === 'TimeoutError') return 'no answer within 10 s';
    return cause?.message ?? (error instanceof Error ? error.message : String(error));
  }
}
