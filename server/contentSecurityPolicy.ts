// The app's Content-Security-Policy, one source for both ways it travels: the devnet's app server sends
// it as a header (server/startDevnet.ts), and every build writes it into index.html as a
// <meta http-equiv> (vite.config.ts), because a static host sets no headers.
//
// Scripts only from this origin: no 'unsafe-inline', no eval ('wasm-unsafe-eval' lets a WebAssembly
// hasher compile, nothing else). Requests (fetch) only to this origin: /network.json and the faucet, a
// path on the app's own server (src/core/network.ts).
//
// WebSockets to any host (`wss: ws:`): the trackers of a network joined by invite (src/app/inviteLink.ts)
// live on hosts nobody knew when the app was built or served, so no list of hosts can be right. Why that
// is safe enough: connect-src only limits where script already running in the page can send data, and
// with script-src 'self' no injected script runs at all; and a script that did could send data to any
// host through WebRTC anyway, which CSP does not govern. Plain http(s) requests stay limited. `ws:` is
// for local and devnet networks served over http; a page served over https cannot open ws:// at all
// (mixed content), so there it adds nothing.
//
// What a policy in the page covers: the document. A worker loaded from a URL takes its policy from its
// own response's headers, not from the page, so on a static host the workers (the network worker opens the
// tracker sockets) run under no policy; a host that can set headers should send this one on every file.

export type CspDelivery = 'header' | 'meta';

/** A header may hold `frame-ancestors`; a <meta> policy may not (browsers ignore it there, with a warning). */
export function contentSecurityPolicy(delivery: CspDelivery): string {
  return [
    "default-src 'self'",
    "script-src 'self' 'wasm-unsafe-eval'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "connect-src 'self' wss: ws:",
    "worker-src 'self' blob:",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    ...(delivery === 'header' ? ["frame-ancestors 'none'"] : []),
  ].join('; ');
}
