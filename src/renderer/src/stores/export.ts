/**
 * The export dialog's state: which photos, which formats and options, where and under which names;
 * the plan (names, conflicts, size), the colourised preview, a running batch and its summary.
 */
import { defineStore } from 'pinia';
import { computed, ref, shallowRef, watch } from 'vue';
import type { ExportBatchRequest, ExportPhotoOutcome, ExportPlan, ExportProgress, OutputFolder } from '../../../shared/api/export';
import { DEFAULT_NAMING_TEMPLATE, namingTemplateSchema } from '../../../shared/api/export';
import type { ColormapName } from '../../../shared/colormaps';
import type { ZoeErrorValue } from '../../../shared/errors';
import type { ExportFormat, Png16Scale } from '../../../shared/export';
import { useZoe } from '../bridge/zoe';
import { DEFAULT_FORMATS } from '../features/export/formats';
import { folderScope, photoScope, selectionScope } from '../features/export/scopes';
import { useLibraryStore } from './library';
import { useViewerStore } from './viewer';

/** Where the dialog is: choosing, asking about conflicts, exporting, or showing what happened. */
export type ExportPhase = 'setup' | 'conflicts' | 'running' | 'summary';

/** How name conflicts are settled: add a number at once, or show them and ask. */
export type ConflictChoice = 'suffix' | 'ask';

/** What the dialog exports: one photo, or several (a selection or the whole folder). */
export interface ExportScope {
  photoIds: string[];
  /** “IMG_0042.jpg” or “All 24 photos in Holiday”. */
  label: string;
  /** The photo the preview shows. */
  previewPhotoId: string;
  /** The name the naming example uses. */
  examplePhotoName: string;
}

/** The colourised preview as an image the dialog can show. */
export interface ExportPreviewImage {
  url: string;
  width: number;
  height: number;
  nearMetres: number;
  farMetres: number;
  /** The colour map it was drawn with. */
  colormap: ColormapName;
  /** The photo's calibration factor applied to the previewed depth and range (1: the model's own scale). */
  calibrationFactor: number;
  /** The photo's calibration factor, applied or not (1: it has none). */
  photoCalibrationFactor: number;
}

/** How long option changes settle before the plan and preview are asked for again, in ms. */
export const REFRESH_DELAY_MS = 150;

export const useExportStore = defineStore('export', () => {
  const isOpen = ref(false);
  const phase = ref<ExportPhase>('setup');
  const scope = shallowRef<ExportScope | null>(null);
  /** What else the dialog may export from where it was opened (the selected photo, the whole folder). */
  const scopeChoices = shallowRef<ExportScope[]>([]);
  const formats = ref<ExportFormat[]>([...DEFAULT_FORMATS]);
  const resolution = ref<'photo' | 'model'>('photo');
  const png16Scale = ref<Png16Scale>('metres-x256');
  const exrPixelType = ref<'half' | 'float'>('float');
  const colormap = ref<ColormapName>('turbo');
  /** Range of the colour map in metres; null: the depth map's own nearest / farthest. */
  const nearMetres = ref<number | null>(null);
  const farMetres = ref<number | null>(null);
  /** Calibrated photos are exported with their calibration (as their measurements), unless turned off. */
  const applyCalibration = ref(true);
  const plyStep = ref(1);
  const outputFolder = shallowRef<OutputFolder | null>(null);
  const namingTemplate = ref(DEFAULT_NAMING_TEMPLATE);
  const conflictChoice = ref<ConflictChoice>('suffix');
  const plan = shallowRef<ExportPlan | null>(null);
  const planning = ref(false);
  const preview = shallowRef<ExportPreviewImage | null>(null);
  const previewError = ref<ZoeErrorValue | null>(null);
  const previewLoading = ref(false);
  const error = ref<ZoeErrorValue | null>(null);
  const batchId = ref<string | null>(null);
  const progress = shallowRef<ExportProgress | null>(null);
  const outcomes = ref<ExportPhotoOutcome[]>([]);
  const finalState = ref<ExportProgress['state'] | null>(null);

  let unsubscribe: (() => void) | null = null;
  /** Events that arrived before `export.start` answered with the batch's id. */
  let early: ExportProgress[] = [];
  let starting = false;
  let planTicket = 0;
  let previewTicket = 0;
  let planTimer: ReturnType<typeof setTimeout> | undefined;
  let previewTimer: ReturnType<typeof setTimeout> | undefined;

  const templateProblem = computed(() => {
    const parsed = namingTemplateSchema.safeParse(namingTemplate.value);
    return parsed.success ? null : (parsed.error.issues[0]?.message ?? 'This name pattern cannot be used.');
  });
  const rangeProblem = computed(() =>
    nearMetres.value !== null && farMetres.value !== null && nearMetres.value >= farMetres.value ? 'The near distance must be closer than the far one.' : null
  );
  const canStart = computed(
    () => scope.value !== null && outputFolder.value !== null && formats.value.length > 0 && templateProblem.value === null && rangeProblem.value === null && phase.value === 'setup'
  );
  const filesWritten = computed(() => outcomes.value.reduce((sum, outcome) => sum + (outcome.files?.length ?? 0), 0));
  const failures = computed(() => outcomes.value.filter((outcome) => outcome.state === 'failed'));

  function listen(): void {
    if (unsubscribe !== null) return;
    unsubscribe = useZoe().on('export.progress', onProgress);
  }

  function onProgress(event: ExportProgress): void {
    if (batchId.value === null) {
      if (starting) early.push(event);
      return;
    }
    if (event.batchId !== batchId.value) return;
    progress.value = event;
    if (event.finished.length > 0) outcomes.value = [...outcomes.value, ...event.finished];
    if (event.state !== 'running') {
      finalState.value = event.state;
      phase.value = 'summary';
    }
  }

  /** Opens the dialog for these photos, keeping the formats and options chosen last time. */
  function open(next: ExportScope, choices: ExportScope[] = [next]): void {
    listen();
    scope.value = next;
    scopeChoices.value = choices;
    isOpen.value = true;
    phase.value = 'setup';
    error.value = null;
    progress.value = null;
    outcomes.value = [];
    finalState.value = null;
    batchId.value = null;
    plan.value = null;
    schedulePlan(0);
    schedulePreview(0);
  }

  /** Closes the dialog; a running export goes on (its summary shows when it is opened again). */
  function close(): void {
    isOpen.value = false;
    clearTimeout(planTimer);
    clearTimeout(previewTimer);
  }

  /** Switches between the choices the dialog was opened with. */
  function chooseScope(next: ExportScope): void {
    const previewChanges = scope.value?.previewPhotoId !== next.previewPhotoId;
    scope.value = next;
    schedulePlan(0);
    if (previewChanges) schedulePreview(0);
  }

  /**
   * Opens the dialog for what the photographer is looking at: the viewer's photo; in the library the
   * selected photo, with the whole folder as the other choice. A running or finished export is shown again.
   */
  function openFromContext(): void {
    if (isOpen.value) return;
    if (phase.value === 'running' || phase.value === 'summary') {
      isOpen.value = true;
      return;
    }
    const library = useLibraryStore();
    const viewer = useViewerStore();
    const shownId = viewer.photoId ?? library.selectedId;
    const shown = library.photos.find((photo) => photo.id === shownId);
    const one = shown === undefined ? null : photoScope(shown);
    const whole = library.folder === null ? null : folderScope(library.folder.name, library.photos, library.selectedId);
    const picked = selectionScope(library.selection, library.selectedId);
    const choices = viewer.photoId === null ? [picked, one, whole] : [one];
    const available = choices.filter((choice): choice is ExportScope => choice !== null);
    const first = available[0];
    if (first !== undefined) open(first, available);
  }

  function toggleFormat(format: ExportFormat): void {
    formats.value = formats.value.includes(format) ? formats.value.filter((chosen) => chosen !== format) : [...formats.value, format];
  }

  async function chooseFolder(): Promise<void> {
    const result = await useZoe().export.chooseFolder();
    if (!result.ok) {
      error.value = result.error;
      return;
    }
    if (result.value !== null) {
      outputFolder.value = result.value;
      schedulePlan(0);
    }
  }

  function colour(): { colormap: ColormapName; nearAtHighEnd: boolean; nearMetres?: number; farMetres?: number } {
    return {
      colormap: colormap.value,
      nearAtHighEnd: true,
      ...(nearMetres.value === null ? {} : { nearMetres: nearMetres.value }),
      ...(farMetres.value === null ? {} : { farMetres: farMetres.value })
    };
  }

  /** The batch as the main process takes it, with this conflict policy. */
  function request(onConflict: 'suffix' | 'overwrite' | 'skip'): ExportBatchRequest | null {
    if (scope.value === null || outputFolder.value === null || formats.value.length === 0) return null;
    return {
      photoIds: scope.value.photoIds,
      formats: formats.value,
      outputFolderId: outputFolder.value.outputFolderId,
      namingTemplate: namingTemplate.value,
      onConflict,
      applyCalibration: applyCalibration.value,
      options: { resolution: resolution.value, png16Scale: png16Scale.value, exrPixelType: exrPixelType.value, colour: colour(), plyStep: plyStep.value }
    };
  }

  /** Asks what the batch would write: names, conflicts and size. */
  async function refreshPlan(): Promise<void> {
    const batch = templateProblem.value === null && rangeProblem.value === null ? request('suffix') : null;
    const ticket = ++planTicket;
    if (batch === null) {
      plan.value = null;
      planning.value = false;
      return;
    }
    planning.value = true;
    const result = await useZoe().export.plan(batch);
    if (ticket !== planTicket) return;
    planning.value = false;
    if (result.ok) {
      plan.value = result.value;
      error.value = null;
    } else {
      plan.value = null;
      error.value = result.error;
    }
  }

  /** Asks for the colourised preview with the current colour map and range. */
  async function refreshPreview(): Promise<void> {
    if (scope.value === null || rangeProblem.value !== null) return;
    const ticket = ++previewTicket;
    const drawn = colormap.value;
    previewLoading.value = true;
    const result = await useZoe().export.preview({ photoId: scope.value.previewPhotoId, ...colour(), applyCalibration: applyCalibration.value, maxSide: 320 });
    if (ticket !== previewTicket) return;
    previewLoading.value = false;
    if (!result.ok) {
      previewError.value = result.error;
      return;
    }
    previewError.value = null;
    const { png, width, height } = result.value;
    const bytes = new Uint8Array(png.byteLength);
    bytes.set(png);
    if (preview.value !== null) URL.revokeObjectURL(preview.value.url);
    preview.value = { url: URL.createObjectURL(new Blob([bytes], { type: 'image/png' })), width, height, nearMetres: result.value.nearMetres, farMetres: result.value.farMetres, colormap: drawn, calibrationFactor: result.value.calibrationFactor, photoCalibrationFactor: result.value.photoCalibrationFactor };
  }

  function schedulePlan(delay = REFRESH_DELAY_MS): void {
    clearTimeout(planTimer);
    planTimer = setTimeout(() => void refreshPlan(), delay);
  }

  function schedulePreview(delay = REFRESH_DELAY_MS): void {
    clearTimeout(previewTimer);
    previewTimer = setTimeout(() => void refreshPreview(), delay);
  }

  watch([formats, resolution, png16Scale, exrPixelType, plyStep, namingTemplate, colormap, nearMetres, farMetres], () => {
    if (isOpen.value && phase.value === 'setup') schedulePlan();
  });
  watch([colormap, nearMetres, farMetres, applyCalibration], () => {
    if (isOpen.value) schedulePreview();
  });

  /**
   * Starts the export. With “ask”, a fresh plan is made first and, if names are taken, the dialog
   * shows them and waits for {@link settleConflicts}.
   */
  async function start(): Promise<void> {
    if (!canStart.value) return;
    if (conflictChoice.value === 'ask') {
      await refreshPlan();
      if (plan.value === null) return;
      if (plan.value.conflicts.length > 0) {
        phase.value = 'conflicts';
        return;
      }
    }
    await run('suffix');
  }

  /** The photographer's answer to the conflicts: add a number, replace earlier exports, or skip those photos. */
  async function settleConflicts(policy: 'suffix' | 'overwrite' | 'skip' | 'back'): Promise<void> {
    if (policy === 'back') {
      phase.value = 'setup';
      return;
    }
    await run(policy);
  }

  async function run(onConflict: 'suffix' | 'overwrite' | 'skip'): Promise<void> {
    const batch = request(onConflict);
    if (batch === null) return;
    listen();
    outcomes.value = [];
    progress.value = null;
    finalState.value = null;
    early = [];
    starting = true;
    phase.value = 'running';
    const result = await useZoe().export.start(batch);
    starting = false;
    if (!result.ok) {
      error.value = result.error;
      phase.value = 'setup';
      return;
    }
    batchId.value = result.value.batchId;
    const waiting = early;
    early = [];
    for (const event of waiting) onProgress(event);
  }

  async function cancel(): Promise<void> {
    if (batchId.value === null || phase.value !== 'running') return;
    await useZoe().export.cancel({ batchId: batchId.value });
  }

  /** Back to the options after a summary, for another export. */
  function again(): void {
    phase.value = 'setup';
    batchId.value = null;
    progress.value = null;
    outcomes.value = [];
    finalState.value = null;
    schedulePlan(0);
  }

  function dispose(): void {
    unsubscribe?.();
    unsubscribe = null;
    close();
    if (preview.value !== null) URL.revokeObjectURL(preview.value.url);
    preview.value = null;
  }

  return {
    isOpen,
    phase,
    scope,
    scopeChoices,
    formats,
    resolution,
    png16Scale,
    exrPixelType,
    colormap,
    applyCalibration,
    nearMetres,
    farMetres,
    plyStep,
    outputFolder,
    namingTemplate,
    conflictChoice,
    plan,
    planning,
    preview,
    previewError,
    previewLoading,
    error,
    batchId,
    progress,
    outcomes,
    finalState,
    templateProblem,
    rangeProblem,
    canStart,
    filesWritten,
    failures,
    listen,
    open,
    close,
    chooseScope,
    openFromContext,
    toggleFormat,
    chooseFolder,
    refreshPlan,
    refreshPreview,
    start,
    settleConflicts,
    cancel,
    again,
    dispose
  };
});
