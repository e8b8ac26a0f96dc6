/**
 * The file the depth engine reads for a photo: the photo itself, or for a camera RAW file its
 * embedded JPEG preview (the largest, made upright), saved once under the data folder. Depth of a
 * RAW file is therefore the depth of what the library shows for it; the RAW is only ever read.
 */
import { createHash } from 'node:crypto';
import { access, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import type { PhotoEntry } from '../../shared/api';
import { writeFileAtomic } from '../fs/atomic';
import { ZoeError } from '../../shared/errors';
import { describeUnreadablePhoto } from '../photos/describe';
import { renderPhoto } from '../thumbnails/make';

/** Previews larger than this are scaled down (the depth models see about 384×512 pixels anyway). */
export const RAW_PREVIEW_LONGEST_SIDE = 4096;

/** A photo as the depth side needs it. */
export interface DepthSourcePhoto {
  absolutePath: string;
  kind: PhotoEntry['kind'];
}

export class DepthSources {
  /** `folder` holds the saved RAW previews (`<dataDir>/raw-previews`). */
  constructor(readonly folder: string) {}

  /** The file to estimate depth from; for a RAW file its preview, made on first use. */
  async fileFor(photo: DepthSourcePhoto): Promise<string> {
    if (photo.kind !== 'raw') return photo.absolutePath;
    let info;
    try {
      info = await stat(photo.absolutePath);
    } catch (error) {
      throw describeUnreadablePhoto(photo.absolutePath, error);
    }
    // Named by the RAW's path, size and date: a changed RAW file gets a new preview.
    const name = createHash('sha256').update(`${photo.absolutePath}\u0000${info.size}\u0000${info.mtimeMs}`).digest('hex').slice(0, 40);
    const previewPath = path.join(this.folder, `${name}.jpg`);
    try {
      await access(previewPath);
      return previewPath;
    } catch {
      // Not made yet.
    }
    const preview = await renderPhoto({ absolutePath: photo.absolutePath, kind: 'raw' }, RAW_PREVIEW_LONGEST_SIDE);
    // A damaged preview is shown in the library (marked), but depth of its grey remainder would be meaningless.
    if (preview.damage !== undefined) throw new ZoeError(preview.damage.code, preview.damage.message);
    await writeFileAtomic(previewPath, preview.jpeg);
    return previewPath;
  }

  /** Deletes every saved preview (they are made again when needed). */
  async clear(): Promise<void> {
    await rm(this.folder, { recursive: true, force: true });
  }
}
