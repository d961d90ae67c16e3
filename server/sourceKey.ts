// The key every per-source limit on the server counts by: an IPv4 address as it is, an IPv6 address by
// its /64 prefix. One IPv6 subscriber usually gets a whole /64 (RFC 6177), so counting single IPv6
// addresses would hand one home 2^64 budgets; an IPv4-mapped IPv6 address (::ffff:a.b.c.d, what a
// dual-stack socket reports) is its IPv4 address.
import { isIPv4, isIPv6 } from 'node:net';

/** Hextets of an IPv6 address, the `::` expanded (an embedded IPv4 tail counts as two). */
function hextetsOf(address: string): string[] {
  const [head = '', tail] = address.split('::');
  const part = (s: string): string[] => (s === '' ? [] : s.split(':'));
  const expand = (parts: string[]): string[] =>
    parts.flatMap((p) => {
      if (!isIPv4(p)) return [p];
      const [a = 0, b = 0, c = 0, d = 0] = p.split('.').map(Number);
      return [((a << 8) | b).toString(16), ((c << 8) | d).toString(16)];
    });
  const left = expand(part(head));
  if (tail === undefined) return left;
  const right = expand(part(tail));
  return [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
}

/** `1.2.3.4` → `1.2.3.4`; `::ffff:1.2.3.4` → `1.2.3.4`; `2001:db8:a:b:1:2:3:4` → `2001:db8:a:b::/64`. */
export function sourceKeyOf(address: string | undefined): string {
  if (address === undefined || address === '') return 'unknown';
  const zoneless = address.replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(zoneless);
  if (mapped) return mapped[1]!;
  if (isIPv4(zoneless)) return zoneless;
  if (!isIPv6(zoneless)) return zoneless;
  const prefix = hextetsOf(zoneless.toLowerCase())
    .slice(0, 4)
    .map((h) => parseInt(h, 16).toString(16));
  return `${prefix.join(':')}::/64`;
}
