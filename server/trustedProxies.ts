// The address a request really came from, for the per-source limits of the tracker and the faucet.
// Behind a reverse proxy (docs/deploy.md) every request comes from the proxy, so every browser would
// share one source's budget. The proxy names the client in X-Forwarded-For or Forwarded (RFC 7239), but
// anyone can write those headers, so they are read only from listed proxies, and only as far as the
// chain of listed proxies goes: the client is the right-most hop that is not a listed proxy (what a
// client wrote further left is ignored). With no proxy listed, the headers are never read.
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { AddressList, unmapped } from './addressList.ts';

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
  private readonly list: AddressList;
  readonly size: number;

  /** `proxies`: addresses or CIDR blocks, each valid (addressProblem). */
  constructor(proxies: readonly string[] = []) {
    this.list = new AddressList('--trusted-proxy', proxies);
    this.size = proxies.length;
  }

  private trusts(address: string): boolean {
    return this.list.has(address);
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
