/**
 * The Content-Security-Policy of the renderer, delivered as a response header by whichever host
 * serves the renderer's files (the `zoe://` protocol in Electron, the HTTP test host in tests).
 * No `unsafe-eval`, no inline scripts; images only from the app itself, `zoe:` resources and blobs.
 */
export function contentSecurityPolicy(options: { connectSources?: readonly string[]; imageSources?: readonly string[] } = {}): string {
  const connect = ["'self'", ...(options.connectSources ?? [])];
  const images = ["'self'", 'zoe:', 'data:', 'blob:', ...(options.imageSources ?? [])];
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${images.join(' ')}`,
    "font-src 'self'",
    `connect-src ${connect.join(' ')}`,
    "worker-src 'self' blob:",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'"
  ].join('; ');
}
