/**
 * Messages between the main thread and an export worker thread. Both ends are this code base; each
 * request carries an id and gets exactly one `done` or `error` reply.
 */
import type { DepthMap } from '../../../shared/depth';
import type { ZoeErrorValue } from '../../../shared/errors';
import type { ExportFormat, ExportOptions } from '../../../shared/export';
import type { ExportPhoto, ExportResult } from '../export-depth';

/** Export one photo's depth (already at the resolution to write) into `folder`. */
export interface ExportRequest {
  id: number;
  kind: 'export';
  depth: DepthMap;
  photo: ExportPhoto;
  formats: ExportFormat[];
  options: ExportOptions;
  folder: string | undefined;
}

export type ExportReply = { id: number; kind: 'done'; value: ExportResult } | { id: number; kind: 'error'; error: ZoeErrorValue };
