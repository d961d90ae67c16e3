// The Content-Security-Policy of the app's HTML. Scripts only from this origin ('wasm-unsafe-eval' lets
// a WebAssembly hasher compile, nothing else); connections only to this origin and the network's
// trackers, whose URLs come from the network config, so the policy follows --tracker-port.
export function contentSecurityPolicy(trackerUrls: readonly string[]): string {
  for (const url of trackerUrls) {
    // A URL goes into a header: anything that could end a directive or the header is refused.
    if (!/^wss?:\/\/[A-Za-z0-9.:[\]-]+(\/[A-Za-z0-9._~/-]*)?$/.test(url)) {
      throw new TypeError(`not a tracker URL for a CSP: ${JSON.stringify(url)}`);
    }
  }
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    ["connect-src 'self'", ...trackerUrls].join(' '),
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}
