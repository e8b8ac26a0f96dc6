/** Photo entries and folder listings for renderer tests. */
import type { DepthJob, FolderListing, JobsSummary, PhotoEntry } from '../../src/shared/api';

export function photoEntry(index: number, name = `IMG_${String(index).padStart(4, '0')}.jpg`): PhotoEntry {
  return { id: `photo-${index}`, name, relativePath: name, sizeBytes: 1000 + index, modifiedMs: 1_700_000_000_000, kind: 'image' };
}

export function folderListing(count: number, folderId = 'folder-1'): FolderListing {
  return {
    folderId,
    name: 'Holiday',
    displayPath: '/photos/Holiday',
    recursive: false,
    photos: Array.from({ length: count }, (_, index) => photoEntry(index + 1)),
    unreadableFolders: []
  };
}

/** A depth job of photo `index` in `state`, as the main process reports it. */
export function depthJob(index: number, state: DepthJob['state'], extra: Partial<DepthJob> = {}): DepthJob {
  return {
    jobId: `job-${index}`,
    photoId: `photo-${index}`,
    photoName: `IMG_${String(index).padStart(4, '0')}.jpg`,
    modelId: 'zoed-nk',
    device: 'auto',
    options: { flip: true, pad: true },
    state,
    progress: state === 'done' ? 1 : 0,
    queuedAt: 1_700_000_000_000 + index,
    ...extra
  };
}

/** The summary the main process would send for these jobs. */
export function jobsSummaryOf(jobs: readonly DepthJob[], meanRunMs: number | null = 2000): JobsSummary {
  const counts = { queued: 0, running: 0, done: 0, failed: 0, cancelled: 0 };
  for (const each of jobs) counts[each.state] += 1;
  const timeLeftMs = counts.queued + counts.running === 0 ? 0 : meanRunMs === null ? null : (counts.queued + counts.running) * meanRunMs;
  return { ...counts, meanRunMs, timeLeftMs };
}
