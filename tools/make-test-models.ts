/**
 * `npm run models:test`: writes the small test models (and their manifests) into
 * tests/fixtures/models/ (git-ignored). See test-models.ts for what they compute.
 */
import { join } from 'node:path';
import { writeTestModels } from './test-models';

async function main(): Promise<void> {
  const started = performance.now();
  const dir = join(__dirname, '..', 'tests', 'fixtures', 'models');
  const written = await writeTestModels(dir);
  console.log(`Wrote ${written.length} test models into ${dir} in ${Math.round(performance.now() - started)} ms`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
