/**
 * The test-tool bootstrap: vitest's globalSetup for each project (vitest.config.ts), so `npm test`,
 * `.ci/run` and any `npx vitest run --project …` get the tools of tools.ts before a test starts.
 * npm-shipped tools are unpacked once; missing Debian packages are installed with apt-get when
 * this runs as root (or sudo needs no password); otherwise it stops with the command to run.
 */
import { spawnSync } from 'node:child_process';
import type { TestProject } from 'vitest/node';
import { findTestTool, onPath, type FoundTool } from './find';
import { TEST_TOOLS, type TestProjectName, type TestToolSpec } from './tools';

export default async function setup(project: TestProject): Promise<void> {
  const specs = TEST_TOOLS.filter((tool) => tool.projects.includes(project.name as TestProjectName));
  if (specs.length === 0) return;
  const found = await ensureTestTools(specs);
  console.log(`Test tools for ${project.name}: ${found.map(({ spec, tool }) => `${spec.name} (${tool.source})`).join(', ')}`);
}

interface Ready {
  spec: TestToolSpec;
  tool: FoundTool;
}

/** Finds, unpacks or installs every tool of `specs`; throws one message listing what is still missing. */
export async function ensureTestTools(specs: readonly TestToolSpec[]): Promise<Ready[]> {
  const wrongEnv = specs.filter((spec) => spec.env !== undefined && process.env[spec.env] && findTestTool(spec) === null);
  if (wrongEnv.length > 0) {
    throw new Error(wrongEnv.map((spec) => `${spec.env}=${process.env[spec.env ?? '']} is not an executable file (for ${spec.name}).`).join('\n'));
  }
  const problems = new Map<string, string>();
  for (const spec of specs) {
    // The npm-shipped copy is preferred to a system one, so it is unpacked even when one exists.
    const chosenByEnv = spec.env !== undefined && Boolean(process.env[spec.env]);
    if (chosenByEnv || spec.npm?.supported() !== true || spec.npm.locate() !== null) continue;
    try {
      await spec.npm.prepare();
    } catch (error) {
      problems.set(spec.name, error instanceof Error ? error.message : String(error));
    }
  }
  let missing = specs.filter((spec) => findTestTool(spec) === null);
  const packages = [...new Set(missing.flatMap((spec) => (spec.install.debian === undefined ? [] : [spec.install.debian])))];
  if (packages.length > 0 && process.platform === 'linux' && onPath('apt-get') !== null) {
    const installed = aptInstall(packages, missing.map((spec) => spec.name));
    if (installed !== true) for (const spec of missing) problems.set(spec.name, installed);
    missing = specs.filter((spec) => findTestTool(spec) === null);
  }
  if (missing.length > 0) throw new Error(missingMessage(missing, problems));
  return specs.map((spec) => ({ spec, tool: findTestTool(spec) as FoundTool }));
}

/** Installs Debian packages (as root, or with sudo -n); true, or why it could not. */
function aptInstall(packages: readonly string[], forTools: readonly string[]): true | string {
  const isRoot = process.getuid?.() === 0;
  const sudo = isRoot ? [] : ['sudo', '-n'];
  if (!isRoot && (onPath('sudo') === null || spawnSync('sudo', ['-n', 'true'], { stdio: 'ignore' }).status !== 0)) {
    return 'installing Debian packages needs root, and sudo asks for a password';
  }
  console.log(`Test tools: installing the Debian package(s) ${packages.join(' ')} with apt-get, for ${forTools.join(', ')} (once)…`);
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  const apt = (args: string[]) => {
    const [program, ...rest] = [...sudo, 'apt-get', '-o', 'DPkg::Lock::Timeout=600', ...args];
    return spawnSync(program as string, rest, { env, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  };
  const update = apt(['update', '-q']);
  if (update.status !== 0) return `apt-get update failed: ${lastLines(update.stderr || update.stdout)}`;
  const install = apt(['install', '-y', '-q', ...packages]);
  if (install.status !== 0) return `apt-get install ${packages.join(' ')} failed: ${lastLines(install.stderr || install.stdout)}`;
  return true;
}

function lastLines(text: string | null): string {
  return (text ?? '').trim().split('\n').slice(-3).join(' / ');
}

function missingMessage(missing: readonly TestToolSpec[], problems: ReadonlyMap<string, string>): string {
  const lines = missing.map((spec) => {
    const problem = problems.get(spec.name);
    return `  ${spec.name}: ${spec.purpose}.${problem ? ` (${problem})` : ''}\n    install: ${installAdvice(spec)}`;
  });
  return `The tests need programs that are not installed:\n${lines.join('\n')}`;
}

/** The exact install command for this platform, and the variable that points at an existing copy. */
function installAdvice(spec: TestToolSpec): string {
  const override = spec.env === undefined ? '' : `, or set ${spec.env} to the program`;
  const { debian, brew, windows } = spec.install;
  if (process.platform === 'darwin' && brew !== undefined) return `brew install ${brew}${override}`;
  if (process.platform === 'win32' && windows !== undefined) return `${windows}${override}`;
  if (debian !== undefined) return `sudo apt-get install ${debian} (Debian/Ubuntu; elsewhere the package of that name)${override}`;
  return `put ${spec.name} on PATH${override}`;
}
