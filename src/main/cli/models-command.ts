/** `zoe models list|install|import|verify|remove`: the model manager on the command line. */
import path from 'node:path';
import { toErrorValue } from '../../shared/errors';
import { readManifestFile } from '../models/layout';
import type { ModelListing, ModelManager } from '../models/manager';
import { EXIT_FAILED, EXIT_OK, type CliIo } from './io';
import { openModelManager } from './model-argument';
import { startProgress } from './progress';

export type ModelsAction = 'list' | 'install' | 'import' | 'verify' | 'remove';

/** Arguments of one `zoe models` action. */
export interface ModelsCommand {
  action: ModelsAction;
  /** Model id (install, verify, remove) or file (import). */
  target?: string;
  manifest?: string;
  replace?: boolean;
  json: boolean;
}

function megabytes(bytes: number | null): string {
  return bytes === null ? '' : `${(bytes / 1e6).toFixed(1)} MB`;
}

function listingLine(entry: ModelListing): string {
  const state = entry.state === 'not-installed' && entry.partialBytes !== null ? `partial (${megabytes(entry.partialBytes)})` : entry.state;
  const columns = [entry.id.padEnd(16), state.padEnd(20), megabytes(entry.sizeBytes).padStart(10), `  ${entry.title}`];
  return `${columns.join(' ')}${entry.problem === undefined ? '' : ` — ${entry.problem}`}\n`;
}

/** Runs the action; the manager is opened on the data folder with the bundled catalog. */
export async function runModelsCommand(command: ModelsCommand, context: { io: CliIo; dataDir: string; resourcesDir: string }): Promise<number> {
  const { io } = context;
  const out = (value: unknown): void => {
    io.stdout.write(`${JSON.stringify(value)}\n`);
  };
  try {
    const manager = await openModelManager(context.dataDir, context.resourcesDir);
    return await runAction(manager, command, io, out);
  } catch (error) {
    const value = toErrorValue(error);
    if (command.json) out({ ok: false, error: value });
    io.stderr.write(`zoe: ${value.message}\n`);
    return EXIT_FAILED;
  }
}

async function runAction(manager: ModelManager, command: ModelsCommand, io: CliIo, out: (value: unknown) => void): Promise<number> {
  const target = command.target ?? '';
  switch (command.action) {
    case 'list': {
      const models = await manager.list();
      if (command.json) {
        out({ modelsFolder: manager.modelsFolder, models: models.map(({ manifest: _manifest, ...entry }) => entry) });
      } else {
        io.stdout.write(`Models folder: ${manager.modelsFolder}\n`);
        for (const entry of models) io.stdout.write(listingLine(entry));
      }
      return EXIT_OK;
    }
    case 'install': {
      const bar = startProgress(io, `Downloading ${target}`, 1, 'MB');
      let total = 1;
      let installed;
      try {
        installed = await manager.install(target, {
          onProgress: (progress) => {
            const megabytesTotal = Math.max(1, Math.round((progress.totalBytes ?? progress.bytes) / 1e6));
            if (megabytesTotal !== total) bar.setTotal((total = megabytesTotal));
            bar.update(Math.round(progress.bytes / 1e6), `${megabytes(progress.bytesPerSecond)}/s${progress.resumed ? ', resumed' : ''}`);
          }
        });
      } finally {
        bar.stop();
      }
      if (command.json) out({ ok: true, id: target, modelPath: installed.modelPath });
      else io.stdout.write(`Installed ${target}: ${installed.modelPath}\n`);
      return EXIT_OK;
    }
    case 'import': {
      const filePath = path.resolve(io.cwd, target);
      const manifest = command.manifest === undefined ? undefined : await readManifestFile(path.resolve(io.cwd, command.manifest));
      const installed = await manager.import(filePath, manifest, { replace: command.replace === true });
      if (command.json) out({ ok: true, id: installed.manifest.id, modelPath: installed.modelPath, manifest: installed.manifest });
      else io.stdout.write(`Imported ${path.basename(filePath)} as “${installed.manifest.id}”: ${installed.modelPath}\n`);
      return EXIT_OK;
    }
    case 'verify': {
      const report = await manager.verify(target);
      if (command.json) {
        out(report);
      } else {
        io.stdout.write(`${target}: ${report.ok ? 'OK' : 'DAMAGED'} (${megabytes(report.sizeBytes)}, sha256 ${report.sha256}${report.checksumKnown ? ', checked against the catalog' : ''})\n`);
        for (const problem of report.problems) io.stdout.write(`  - ${problem}\n`);
      }
      if (!report.ok) io.stderr.write(`zoe: the model “${target}” is damaged; remove it and install it again.\n`);
      return report.ok ? EXIT_OK : EXIT_FAILED;
    }
    case 'remove': {
      await manager.remove(target);
      if (command.json) out({ ok: true, id: target });
      else io.stdout.write(`Removed ${target}.\n`);
      return EXIT_OK;
    }
  }
}
