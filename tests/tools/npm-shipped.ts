/**
 * Test tools that arrive with `npm install`, as devDependencies: a Chromium for Linux x64
 * (@sparticuz/chromium: chrome-headless-shell with the few shared libraries it needs, fonts and
 * SwiftShader for WebGL, brotli-compressed inside the package) and ExifTool (exiftool-vendored,
 * which installs the Perl ExifTool, or the Windows executable on Windows).
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';

const require = createRequire(__filename);
const repositoryRoot = path.resolve(__dirname, '../..');

/** A program the tests can run: its path and what its environment needs on top of ours. */
export interface FoundTool {
  file: string;
  env: Record<string, string>;
  /** Where it came from, for the bootstrap's summary line. */
  source: string;
}

export interface NpmShippedTool {
  /** The devDependency that ships it. */
  packageName: string;
  /** Whether the package has a build for this platform. */
  supported(): boolean;
  /** The program if it is ready to run now; never writes anything. */
  locate(): FoundTool | null;
  /** Makes it ready (unpacks it once, where needed), then locates it. */
  prepare(): Promise<FoundTool>;
}

/** The folder of an installed package, resolved from `from` (a folder) like Node resolves it. */
function packageFolder(name: string, from = repositoryRoot): string | null {
  try {
    return path.dirname(createRequire(path.join(from, 'noop.js')).resolve(`${name}/package.json`));
  } catch {
    return null;
  }
}

async function packageVersion(folder: string): Promise<string> {
  const manifest = JSON.parse(await readFile(path.join(folder, 'package.json'), 'utf8')) as { version?: unknown };
  return String(manifest.version);
}

export const exiftoolVendored: NpmShippedTool = {
  packageName: 'exiftool-vendored',
  supported: () => exiftoolFile() !== null,
  locate() {
    const file = exiftoolFile();
    return file === null ? null : { file, env: {}, source: `npm ${path.basename(path.dirname(path.dirname(file)))}` };
  },
  prepare() {
    const found = this.locate();
    if (found === null) return Promise.reject(new Error('exiftool-vendored installed no ExifTool for this platform'));
    return Promise.resolve(found);
  }
};

/** exiftool-vendored depends on exiftool-vendored.pl (not Windows) and .exe (Windows), optionally. */
function exiftoolFile(): string | null {
  const wrapper = packageFolder('exiftool-vendored');
  if (wrapper === null) return null;
  const flavour = process.platform === 'win32' ? 'exiftool-vendored.exe' : 'exiftool-vendored.pl';
  const folder = packageFolder(flavour, wrapper);
  if (folder === null) return null;
  const file = path.join(folder, 'bin', process.platform === 'win32' ? 'exiftool.exe' : 'exiftool');
  return existsSync(file) ? file : null;
}

const CHROMIUM_ARCHIVES = ['chromium.br', 'al2023.tar.br', 'swiftshader.tar.br', 'fonts.tar.br'];

export const sparticuzChromium: NpmShippedTool = {
  packageName: '@sparticuz/chromium',
  supported: () => process.platform === 'linux' && process.arch === 'x64' && chromiumPackage() !== null,
  locate() {
    const unpacked = chromiumFolderIfUnpacked();
    return unpacked === null ? null : chromiumIn(unpacked.folder, unpacked.version);
  },
  async prepare() {
    const found = this.locate();
    if (found !== null) return found;
    const packageDir = chromiumPackage();
    if (packageDir === null) throw new Error('@sparticuz/chromium is not installed (npm install)');
    const version = await packageVersion(packageDir);
    const folder = chromiumFolder(version);
    await unpackChromium(packageDir, folder);
    return chromiumIn(folder, version);
  }
};

function chromiumPackage(): string | null {
  // Its `exports` hides package.json: resolve the entry point (build/index.js) and go up.
  try {
    return path.resolve(path.dirname(require.resolve('@sparticuz/chromium')), '..');
  } catch {
    return null;
  }
}

function chromiumFolder(version: string): string {
  return path.join(repositoryRoot, 'node_modules', '.cache', 'zoe-test-tools', `sparticuz-chromium-${version}`);
}

function chromiumFolderIfUnpacked(): { folder: string; version: string } | null {
  const packageDir = chromiumPackage();
  if (packageDir === null) return null;
  const version = (require(path.join(packageDir, 'package.json')) as { version: string }).version;
  const folder = chromiumFolder(version);
  return existsSync(path.join(folder, '.complete')) ? { folder, version } : null;
}

function chromiumIn(folder: string, version: string): FoundTool {
  return {
    file: path.join(folder, 'chromium'),
    env: {
      // The package's NSS, NSPR and expat: all Chromium needs beyond glibc, so a bare Debian runs it.
      LD_LIBRARY_PATH: [path.join(folder, 'al2023', 'lib'), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
      FONTCONFIG_PATH: path.join(folder, 'fontconfig')
    },
    source: `npm @sparticuz/chromium ${version}`
  };
}

/**
 * Unpacks the package's archives with its own `inflate` (which writes into os.tmpdir(), hence a
 * child process with TMPDIR pointing at a staging folder), adds a fontconfig file that finds the
 * system's fonts and the package's Open Sans, then renames the folder into place: a run that is
 * stopped halfway leaves only a staging folder, which the next run replaces.
 */
async function unpackChromium(packageDir: string, folder: string): Promise<void> {
  const staging = `${folder}.staging-${process.pid}`;
  await rm(staging, { recursive: true, force: true });
  await mkdir(staging, { recursive: true });
  const archives = CHROMIUM_ARCHIVES.map((name) => path.join(packageDir, 'bin', name));
  const script = `import { inflate } from '@sparticuz/chromium';
for (const archive of JSON.parse(process.argv[1])) await inflate(archive);`;
  await runNode(['--input-type=module', '-e', script, JSON.stringify(archives)], { ...process.env, TMPDIR: staging });
  await mkdir(path.join(staging, 'fontconfig'));
  await writeFile(
    path.join(staging, 'fontconfig', 'fonts.conf'),
    `<?xml version="1.0"?>
<!DOCTYPE fontconfig SYSTEM "fonts.dtd">
<fontconfig>
  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>
  <dir>/usr/share/fonts</dir>
  <dir>${path.join(folder, 'fonts', 'fonts')}</dir>
  <cachedir>${path.join(folder, 'fontconfig', 'cache')}</cachedir>
</fontconfig>
`
  );
  await writeFile(path.join(staging, '.complete'), '');
  await rm(folder, { recursive: true, force: true });
  try {
    await rename(staging, folder);
  } catch (error) {
    // Another test run unpacked the same version at the same moment: keep theirs.
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(path.join(folder, '.complete'))) throw error;
  }
}

function runNode(args: string[], env: NodeJS.ProcessEnv): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { cwd: repositoryRoot, env, stdio: ['ignore', 'inherit', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`unpacking @sparticuz/chromium failed (exit ${code}): ${stderr.trim()}`))
    );
  });
}
