/** The info panel's formatting and the photo-info store (summaries in batches, ratings through `photos.setTags`). */
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it } from 'vitest';
import type { PhotoSummary, PhotoTags } from '../../src/shared/api';
import { formatAperture, formatBias, formatBytes, formatCoordinates, formatDateTaken, formatExposure, formatShutter } from '../../src/renderer/src/features/metadata/format';
import { SUMMARY_BATCH, usePhotoInfoStore } from '../../src/renderer/src/stores/photo-info';
import { settle } from './memory-backend';
import { useMemoryBackend } from './setup';

const backend = useMemoryBackend();

describe('metadata formatting', () => {
  it('writes exposure the way cameras show it', () => {
    expect(formatShutter(1 / 75)).toBe('1/75 s');
    expect(formatShutter(0.0125)).toBe('1/80 s');
    expect(formatShutter(2.5)).toBe('2.5 s');
    expect(formatShutter(30)).toBe('30 s');
    expect(formatAperture(5.9)).toBe('f/5.9');
    expect(formatAperture(11)).toBe('f/11');
    expect(formatBias(0)).toBe('0 EV');
    expect(formatBias(2 / 3)).toBe('+0.7 EV');
    expect(formatBias(-1)).toBe('−1 EV');
    expect(formatExposure({ exposureTimeSeconds: 1 / 250, fNumber: 8, iso: 200, biasEv: null })).toBe('1/250 s · f/8 · ISO 200');
    expect(formatExposure({ exposureTimeSeconds: null, fNumber: null, iso: null, biasEv: null })).toBeNull();
  });

  it('writes dates in the camera’s own clock, coordinates with hemispheres, sizes in decimal units', () => {
    expect(formatDateTaken('2008-10-22T16:28:39', null)).toBe('22 Oct 2008, 16:28:39');
    expect(formatDateTaken('2021-03-04T09:05:00', '+02:00')).toBe('4 Mar 2021, 09:05:00 (UTC+02:00)');
    expect(formatCoordinates(-33.8568, 151.2153)).toBe('33.85680° S, 151.21530° E');
    expect(formatCoordinates(40.7, -74)).toBe('40.70000° N, 74.00000° W');
    expect(formatBytes(161_692)).toBe('162 KB');
    expect(formatBytes(24_600_000)).toBe('24.6 MB');
  });
});

function summaryOf(photoId: string, tags: Partial<PhotoTags> = {}): PhotoSummary {
  return { photoId, dateTaken: null, hasFocalLength: true, tags: { rating: 0, flag: 'none', label: null, sidecars: [], ...tags } };
}

describe('photo-info store', () => {
  beforeEach(() => {
    backend.reset();
    setActivePinia(createPinia());
  });

  it('asks for summaries in batches, once per photo', async () => {
    backend.on('photos.summaries', ({ photoIds }) => photoIds.map((id) => summaryOf(id)));
    const store = usePhotoInfoStore();
    const ids = Array.from({ length: SUMMARY_BATCH + 20 }, (_, index) => `p${index}`);
    await store.requestSummaries(ids);
    await store.requestSummaries(ids.slice(0, 10));
    const calls = backend.callsOf('photos.summaries').map((call) => (call.request as { photoIds: string[] }).photoIds.length);
    expect(calls).toEqual([SUMMARY_BATCH, 20]);
    expect(store.summaries.size).toBe(ids.length);
  });

  it('keeps what the side-cars now say after a rating, and the reason when one fails', async () => {
    backend.on('photos.summaries', ({ photoIds }) => photoIds.map((id) => ({ ...summaryOf(id), dateTaken: '2020-01-01T00:00:00' })));
    backend.on('photos.setTags', ({ photoIds, rating }) =>
      photoIds.map((photoId) =>
        photoId === 'locked'
          ? { photoId, ok: false as const, error: { code: 'IO_ERROR' as const, message: 'Zoe Studio could not write the side-car “locked.xmp”.' } }
          : { photoId, ok: true as const, tags: { rating: rating ?? 0, flag: 'none' as const, label: null, sidecars: [`${photoId}.xmp`] } }
      )
    );
    const store = usePhotoInfoStore();
    await store.requestSummaries(['a', 'locked']);
    expect(await store.setTags(['a', 'locked'], { rating: 3 })).toBe(false);
    await settle();
    expect(store.tagsOf('a')).toEqual({ rating: 3, flag: 'none', label: null, sidecars: ['a.xmp'] });
    expect(store.summaries.get('a')?.dateTaken).toBe('2020-01-01T00:00:00');
    expect(store.tagsOf('locked')?.rating).toBe(0);
    expect(store.tagError?.message).toContain('locked.xmp');
  });
});
