/** The `jobs.*` methods: queue photos for depth, follow, cancel and reorder the queue. */
import type { HandlersOf } from '../ipc/handlers';
import type { Studio } from '../studio/studio';

export function jobHandlers(studio: Studio): HandlersOf<'jobs'> {
  return {
    'jobs.enqueue': async ({ photoIds, priority }) => ({ jobIds: await studio.enqueue(photoIds, priority ?? 'normal') }),
    'jobs.cancel': async (target) => studio.jobs.cancel(target),
    'jobs.list': async () => studio.jobs.list(),
    'jobs.prioritise': async ({ photoId }) => studio.jobs.prioritise(photoId)
  };
}
