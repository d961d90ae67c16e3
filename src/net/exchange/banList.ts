// Peers that broke a bound, remembered for a while so that a reconnect does not get a fresh budget.
// Bookkeeping only: the clock is handed in.
//
// Why not by peer id alone, nor by address alone: the peer id is self-declared (the BitTorrent handshake
// and the tracker's offer carry whatever the peer says; nothing binds it to a key), so a ban by id lets
// an attacker that learned an honest peer's id (every tracker answer and handshake shows it) misbehave
// under it and get the honest peer refused everywhere. The address is what a peer cannot choose (the
// connection's far end), but many honest peers share one: every tab behind one NAT, every peer of a
// loopback test, peers whose address WebRTC hides. So a ban holds the pair (address, id): the attacker
// must be behind the honest peer's own address to hurt it. A rogue that rotates ids from one address is
// refused by address once MAX_IDS_PER_ADDRESS of its ids were banned there (where the address is a key
// at all, rule 4): an honest household loses its address only after three of its own peers misbehaved.
//
// === Specification ===
//  1. ban(peer, now) remembers the pair (endpoint, id) until now + BAN_MS, where the endpoint is the
//     peer's address group (rule 3) or, for an address that is never a key (rule 4), the address as
//     given (a later ban of the same key pushes its end out again). A peer without an id is banned by
//     its address group alone.
//  2. When the ban leaves MAX_IDS_PER_ADDRESS or more pairs of distinct ids under one address group
//     remembered, the address group itself is banned until now + BAN_MS.
//  3. isBanned(peer, now) is true when the peer's pair OR its address group is remembered and its ban
//     has not ended: the same id from another address (an honest peer whose id an attacker used) is not
//     refused; a rogue that reconnects under new ids is refused by address after rule 2.
//  4. The address group is the address itself for IPv4 (and IPv4-mapped IPv6), and the /64 prefix for
//     IPv6: one host or home network is usually handed a whole /64, so a rogue could otherwise rotate
//     through 2^64 addresses.
//  5. Loopback addresses (127.0.0.0/8, ::1), an absent address and anything that does not parse as an
//     IP address (a browser's mDNS `.local` name) are never address groups: many honest peers can share
//     them. Those peers are banned by the pair only (rule 1), never the address as a whole.
//  6. At most MAX_BANNED keys are remembered; past that the least recently banned key is forgotten
//     first (LRU). expire(now) forgets ended bans; isBanned forgets an ended ban it meets.
//  7. Banning is local policy and never a verdict (PROTOCOL §5 is unaffected).

/** How long a peer that broke a bound stays refused. */
export const BAN_MS = 10 * 60 * 1000;
/** Keys remembered (pairs and address groups together); ~150 bytes each. */
export const MAX_BANNED = 1000;
/** Distinct ids banned under one address group before the address group itself is banned (rule 2). */
export const MAX_IDS_PER_ADDRESS = 3;

export interface PeerIdentity {
  /** The peer id from the BitTorrent handshake (40 hex characters). */
  readonly id?: string;
  /** The remote address as the wire reports it (`wire.remoteAddress`), without port. */
  readonly address?: string;
}

/** Parses an IPv4 address into its four numbers, or undefined. */
function parseIpv4(text: string): number[] | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const numbers = parts.map((part) => (/^\d{1,3}$/.test(part) ? Number(part) : NaN));
  return numbers.every((n) => n >= 0 && n <= 255) ? numbers : undefined;
}

/** Expands an IPv6 address into its eight 16-bit groups, or undefined. */
function parseIpv6(text: string): number[] | undefined {
  let body = text;
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.')) {
    // An embedded IPv4 address in the last 32 bits (::ffff:1.2.3.4).
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = [(v4[0]! << 8) | v4[1]!, (v4[2]! << 8) | v4[3]!];
    body = body.slice(0, lastColon + 1) + '0';
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const parse = (half: string): number[] | undefined => {
    if (half === '') return [];
    const groups = half.split(':');
    if (!groups.every((g) => /^[0-9a-f]{1,4}$/.test(g))) return undefined;
    return groups.map((g) => parseInt(g, 16));
  };
  const head = parse(halves[0]!);
  const rest = halves.length === 2 ? parse(halves[1]!) : [];
  if (!head || !rest) return undefined;
  if (tail.length > 0) (halves.length === 2 ? rest : head).pop();
  const given = head.length + rest.length + tail.length;
  if (halves.length === 1 ? given !== 8 : given > 7) return undefined;
  return [...head, ...new Array<number>(8 - given).fill(0), ...rest, ...tail];
}

/**
 * The key an address is banned under (rule 4), or undefined for an address that is never a key
 * (rule 5). Accepts the forms webtorrent reports: `1.2.3.4`, `2001:db8::1`, `[2001:db8::1]`, `fe80::1%eth0`.
 */
export function addressGroup(address: string | undefined): string | undefined {
  if (!address) return undefined;
  const text = address
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, '')
    .replace(/%.*$/, '');
  const v4 = parseIpv4(text);
  if (v4) return v4[0] === 127 ? undefined : `ip4:${v4.join('.')}`;
  const v6 = parseIpv6(text);
  if (!v6) return undefined;
  if (v6.slice(0, 7).every((g) => g === 0) && v6[7] === 1) return undefined; // ::1
  if (v6.slice(0, 5).every((g) => g === 0) && v6[5] === 0xffff) {
    return addressGroup(`${v6[6]! >> 8}.${v6[6]! & 255}.${v6[7]! >> 8}.${v6[7]! & 255}`);
  }
  return `ip6:${v6
    .slice(0, 4)
    .map((g) => g.toString(16))
    .join(':')}::/64`;
}

export class BanList {
  /** Key → when its ban ends; in order of the last ban, oldest first (rule 6). */
  private readonly until = new Map<string, number>();

  constructor(
    private readonly banMs: number = BAN_MS,
    private readonly maxBanned: number = MAX_BANNED,
  ) {}

  /** Rules 1 and 2. */
  ban(peer: PeerIdentity, now: number): void {
    const group = addressGroup(peer.address);
    const pair = pairKey(peer);
    const keys = pair ? [pair] : group ? [group] : [];
    if (pair && group) {
      // Rule 2: a scan of at most MAX_BANNED keys, on a ban only (rare).
      let ids = 1;
      for (const [key, end] of this.until)
        if (key !== pair && end > now && key.startsWith(`${group}|`)) ids++;
      if (ids >= MAX_IDS_PER_ADDRESS) keys.push(group);
    }
    for (const key of keys) {
      this.until.delete(key); // re-inserted last: the most recently banned
      this.until.set(key, now + this.banMs);
    }
    for (const key of this.until.keys()) {
      if (this.until.size <= this.maxBanned) break;
      this.until.delete(key);
    }
  }

  /** Rule 3. */
  isBanned(peer: PeerIdentity, now: number): boolean {
    let banned = false;
    for (const key of this.keysOf(peer)) {
      const end = this.until.get(key);
      if (end === undefined) continue;
      if (end > now) banned = true;
      else this.until.delete(key);
    }
    return banned;
  }

  /** Rule 6: forgets every ban that has ended by `now`. */
  expire(now: number): void {
    for (const [key, end] of this.until) if (end <= now) this.until.delete(key);
  }

  /** Keys remembered. */
  get size(): number {
    return this.until.size;
  }

  private keysOf(peer: PeerIdentity): string[] {
    const keys: string[] = [];
    const pair = pairKey(peer);
    if (pair) keys.push(pair);
    const group = addressGroup(peer.address);
    if (group) keys.push(group);
    return keys;
  }
}

/** Rule 1's pair: the endpoint (address group, else the address as given) and the id; none without an id. */
function pairKey(peer: PeerIdentity): string | undefined {
  if (!peer.id) return undefined;
  const endpoint = addressGroup(peer.address) ?? `raw:${(peer.address ?? '').trim().toLowerCase()}`;
  return `${endpoint}|${peer.id.toLowerCase()}`;
}
