import { access } from 'node:fs/promises';

/** Whether something is at `file` (and visible to this process); never throws. */
export async function pathExists(file: string): Promise<boolean> {
  return access(file).then(
    () => true,
    () => false
  );
}
