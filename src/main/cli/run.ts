/** Parses the arguments of `zoe` (commander) and runs the command; resolves to the process exit code. */
import path from 'node:path';
import { Command, CommanderError, Option } from 'commander';
import { COLORMAP_NAMES } from '../../shared/colormaps';
import type { DevicePreference } from '../../shared/depth';
import { defaultDataDir, defaultResourcesDir } from './data-dir';
import { runDepthCommand, type DepthCommandOptions } from './depth-command';
import { CLI_FORMATS, CONFLICT_CHOICES } from './outputs';
import { EXIT_OK, EXIT_USAGE, processIo, type CliIo } from './io';
import { runModelsCommand, type ModelsAction } from './models-command';
import { registerMeasureCommand } from './measure-command';
import { CliUsageError } from './usage';

interface GlobalOptions {
  dataDir?: string;
}

function buildProgram(io: CliIo, setResult: (run: () => Promise<number>) => void): Command {
  const program = new Command('zoe')
    .description('Zoe Studio on the command line: metric depth for photos with ZoeDepth.')
    .option('--data-dir <folder>', 'where models and caches live (default: the Zoe Studio app data folder, or $ZOE_DATA_DIR)')
    .exitOverride()
    .configureOutput({ writeOut: (text) => io.stdout.write(text), writeErr: (text) => io.stderr.write(text) })
    .showHelpAfterError('(run “zoe --help” for usage)');

  const context = (): { io: CliIo; dataDir: string; resourcesDir: string } => {
    const global = program.opts<GlobalOptions>();
    return {
      io,
      dataDir: global.dataDir !== undefined && global.dataDir !== '' ? path.resolve(io.cwd, global.dataDir) : defaultDataDir(io.env),
      resourcesDir: io.resourcesDir ?? defaultResourcesDir(io.env)
    };
  };

  program
    .command('depth')
    .description('estimate metric depth for photos; writes <out>/<photo>.depth.png (uint16, metres × 256) or the --format chosen, and <photo>.depth.json')
    .argument('<photos...>', 'photo files and folders of photos')
    .requiredOption('--model <model>', 'a catalog model id (installed) or a path to an .onnx file')
    .option('--manifest <file>', 'manifest for a model file (default: <model>.json beside it, else inferred)')
    .requiredOption('--out <folder>', 'folder to write the depth files to')
    .option('--format <formats>', `output formats, comma separated: ${CLI_FORMATS.join(', ')}`, 'png16')
    .addOption(new Option('--resolution <resolution>', 'photo: the photo\'s own upright size; model: the model\'s output grid').choices(['photo', 'model']).default('photo'))
    .option('--colormap <name>', `colour map of png8 and jpg: ${COLORMAP_NAMES.join(', ')}`, 'turbo')
    .option('--png16-scale <scale>', 'png16 values per metre: 256 (ZoeDepth, KITTI) or mm (millimetres)', '256')
    .option('--subsample <n>', 'keep every n-th depth sample along x and y in ply and glb')
    .addOption(
      new Option('--on-conflict <choice>', 'when an output name is taken: overwrite (only files an earlier export wrote), suffix, fail')
        .choices(CONFLICT_CHOICES)
        .default('overwrite')
    )
    .option('--flip', 'average with the mirrored photo (the model default)')
    .option('--no-flip', 'do not average with the mirrored photo')
    .option('--pad', 'reflect-pad the photo before the model sees it (the model default)')
    .option('--no-pad', 'do not pad the photo')
    .addOption(new Option('--device <device>', 'where to run the model').choices(['auto', 'cpu', 'gpu']).default('auto'))
    .option('-r, --recursive', 'include photos in subfolders of the folders given', false)
    .option('--no-cache', 'always run the model (do not use or fill the depth cache)')
    .option('--json', 'print one JSON line per photo', false)
    .action((photos: string[], options: DepthCommandOptions & { device: DevicePreference }) => {
      setResult(() => runDepthCommand(photos, options, context()));
    });

  registerMeasureCommand(program, setResult, context);

  const models = program.command('models').description('list, install, import, verify and remove depth models');
  const modelsAction = (action: ModelsAction, target: string | undefined, options: { json?: boolean; manifest?: string; replace?: boolean }): void => {
    setResult(() =>
      runModelsCommand(
        {
          action,
          ...(target === undefined ? {} : { target }),
          ...(options.manifest === undefined ? {} : { manifest: options.manifest }),
          replace: options.replace === true,
          json: options.json === true
        },
        context()
      )
    );
  };
  models
    .command('list')
    .description('catalog and imported models with their state')
    .option('--json', 'print JSON')
    .action((options: { json?: boolean }) => modelsAction('list', undefined, options));
  models
    .command('install')
    .description('download a catalog model (resumes an interrupted download)')
    .argument('<id>', 'catalog model id, e.g. zoed-n')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) => modelsAction('install', id, options));
  models
    .command('import')
    .description('copy a local .onnx model into the models folder, checking its inputs and outputs')
    .argument('<file>', 'the .onnx file')
    .option('--manifest <file>', 'its manifest (default: inferred from its input shape)')
    .option('--replace', 'replace an installed model of the same id')
    .option('--json', 'print JSON')
    .action((file: string, options: { json?: boolean; manifest?: string; replace?: boolean }) => modelsAction('import', file, options));
  models
    .command('verify')
    .description('check an installed model: size, sha256, and a real ONNX Runtime session')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) => modelsAction('verify', id, options));
  models
    .command('remove')
    .description('delete an installed model')
    .argument('<id>')
    .option('--json', 'print JSON')
    .action((id: string, options: { json?: boolean }) => modelsAction('remove', id, options));
  return program;
}

/**
 * Runs `zoe` with `argv` (without `node` and the script), talking to `io` (the real process by
 * default). Resolves to the exit code: 0 done, 1 something failed (a photo, a model), 2 usage.
 */
export async function runCli(argv: readonly string[], io: CliIo = processIo()): Promise<number> {
  let run: (() => Promise<number>) | undefined;
  const program = buildProgram(io, (next) => {
    run = next;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version') return EXIT_OK;
      return EXIT_USAGE;
    }
    throw error;
  }
  if (run === undefined) {
    program.outputHelp();
    return argv.length === 0 ? EXIT_OK : EXIT_USAGE;
  }
  try {
    return await run();
  } catch (error) {
    if (error instanceof CliUsageError) {
      io.stderr.write(`zoe: ${error.message}\n`);
      return EXIT_USAGE;
    }
    throw error;
  }
}
