/**
 * Values while drawing or dragging, asked of `measure.compute` in the main process: one request in
 * flight at a time, and when it answers, only the newest position asked for meanwhile is sent
 * next, so a fast drag never queues up stale requests.
 */
import { shallowRef, type ShallowRef } from 'vue';
import type { ComputedMeasurement, MeasurementDraft } from '../../../../shared/api/measure';
import { useZoe } from '../../bridge/zoe';

/** Live values by key (a kept measurement's id, or `draft`). */
export interface LiveValues {
  values: ShallowRef<ReadonlyMap<string, ComputedMeasurement>>;
  /** Asks for the value of `measurement`, shown under `key` when it comes. */
  request(key: string, measurement: MeasurementDraft): void;
  clear(key: string): void;
  /** Forgets every value and ignores answers still on their way (another photo). */
  reset(): void;
}

/** `photoId` says which photo to ask about; `paused` is true while there is no depth to measure on. */
export function createLiveValues(photoId: () => string | null, paused: () => boolean): LiveValues {
  const values = shallowRef<ReadonlyMap<string, ComputedMeasurement>>(new Map());
  let inFlight = false;
  let pending: { key: string; measurement: MeasurementDraft; cleared: number } | null = null;
  let generation = 0;
  /** How often each key was cleared: an answer for a key cleared since it was asked is dropped. */
  const clearings = new Map<string, number>();
  const clearedCount = (key: string): number => clearings.get(key) ?? 0;

  function set(key: string, value: ComputedMeasurement | undefined): void {
    const map = new Map(values.value);
    if (value === undefined) map.delete(key);
    else map.set(key, value);
    values.value = map;
  }

  async function run(): Promise<void> {
    const id = photoId();
    const next = pending;
    pending = null;
    if (id === null || next === null || paused()) return;
    inFlight = true;
    const mine = generation;
    try {
      const result = await useZoe().measure.compute({ photoId: id, measurements: [next.measurement] });
      if (mine === generation && clearedCount(next.key) === next.cleared) set(next.key, result.ok ? result.value.results[0] : undefined);
    } finally {
      inFlight = false;
    }
    if (pending !== null) void run();
  }

  return {
    values,
    request(key, measurement) {
      pending = { key, measurement, cleared: clearedCount(key) };
      if (!inFlight) void run();
    },
    clear(key) {
      clearings.set(key, clearedCount(key) + 1);
      if (pending?.key === key) pending = null;
      if (values.value.has(key)) set(key, undefined);
    },
    reset() {
      generation += 1;
      pending = null;
      values.value = new Map();
    }
  };
}
