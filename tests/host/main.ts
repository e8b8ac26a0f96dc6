/**
 * Starts the WebSocket test host for a developer to open the real renderer in their own browser:
 *
 *   npx electron-vite build          # once, or after renderer changes
 *   npx tsx tests/host/main.ts [folder]
 *
 * `folder` is what "Open folder" picks (there is no native folder chooser in a browser).
 * `ZOE_TEST_HOST_RENDERER` serves another built renderer than `out/renderer`. Ctrl+C stops the host.
 */
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { startTestHost } from './server';

async function main(argv: readonly string[]): Promise<number> {
  const folderArgument = argv[0];
  if (argv.length > 1 || folderArgument === '--help' || folderArgument === '-h') {
    process.stdout.write('usage: npx tsx tests/host/main.ts [folder]\n');
    return folderArgument === '--help' || folderArgument === '-h' ? 0 : 2;
  }
  const folder = folderArgument === undefined ? null : path.resolve(folderArgument);
  if (folder !== null && !(existsSync(folder) && statSync(folder).isDirectory())) {
    process.stderr.write(`There is no folder at ${folder}.\n`);
    return 2;
  }
  let host;
  try {
    const rendererDir = process.env.ZOE_TEST_HOST_RENDERER;
    host = await startTestHost(rendererDir === undefined || rendererDir === '' ? { folder } : { folder, rendererDir });
  } catch (error) {
    process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  process.stdout.write(`Zoe Studio test host: open ${host.url}\n`);
  process.stdout.write(folder === null ? '“Open folder” will cancel (no folder given).\n' : `“Open folder” picks ${folder}\n`);
  const stop = (): void => {
    void host.close().then(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return 0;
}

void main(process.argv.slice(2)).then((code) => {
  if (code !== 0) process.exitCode = code;
});
