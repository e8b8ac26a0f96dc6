/**
 * The models screen: catalog and imported models with their state, downloads with progress,
 * import of a local `.onnx`, verify, remove, choose, and the progress of loading a model into the
 * depth engine. Also decides when the first-run screen shows (no model installed yet).
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { ModelDownloadProgress, ModelLoadProgress, ModelsOverview, ModelSummary, ModelVerification } from '../../../shared/api';
import type { ZoeErrorValue } from '../../../shared/errors';
import { useZoe } from '../bridge/zoe';
import { useAppStore } from './app';
import { useSettingsStore } from './settings';

/** A size in bytes as a photographer reads it: “1.48 GB”, “340 MB”. */
export function formatBytes(bytes: number | null): string {
  if (bytes === null) return 'size unknown';
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(2)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(bytes >= 1e8 ? 0 : 1)} MB`;
  if (bytes >= 1e3) return `${(bytes / 1e3).toFixed(0)} kB`;
  return `${bytes} B`;
}

/** Share of a download fetched (0..1), or null when the size is unknown. */
export function downloadFraction(progress: ModelDownloadProgress): number | null {
  if (progress.totalBytes === null || progress.totalBytes <= 0) return null;
  return Math.min(1, progress.receivedBytes / progress.totalBytes);
}

/** A copy of a record without one key. */
function without<T>(record: Record<string, T>, key: string): Record<string, T> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

export const useModelsStore = defineStore('models', () => {
  const overview = shallowRef<ModelsOverview | null>(null);
  /** The latest download report of each model, the final one (installed, failed, cancelled) included. */
  const downloads = ref<Record<string, ModelDownloadProgress>>({});
  /** The latest load report of each model. */
  const loads = ref<Record<string, ModelLoadProgress>>({});
  const verifications = ref<Record<string, ModelVerification>>({});
  /** Models with an action on its way (verify, remove, load…), to disable their buttons. */
  const working = ref<Record<string, string>>({});
  const error = ref<ZoeErrorValue | null>(null);
  /** The models panel is shown. */
  const panelOpen = ref(false);
  /** The photographer chose to look at photos before installing a model. */
  const firstRunDismissed = ref(false);
  const unsubscribers: (() => void)[] = [];

  const models = computed(() => overview.value?.models ?? []);
  const installed = computed(() => models.value.filter((model) => model.state === 'installed'));
  const catalog = computed(() => models.value.filter((model) => model.origin === 'catalog'));
  const imported = computed(() => models.value.filter((model) => model.origin === 'imported'));
  const selected = computed(() => models.value.find((model) => model.selected) ?? null);
  /** No model on this computer: the first-run screen says what to install and why. */
  const needsFirstRun = computed(() => overview.value !== null && installed.value.length === 0 && !firstRunDismissed.value);
  /** A model being loaded into the depth engine right now, with its progress. */
  const loadingNow = computed(() => Object.values(loads.value).find((load) => load.stage !== 'ready' && load.stage !== 'failed') ?? null);

  function listen(): void {
    if (unsubscribers.length > 0) return;
    const zoe = useZoe();
    unsubscribers.push(
      zoe.on('models.changed', (next) => {
        overview.value = next;
      }),
      zoe.on('models.progress', (progress) => {
        downloads.value[progress.id] = progress;
        if (progress.state === 'failed' && progress.error !== undefined) error.value = progress.error;
        if (progress.state !== 'downloading') void load();
      }),
      zoe.on('models.loadProgress', (progress) => {
        loads.value[progress.id] = progress;
        if (progress.stage === 'failed' && progress.error !== undefined) error.value = progress.error;
        // A load started by a depth job: the row then says where the model runs.
        if (progress.stage === 'ready' && working.value[progress.id] === undefined) void load();
      })
    );
  }

  async function load(): Promise<void> {
    listen();
    const result = await useZoe().models.list();
    if (result.ok) overview.value = result.value;
    else error.value = result.error;
  }

  /** Runs one action on a model, marking it busy and keeping the error for the panel. */
  async function act<T>(id: string, label: string, action: () => Promise<{ ok: true; value: T } | { ok: false; error: ZoeErrorValue }>): Promise<T | null> {
    working.value[id] = label;
    try {
      const result = await action();
      if (!result.ok) {
        error.value = result.error;
        return null;
      }
      error.value = null;
      return result.value;
    } finally {
      working.value = without(working.value, id);
    }
  }

  /** Starts downloading a catalog model; `models.progress` follows it. */
  async function install(id: string): Promise<void> {
    listen();
    const summary = await act(id, 'Starting download…', () => useZoe().models.install({ id }));
    if (summary !== null) replace(summary);
  }

  /** Stops a download; installing again resumes from what was fetched. */
  async function cancelInstall(id: string): Promise<void> {
    await act(id, 'Stopping…', () => useZoe().models.cancelInstall({ id }));
    await load();
  }

  /** Asks for a local `.onnx` file and imports it; the new model, or null when cancelled or refused. */
  async function importFile(): Promise<ModelSummary | null> {
    const summary = await act('import', 'Importing…', () => useZoe().models.import());
    if (summary !== null) await load();
    return summary;
  }

  async function verify(id: string): Promise<ModelVerification | null> {
    const report = await act(id, 'Verifying…', () => useZoe().models.verify({ id }));
    if (report !== null) verifications.value[id] = report;
    return report;
  }

  async function remove(id: string): Promise<void> {
    const next = await act(id, 'Removing…', () => useZoe().models.remove({ id }));
    if (next !== null) overview.value = next;
    verifications.value = without(verifications.value, id);
    loads.value = without(loads.value, id);
    await useAppStore().load();
  }

  /** Makes a model the one depth jobs use (a setting), then loads it so its first photo is quick. */
  async function select(id: string): Promise<void> {
    if (!(await useSettingsStore().update({ modelId: id }))) {
      error.value = useSettingsStore().error;
      return;
    }
    await load();
    await useAppStore().load();
    await loadModel(id);
  }

  /** Loads a model into the depth engine now; `models.loadProgress` follows it. */
  async function loadModel(id: string): Promise<void> {
    listen();
    const loaded = await act(id, 'Loading…', () => useZoe().models.load({ id }));
    // Where it runs and how long it took show in the model's row.
    if (loaded !== null) await load();
  }

  function replace(summary: ModelSummary): void {
    const current = overview.value;
    if (current === null) return;
    overview.value = { ...current, models: current.models.map((model) => (model.id === summary.id ? summary : model)) };
  }

  function dismissFirstRun(): void {
    firstRunDismissed.value = true;
  }

  function dispose(): void {
    for (const unsubscribe of unsubscribers.splice(0)) unsubscribe();
  }

  function togglePanel(): void {
    panelOpen.value = !panelOpen.value;
  }

  return {
    overview,
    panelOpen,
    togglePanel,
    models,
    installed,
    catalog,
    imported,
    selected,
    downloads,
    loads,
    loadingNow,
    verifications,
    working,
    error,
    firstRunDismissed,
    needsFirstRun,
    listen,
    load,
    install,
    cancelInstall,
    importFile,
    verify,
    remove,
    select,
    loadModel,
    dismissFirstRun,
    dispose
  };
});
