// A list of IP addresses and CIDR blocks given on the command line (--trusted-proxy, --known-node), and
// the one check both need: is this address on it. IPv4-mapped IPv6 (::ffff:a.b.c.d, what a dual-stack
// socket reports) is read as its IPv4 address, both in the list and in what is checked.
import { BlockList, isIP } from 'node:net';

/** `::ffff:1.2.3.4` (a dual-stack socket's IPv4 peer) → `1.2.3.4`. */
export function unmapped(address: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  return mapped ? mapped[1]! : address;
}

/** What is wrong with one value of `flag` (an IP address or a CIDR block), or undefined. */
export function addressProblem(flag: string, text: string): string | undefined {
  const [address = '', bits, extra] = text.split('/');
  const family = isIP(address);
  const max = family === 4 ? 32 : 128;
  if (family === 0 || extra !== undefined) {
    return `${flag} must be an IP address or a CIDR block like 10.0.0.0/8, got ${JSON.stringify(text)}`;
  }
  if (bits !== undefined && (!/^\d{1,3}$/.test(bits) || Number(bits) > max)) {
    return `${flag} ${JSON.stringify(text)}: the prefix length must be 0 to ${max}`;
  }
  return undefined;
}

/** The problem with the first bad value of a list given to `flag`, or undefined. */
export function addressListProblem(flag: string, list: readonly string[]): string | undefined {
  return list.map((text) => addressProblem(flag, text)).find((problem) => problem !== undefined);
}

export class AddressList {
  private readonly list = new BlockList();
  readonly size: number;

  /** `entries`: addresses or CIDR blocks, each valid (addressProblem), given to `flag`. */
  constructor(flag: string, entries: readonly string[] = []) {
    for (const text of entries) {
      const problem = addressProblem(flag, text);
      if (problem !== undefined) throw new TypeError(problem);
      const [address = '', bits] = text.split('/');
      const family = isIP(address) === 4 ? 'ipv4' : 'ipv6';
      if (bits === undefined) this.list.addAddress(unmapped(address), family);
      else this.list.addSubnet(address, Number(bits), family);
    }
    this.size = entries.length;
  }

  /** True if `address` (an IP address; anything else is not on any list) is listed. */
  has(address: string): boolean {
    if (this.size === 0) return false;
    const plain = unmapped(address);
    const family = isIP(plain);
    return family !== 0 && this.list.check(plain, family === 4 ? 'ipv4' : 'ipv6');
  }
}
