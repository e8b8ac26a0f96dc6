/**
 * Which models see a photo in its own shape, which squash it, and which one a new user gets: through
 * the real handler table, with the bundled catalog and real imported test models.
 */
import { copyFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCatalog } from '../../../src/main/depth';
import { REPO_ROOT } from '../../helpers/depth-fixtures';
import { compareFidelity, fidelityFactsOf, mostFaithful } from '../../../src/shared/model-fidelity';
import { modelManifestSchema } from '../../../src/shared/manifest';
import { FIXTURE_MODELS, startHarness, type Harness } from '../jobs/harness';

let harness: Harness;

beforeAll(async () => {
  harness = await startHarness();
});

afterAll(async () => {
  await harness.close();
});

async function importModel(stem: string): Promise<void> {
  for (const ending of ['onnx', 'json']) await copyFile(path.join(FIXTURE_MODELS, `${stem}.${ending}`), path.join(harness.workDir, `${stem}.${ending}`));
  harness.services.setNextModelFile(path.join(harness.workDir, `${stem}.onnx`));
  await harness.value('models.import');
}

describe('the bundled catalog says how each entry departs from the original', () => {
  it('every fixed-size entry states that it squashes photos, in numbers the original really uses', async () => {
    const catalog = await loadCatalog(path.join(REPO_ROOT, 'resources'));
    for (const model of catalog.models) {
      expect(fidelityFactsOf(model).photoShape.kind).toBe('squashed');
      expect(model.differencesFromOriginal?.join(' ')).toMatch(/squashed/);
    }
    // The sizes quoted are the ones photo-shapes.test.ts checks against the original's code.
    expect(catalog.models.find((m) => m.id === 'zoed-n')?.differencesFromOriginal?.[0]).toMatch(/3:2 DSLR frame as 384×576, a portrait phone photo as 672×512/);
    expect(catalog.models.find((m) => m.id === 'zoed-k')?.differencesFromOriginal?.[0]).toMatch(/4:3 photo as 576×768, a 3:2 DSLR frame as 512×768/);
  });
});

describe('models.list: photo shape, differences, recommendation and the default model', () => {
  it('recommends the automatic 4:3 model of the catalog to a new user, and marks every catalog entry as squashing', async () => {
    const overview = await harness.value('models.list');
    expect(overview.selectedModelId).toBeNull();
    expect(overview.models.filter((model) => model.recommended).map((model) => model.id)).toEqual(['zoed-nk']);
    for (const model of overview.models) {
      expect(model.photoShape.kind).toBe('squashed');
      expect(model.differencesFromOriginal.length).toBeGreaterThan(0);
      expect(model.precision).toBe('fp32');
    }
  });

  it('with no model chosen, jobs use the most faithful installed one: the own-shape model before a fixed one', async () => {
    await importModel('zoe-fixed');
    await importModel('zoe-dynamic-position');
    await harness.value('settings.set', { modelId: null });
    const overview = await harness.value('models.list');
    const dynamic = overview.models.find((model) => model.id === 'test-dynamic-position');
    expect(dynamic?.photoShape).toEqual({ kind: 'own-shape', targetHeight: 384, targetWidth: 512, multipleOf: 32 });
    expect(overview.models.find((model) => model.id === 'test-fixed')?.photoShape).toEqual({ kind: 'squashed', height: 384, width: 512 });
    expect(overview.selectedModelId).toBe('test-dynamic-position');
    expect((await harness.value('depth.status')).modelId).toBe('test-dynamic-position');
  });
});

describe('fidelity ranking', () => {
  const base = modelManifestSchema.parse({
    id: 'x',
    title: 'x',
    licence: { name: 'MIT' },
    input: { layout: 'NCHW', valueRange: '0-1', size: { kind: 'dynamic', targetHeight: 384, targetWidth: 512 }, normalisation: { kind: 'in-graph' } },
    output: { unit: 'metres', kind: 'metric' },
    depthRange: { min: 0.001, max: 10 },
    domain: 'indoor',
    defaults: {}
  });
  const fixed = (width: number): typeof base => ({ ...base, input: { ...base.input, size: { kind: 'fixed', height: 384, width } } });

  it('own shape, then own shape with stated differences, then fixed 4:3, then other fixed sizes; fp32 before fp16 before int8', () => {
    const ranked = [
      { name: 'int8', manifest: { ...base, variant: { of: 'x', precision: 'int8' as const } } },
      { name: 'fixed 2:1', manifest: fixed(768) },
      { name: 'own shape, differs', manifest: { ...base, differencesFromOriginal: ['Pads differently.'] } },
      { name: 'fixed 4:3', manifest: fixed(512) },
      { name: 'fp16', manifest: { ...base, variant: { of: 'x', precision: 'fp16' as const } } },
      { name: 'own shape', manifest: base }
    ].sort((a, b) => compareFidelity(fidelityFactsOf(a.manifest), fidelityFactsOf(b.manifest)));
    expect(ranked.map((entry) => entry.name)).toEqual(['own shape', 'fp16', 'int8', 'own shape, differs', 'fixed 4:3', 'fixed 2:1']);
    expect(mostFaithful([fixed(768), { ...base, domain: 'auto' as const }, base], fidelityFactsOf)?.domain).toBe('auto');
    expect(mostFaithful([], fidelityFactsOf)).toBeUndefined();
  });
});
