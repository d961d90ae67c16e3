// The address a request really came from, for the per-source limits of the tracker and the faucet.
// Behind a reverse proxy (docs/deploy.md) every request comes from the proxy, so every browser would
// share one source's budget. The proxy names the client in X-Forwarded-For or Forwarded (RFC 7239), but
// anyone can write those headers, so they are read only from listed proxies, and only as far as the
// chain of listed proxies goes: the client is the right-most hop that is not a listed proxy (what a
// client wrote further left is ignored). With no proxy listed, the headers are never read.
import type { IncomingMessage } from 'node:http';
import { BlockList, isIP } from 'node:net';

/** `::ffff:1.2.3.4` (a dual-stack socket's IPv4 peer) → `1.2.3.4`. */
function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** What is wrong with a --trusted-proxy value (an IP address or a CIDR block), or undefined. */
export function trustedProxyProblem(text: string): string | undefined {
  const [address = '', bits, extra] = text.split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  if (family === 0 || extra !== undefined) {
    return `--trusted-proxy must be an IP address or a CIDR block like 10.0.0.0/8, got ${JSON.stringify(text)}`;
  }
  if (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max)) {
    return `--trusted-proxy ${JSON.stringify(text)}: the prefix length must be 0 to ${max}`;
  }
  return undefined;
}

/** The problem with the first bad value of a list of --trusted-proxy values, or undefined. */
export function trustedProxiesProblem(list: readonly string[]): string | undefined {
  return list.map(trustedProxyProblem).find((problem) => problem !== undefined);
}

/** One hop of X-Forwarded-For or a Forwarded `for=`: quotes, brackets and a port taken off. */
function hopAddress(text: string): string {
  let hop = text.trim().replace(/^"(.*)"$/, '$1');
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(hop);
  if (bracketed) hop = bracketed[1]!;
  else if (/^\d+\.\d+\.\d+\.\d+:\d+$/.test(hop)) hop = hop.replace(/:\d+$/, '');
  return unmapped(hop);
}

/** The client's hops as the proxies listed them, left (first) to right (last proxy's peer). */
function forwardedHops(req: IncomingMessage): string[] {
  const forwarded = req.headers.forwarded;
  if (forwarded !== undefined) {
    return forwarded.split(',').flatMap((element) => {
      const pair = element.split(';').find((p) => /^\s*for=/i.test(p));
      return pair === undefined ? [] : [hopAddress(pair.replace(/^\s*for=/i, ''))];
    });
  }
  const xff = req.headers['x-forwarded-for'];
  if (xff === undefined) return [];
  return (Array.isArray(xff) ? xff.join(',') : xff).split(',').map(hopAddress);
}

/** The client address of a request (a WebSocket upgrade, an HTTP request), past trusted proxies. */
export type ClientOf = (req: IncomingMessage) => string;

export class TrustedProxies {
  private readonly list = new BlockList();
  readonly size: number;

  /** `proxies`: addresses or CIDR blocks, each valid (trustedProxyProblem). */
  constructor(proxies: readonly string[] = []) {
    for (const text of proxies) {
      if (trustedProxyProblem(text) !== undefined) throw new TypeError(trustedProxyProblem(text));
      const [address = '', bits] = text.split('/');
      const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) this.list.addAddress(unmapped(address), family);
      else this.list.addSubnet(address, Number(bits), family);
    }
    this.size = proxies.length;
  }

  private trusts(address: string): boolean {
    const family = isIP(address);
    return family !== 0 && this.list.check(address, family === 4 ? 'ipv4' : 'ipv6');
  }

  /** The client's address: the peer's, or past listed proxies the right-most hop not listed. */
  clientOf(req: IncomingMessage): string {
    let address = unmapped(req.socket.remoteAddress ?? '');
    if (this.size === 0 || !this.trusts(address)) return address;
    const hops = forwardedHops(req);
    while (this.trusts(address) && hops.length > 0) {
      const hop = hops.pop()!;
      // A listed proxy that wrote something not an address: the proxy is the best we know.
      if (isIP(hop) === 0) break;
      address = hop;
    }
    return address;
  }
}
