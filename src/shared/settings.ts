/** The photographer's preferences, persisted by the main process in the app's data folder. */
import { z } from 'zod';

/** How distances are shown: the engine always works in metres. */
export const LENGTH_UNITS = ['metres', 'feet'] as const;
export type LengthUnit = (typeof LENGTH_UNITS)[number];

/** Each setting's own schema, without defaults (a patch must not reset what it does not name). */
const settingFields = {
  /** The depth model to use, by catalog id; `null` until one is chosen. */
  modelId: z.string().min(1).max(200).nullable(),
  /** Which execution provider to try first: `auto` tries GPU providers, then CPU. */
  device: z.enum(['auto', 'gpu', 'cpu']),
  /** Average with the prediction of the horizontally flipped photo (ZoeDepth default). */
  flip: z.boolean(),
  /** Reflect-pad the photo before inference (ZoeDepth default). */
  pad: z.boolean(),
  /** Units for depth read-outs and measurements. */
  units: z.enum(LENGTH_UNITS),
  /** Include subfolders when a folder is opened. */
  recursive: z.boolean()
};

/** Every setting, each with its default. */
export const settingsSchema = z.strictObject({
  modelId: settingFields.modelId.default(null),
  device: settingFields.device.default('auto'),
  flip: settingFields.flip.default(true),
  pad: settingFields.pad.default(true),
  units: settingFields.units.default('metres'),
  recursive: settingFields.recursive.default(false)
});

/** The settings as stored and as the renderer sees them. */
export type Settings = z.output<typeof settingsSchema>;

/** A change to some settings; the others keep their values. */
export const settingsPatchSchema = z.strictObject(settingFields).partial();
export type SettingsPatch = z.input<typeof settingsPatchSchema>;

/** The defaults, for a first start or a settings file that could not be read. */
export function defaultSettings(): Settings {
  return settingsSchema.parse({});
}
