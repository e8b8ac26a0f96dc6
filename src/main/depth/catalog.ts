/**
 * The catalog of models Zoe Studio knows (`resources/models/catalog.json`), validated.
 */
import { join } from 'node:path';
import { ZoeError } from '../../shared/errors';
import type { ModelCatalog } from '../../shared/manifest';
import { modelCatalogSchema } from '../../shared/manifest';
import { readTextFile } from '../fs/read-file';

/** The catalog file's name inside the resources' `models` folder. */
export const CATALOG_FILE = join('models', 'catalog.json');

/** Reads and validates `<resourcesDir>/models/catalog.json`; model ids must be unique. */
export async function loadCatalog(resourcesDir: string): Promise<ModelCatalog> {
  const file = join(resourcesDir, CATALOG_FILE);
  let text: string;
  try {
    text = await readTextFile(file, 'model catalog');
  } catch (error) {
    throw new ZoeError('IO_ERROR', 'The list of known depth models is missing from this installation. Reinstall Zoe Studio.', { detail: `${file}: ${String(error)}`, cause: error });
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new ZoeError('INTERNAL', 'The list of known depth models is damaged. Reinstall Zoe Studio.', { detail: `${file}: ${String(error)}`, cause: error });
  }
  const parsed = modelCatalogSchema.safeParse(json);
  if (!parsed.success) {
    throw new ZoeError('INTERNAL', 'The list of known depth models is not valid. Reinstall Zoe Studio.', { detail: `${file}: ${parsed.error.message}` });
  }
  const ids = parsed.data.models.map((m) => m.id);
  const duplicate = ids.find((id, i) => ids.indexOf(id) !== i);
  if (duplicate !== undefined) throw new ZoeError('INTERNAL', 'The list of known depth models names one model twice.', { detail: `duplicate id ${duplicate}` });
  return parsed.data;
}
