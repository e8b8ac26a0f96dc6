import type { ResourceKind } from '../ipc/handlers';

/** A registered resource, produced on demand (thumbnails are made or read from cache when asked for). */
export interface ResourceBody {
  mimeType: string;
  body: Buffer;
}

export type ResourceProvider = () => Promise<ResourceBody>;

const ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

/**
 * The only things the `zoe://` protocol and the test host's resource route serve: resources the
 * main process registered under a kind and an opaque id. A URL never names a file path.
 */
export class ResourceRegistry {
  private readonly providers = new Map<string, ResourceProvider>();

  register(kind: ResourceKind, id: string, provider: ResourceProvider): void {
    if (!ID_PATTERN.test(id)) throw new Error(`Resource ids are opaque tokens, not “${id}”.`);
    this.providers.set(`${kind}/${id}`, provider);
  }

  unregister(kind: ResourceKind, id: string): void {
    this.providers.delete(`${kind}/${id}`);
  }

  /** The provider for a kind and id exactly as registered; anything else (paths, escapes) is not found. */
  lookup(kind: string, id: string): ResourceProvider | undefined {
    if (!ID_PATTERN.test(id)) return undefined;
    return this.providers.get(`${kind}/${id}`);
  }
}
