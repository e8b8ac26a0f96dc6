/**
 * `npm start`, `npm run dev`, `npm run dist`: make sure the Electron binary is there (downloading it
 * the first time, see electron-binary.ts), then run the steps below with electron-vite and
 * electron-builder pointed at that binary. Extra arguments go to the last step.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { ElectronDownloadError, ensureElectronBinary, type ElectronBinary } from './electron-binary';

const root = path.resolve(__dirname, '..');

/** Each command's steps: a package's bin (run with this Node) or `npm run <script>`. */
const COMMANDS: Record<string, (binary: ElectronBinary) => string[][]> = {
  start: () => [
    ['electron-vite', 'build'],
    ['electron-vite', 'preview', '--skipBuild']
  ],
  dev: () => [['electron-vite', 'dev']],
  // electron-builder packages the binary we have instead of downloading its own copy.
  dist: (binary) => [
    ['npm', 'run', 'build'],
    ['electron-builder', `--config.electronDist=${binary.distFolder}`]
  ]
};

const BINS: Record<string, string> = {
  'electron-vite': 'electron-vite/bin/electron-vite.js',
  'electron-builder': 'electron-builder/cli.js'
};

function run(step: string[], env: NodeJS.ProcessEnv): Promise<number> {
  const [program = '', ...args] = step;
  const bin = BINS[program];
  const [file, argv] =
    bin !== undefined ? [process.execPath, [require.resolve(bin), ...args]] : [program, args];
  return new Promise((resolve) => {
    const child = spawn(file, argv, { cwd: root, env, stdio: 'inherit', shell: bin === undefined && process.platform === 'win32' });
    child.on('error', (error) => {
      console.error(`${program}: ${error.message}`);
      resolve(1);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal === 'SIGINT' ? 130 : 1)));
  });
}

async function main(): Promise<number> {
  const [command = '', ...extra] = process.argv.slice(2);
  const steps = COMMANDS[command];
  if (steps === undefined) {
    console.error(`usage: tsx tools/electron.ts ${Object.keys(COMMANDS).join('|')} [arguments for the last step]`);
    return 2;
  }
  let binary: ElectronBinary;
  try {
    binary = await ensureElectronBinary();
  } catch (error) {
    if (!(error instanceof ElectronDownloadError)) throw error;
    console.error(`✗ ${error.message}`);
    return 1;
  }
  const env = { ...process.env, ELECTRON_EXEC_PATH: binary.executable };
  const planned = steps(binary);
  for (const [index, step] of planned.entries()) {
    const status = await run(index === planned.length - 1 ? [...step, ...extra] : step, env);
    if (status !== 0) return status;
  }
  return 0;
}

main().then(
  (status) => (process.exitCode = status),
  (error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  }
);
