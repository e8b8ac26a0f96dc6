/**
 * Which relative depth error an uncertainty band uses. With a model it is the model manifest's
 * `relativeError`. A depth file does not carry one, so: the figure of the model named in the
 * file's Zoe Studio side-car (`<name>.depth.json`) when the catalog knows that model, else the
 * largest figure among the catalog's models (a cautious default, said so in the source text).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { z } from 'zod';
import type { ModelManifest } from '../../shared/manifest';
import { loadCatalog } from '../depth';
import { SIDECAR_KIND } from '../export/sidecar';
import { catalogRootOf } from '../studio/studio';

/** A relative error and, in words, where it comes from. */
export interface RelativeErrorChoice {
  value: number;
  source: string;
}

const sidecarModel = z.looseObject({ kind: z.literal(SIDECAR_KIND), model: z.looseObject({ id: z.string() }) });

/** The model id a depth file's side-car names, if there is a readable one beside it. */
async function sidecarModelId(depthPath: string): Promise<string | null> {
  const sidecarPath = path.join(path.dirname(depthPath), `${path.basename(depthPath, path.extname(depthPath))}.json`);
  const text = await readFile(sidecarPath, 'utf8').catch(() => null);
  if (text === null) return null;
  try {
    const parsed = sidecarModel.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data.model.id : null;
  } catch {
    return null;
  }
}

function stated(manifest: ModelManifest): RelativeErrorChoice | null {
  return manifest.relativeError === undefined ? null : { value: manifest.relativeError.value, source: manifest.relativeError.source };
}

/** The relative error for depth read from `depthPath`; null when no figure is known at all. */
export async function fileRelativeError(depthPath: string, resourcesDir: string): Promise<RelativeErrorChoice | null> {
  let models: ModelManifest[];
  try {
    models = (await loadCatalog(catalogRootOf(resourcesDir))).models;
  } catch {
    return null;
  }
  const namedId = await sidecarModelId(depthPath);
  const named = namedId === null ? undefined : models.find((model) => model.id === namedId);
  const namedChoice = named === undefined ? null : stated(named);
  if (namedChoice !== null) return { value: namedChoice.value, source: `the side-car names model ${namedId ?? ''}: ${namedChoice.source}` };
  const largest = models
    .map(stated)
    .filter((choice): choice is RelativeErrorChoice => choice !== null)
    .sort((a, b) => b.value - a.value)[0];
  if (largest === undefined) return null;
  return {
    value: largest.value,
    source: `a default: the depth file does not say which model made it, so the largest relative error of the known ZoeDepth models is used (${largest.source}); set --relative-error to change it`
  };
}
