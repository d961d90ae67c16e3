// Each rule of BanList's specification: keyed by the pair (address, id), by address group (IPv6 /64)
// once several ids were banned there, loopback and hidden addresses never address keys, bans end after
// BAN_MS, at most MAX_BANNED keys (least recently banned forgotten first).
import { describe, expect, it } from 'vitest';
import {
  addressGroup,
  BAN_MS,
  BanList,
  MAX_BANNED,
  MAX_IDS_PER_ADDRESS,
} from '../../../src/net/exchange/banList.ts';

const ID = 'ab'.repeat(20);

describe('addressGroup', () => {
  it('keys IPv4 by address, IPv6 by /64, IPv4-mapped IPv6 as IPv4', () => {
    expect(addressGroup('203.0.113.7')).toBe('ip4:203.0.113.7');
    expect(addressGroup('2001:db8:1:2:aaaa:bbbb:cccc:dddd')).toBe('ip6:2001:db8:1:2::/64');
    expect(addressGroup('2001:DB8:1:2::9')).toBe('ip6:2001:db8:1:2::/64');
    expect(addressGroup('[2001:db8:1:2::9]')).toBe('ip6:2001:db8:1:2::/64');
    expect(addressGroup('fe80::1%eth0')).toBe('ip6:fe80:0:0:0::/64');
    expect(addressGroup('2001:db8::')).toBe('ip6:2001:db8:0:0::/64');
    expect(addressGroup('::ffff:203.0.113.7')).toBe('ip4:203.0.113.7');
    expect(addressGroup('1:2:3:4:5:6:7:8')).toBe('ip6:1:2:3:4::/64');
  });

  it('never keys loopback, an absent address or something that is not an IP address', () => {
    for (const address of [
      undefined,
      '',
      '127.0.0.1',
      '127.9.9.9',
      '::1',
      '::ffff:127.0.0.1',
      'a1b2c3.local',
      '1.2.3',
      '256.1.1.1',
      '1:2:3:4:5:6:7:8:9',
      '1::2::3',
      '12345::',
    ]) {
      expect(addressGroup(address), String(address)).toBeUndefined();
    }
  });
});

describe('BanList', () => {
  it('1, 3. refuses a banned (address, id) pair until BAN_MS has passed; the id elsewhere is welcome', () => {
    const bans = new BanList();
    bans.ban({ id: ID, address: '203.0.113.7' }, 1000);
    expect(bans.isBanned({ id: ID, address: '203.0.113.7' }, 1000)).toBe(true);
    // The id is self-declared: the same id from another address is another peer (an honest one whose
    // id an attacker used), and another id from the same address is not refused after one ban.
    expect(bans.isBanned({ id: ID, address: '198.51.100.1' }, 1000)).toBe(false);
    expect(bans.isBanned({ id: ID }, 1000)).toBe(false);
    expect(bans.isBanned({ id: 'cd'.repeat(20), address: '203.0.113.7' }, 1000)).toBe(false);
    expect(bans.isBanned({ id: ID, address: '203.0.113.7' }, 1000 + BAN_MS - 1)).toBe(true);
    expect(bans.isBanned({ id: ID, address: '203.0.113.7' }, 1000 + BAN_MS)).toBe(false);
    expect(bans.size).toBe(0); // the ended ban it met was forgotten
  });

  it('1. a peer without an id is banned by its address group', () => {
    const bans = new BanList();
    bans.ban({ address: '203.0.113.7' }, 0);
    expect(bans.isBanned({ id: ID, address: '203.0.113.7' }, 1)).toBe(true);
  });

  it('2. bans the address group once MAX_IDS_PER_ADDRESS distinct ids were banned there', () => {
    const bans = new BanList();
    const idOf = (i: number) => i.toString(16).padStart(40, '0');
    for (let i = 0; i < MAX_IDS_PER_ADDRESS - 1; i++) bans.ban({ id: idOf(i), address: '203.0.113.7' }, i);
    bans.ban({ id: idOf(0), address: '203.0.113.7' }, 10); // the same id again is not a new one
    expect(bans.isBanned({ id: 'ee'.repeat(20), address: '203.0.113.7' }, 11)).toBe(false);
    bans.ban({ id: idOf(MAX_IDS_PER_ADDRESS), address: '203.0.113.7' }, 12);
    expect(bans.isBanned({ id: 'ee'.repeat(20), address: '203.0.113.7' }, 13)).toBe(true);
    expect(bans.isBanned({ id: 'ee'.repeat(20), address: '203.0.113.8' }, 13)).toBe(false);
    // Loopback is never an address key: ids rotated there are refused one pair at a time.
    for (let i = 0; i < MAX_IDS_PER_ADDRESS + 2; i++) bans.ban({ id: idOf(i), address: '127.0.0.1' }, 20);
    expect(bans.isBanned({ id: 'ee'.repeat(20), address: '127.0.0.1' }, 21)).toBe(false);
    expect(bans.isBanned({ id: idOf(1), address: '127.0.0.1' }, 21)).toBe(true);
  });

  it('1. a second ban pushes the end out again', () => {
    const bans = new BanList();
    bans.ban({ id: ID }, 0);
    bans.ban({ id: ID }, BAN_MS - 1);
    expect(bans.isBanned({ id: ID }, BAN_MS + 10)).toBe(true);
  });

  it('4. refuses every address of a banned IPv6 /64, not its neighbour /64', () => {
    const bans = new BanList();
    bans.ban({ address: '2001:db8:1:2::1' }, 0);
    expect(bans.isBanned({ address: '2001:db8:1:2:ffff:ffff:ffff:ffff' }, 1)).toBe(true);
    expect(bans.isBanned({ address: '2001:db8:1:3::1' }, 1)).toBe(false);
  });

  it('5. bans a loopback peer by its pair only: other loopback peers and other addresses stay welcome', () => {
    const bans = new BanList();
    bans.ban({ id: ID, address: '127.0.0.1' }, 0);
    expect(bans.size).toBe(1);
    expect(bans.isBanned({ id: 'cd'.repeat(20), address: '127.0.0.1' }, 1)).toBe(false);
    expect(bans.isBanned({ id: ID.toUpperCase(), address: '127.0.0.1' }, 1)).toBe(true);
    expect(bans.isBanned({ id: ID, address: '127.0.0.2' }, 1)).toBe(false);
  });

  it('6. remembers at most MAX_BANNED keys, forgetting the least recently banned first', () => {
    const bans = new BanList();
    const idOf = (i: number) => i.toString(16).padStart(40, '0');
    for (let i = 0; i < MAX_BANNED + 50; i++) bans.ban({ id: idOf(i) }, i);
    expect(bans.size).toBe(MAX_BANNED);
    expect(bans.isBanned({ id: idOf(49) }, MAX_BANNED)).toBe(false);
    expect(bans.isBanned({ id: idOf(50) }, MAX_BANNED)).toBe(true);
    bans.ban({ id: idOf(50) }, MAX_BANNED + 50); // banned again: now the most recent
    bans.ban({ id: idOf(100_000) }, MAX_BANNED + 51);
    expect(bans.isBanned({ id: idOf(50) }, MAX_BANNED + 52)).toBe(true);
    expect(bans.isBanned({ id: idOf(51) }, MAX_BANNED + 52)).toBe(false);
    expect(bans.size).toBe(MAX_BANNED);
  });

  it('6. expire forgets every ended ban', () => {
    const bans = new BanList();
    bans.ban({ id: ID, address: '203.0.113.7' }, 0);
    bans.ban({ id: 'cd'.repeat(20) }, BAN_MS / 2);
    bans.expire(BAN_MS);
    expect(bans.size).toBe(1);
    bans.expire(BAN_MS + BAN_MS / 2);
    expect(bans.size).toBe(0);
  });
});
