/**
 * A throw-away copy of the project whose node_modules/electron is the package without its binary
 * (as on a fresh clone after `npm install`), every other dependency linked to the real one; and a
 * local Electron mirror that records what it was asked for.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, symlink } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import { REPOSITORY_ROOT } from '../../host/services';

export const ELECTRON_VERSION = (JSON.parse(readFileSync(path.join(REPOSITORY_ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;

/** The project (package.json, the Electron tools, node_modules) with Electron's binary missing. */
export async function projectWithoutElectronBinary(): Promise<string> {
  const project = await mkdtemp(path.join(os.tmpdir(), 'zoe-fresh-clone-'));
  await cp(path.join(REPOSITORY_ROOT, 'package.json'), path.join(project, 'package.json'));
  await mkdir(path.join(project, 'tools'));
  for (const file of ['electron.ts', 'electron-binary.ts']) {
    await cp(path.join(REPOSITORY_ROOT, 'tools', file), path.join(project, 'tools', file));
  }
  const modules = path.join(REPOSITORY_ROOT, 'node_modules');
  await mkdir(path.join(project, 'node_modules'));
  for (const entry of await readdir(modules)) {
    if (entry === 'electron' || entry === '.cache') continue;
    await symlink(path.join(modules, entry), path.join(project, 'node_modules', entry));
  }
  const electron = path.join(modules, 'electron');
  await cp(electron, path.join(project, 'node_modules', 'electron'), {
    recursive: true,
    filter: (source) => {
      const relative = path.relative(electron, source);
      return relative !== 'dist' && !relative.startsWith(`dist${path.sep}`) && relative !== 'path.txt';
    }
  });
  return project;
}

export interface Mirror {
  url: string;
  requests: string[];
  close(): Promise<void>;
}

/** A local HTTP server answering `files` by path (404 for anything else), recording each request. */
export async function startMirror(files: ReadonlyMap<string, Buffer> = new Map()): Promise<Mirror> {
  const requests: string[] = [];
  const server: Server = createServer((request, response) => {
    const url = request.url ?? '';
    requests.push(url);
    const body = files.get(url);
    if (body === undefined) {
      response.writeHead(404).end('Not Found');
    } else {
      response.writeHead(200, { 'content-length': body.length }).end(request.method === 'HEAD' ? undefined : body);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return {
    url: `http://127.0.0.1:${address.port}/`,
    requests,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  };
}

/** A port on this machine that nothing listens on (bound, then released). */
export async function closedPort(): Promise<number> {
  const mirror = await startMirror();
  await mirror.close();
  return Number(new URL(mirror.url).port);
}

/** Electron's release file name for this machine, as @electron/get asks a mirror for it. */
export function electronZipName(version = ELECTRON_VERSION): string {
  return `electron-v${version}-${process.platform}-${process.arch}.zip`;
}

/** SHASUMS256.txt for the given files, as Electron's releases publish it. */
export function shasums(files: ReadonlyMap<string, Buffer>): Buffer {
  const lines = [...files].map(([name, body]) => `${createHash('sha256').update(body).digest('hex')} *${name}`);
  return Buffer.from(`${lines.join('\n')}\n`);
}

/** A zip archive of stored (uncompressed) files, each with its Unix mode. */
export function zipOf(entries: readonly { name: string; body: Buffer; mode: number }[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const { name, body, mode } of entries) {
    const fileName = Buffer.from(name);
    const checksum = crc32(body);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(checksum, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(body.length, 22);
    local.writeUInt16LE(fileName.length, 26);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix, so the mode below counts
    central.writeUInt16LE(20, 6);
    central.writeUInt32LE(checksum, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(body.length, 24);
    central.writeUInt16LE(fileName.length, 28);
    central.writeUInt32LE(((0o100000 | mode) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, fileName, body);
    centrals.push(central, fileName);
    offset += local.length + fileName.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
