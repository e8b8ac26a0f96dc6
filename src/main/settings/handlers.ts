/** The photographer's settings in `<dataDir>/settings.json`, read leniently and written atomically. */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { defaultSettings, settingsSchema, type Settings, type SettingsPatch } from '../../shared/settings';
import { writeJsonAtomic } from '../fs/atomic';
import type { HandlersOf } from '../ipc/handlers';

/**
 * Keeps each stored setting that is still valid and takes the default for the rest, so that a
 * settings file from another version (or edited by hand) never stops the app from starting.
 */
export function settingsFromStored(stored: unknown): Settings {
  const settings = defaultSettings();
  if (typeof stored !== 'object' || stored === null) return settings;
  const record = stored as Record<string, unknown>;
  const shape = settingsSchema.shape;
  for (const key of Object.keys(shape) as (keyof Settings)[]) {
    if (!(key in record)) continue;
    const parsed = shape[key].safeParse(record[key]);
    if (parsed.success) Object.assign(settings, { [key]: parsed.data });
  }
  return settings;
}

export class SettingsStore {
  readonly file: string;
  private current: Settings | null = null;
  private writing: Promise<void> = Promise.resolve();

  constructor(dataDir: string) {
    this.file = path.join(dataDir, 'settings.json');
  }

  async get(): Promise<Settings> {
    if (this.current !== null) return { ...this.current };
    let stored: unknown = null;
    try {
      stored = JSON.parse(await readFile(this.file, 'utf8'));
    } catch {
      // Missing or unreadable: defaults.
    }
    this.current = settingsFromStored(stored);
    return { ...this.current };
  }

  /** Applies a validated patch, saves all settings and returns them. */
  async set(patch: SettingsPatch): Promise<Settings> {
    const next = settingsSchema.parse({ ...(await this.get()), ...patch });
    this.current = next;
    const snapshot = { ...next };
    this.writing = this.writing.catch(() => undefined).then(() => writeJsonAtomic(this.file, snapshot));
    await this.writing;
    return { ...next };
  }
}

export function settingsHandlers(store: SettingsStore): HandlersOf<'settings'> {
  return {
    'settings.get': async () => store.get(),
    'settings.set': async (patch) => store.set(patch)
  };
}
