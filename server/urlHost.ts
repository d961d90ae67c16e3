// The host to put in URLs that a browser on this machine opens: a wildcard bind address (0.0.0.0, ::)
// is not something to connect to, so it becomes loopback; IPv6 literals get their brackets.
const WILDCARDS: ReadonlyMap<string, string> = new Map([
  ['', '127.0.0.1'],
  ['0.0.0.0', '127.0.0.1'],
  ['::', '::1'],
]);

export function isWildcardHost(host: string): boolean {
  return WILDCARDS.has(host);
}

export function urlHost(host: string): string {
  const connectable = WILDCARDS.get(host) ?? host;
  return connectable.includes(':') ? `[${connectable}]` : connectable;
}
