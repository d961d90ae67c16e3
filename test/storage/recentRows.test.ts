// RecentRows (src/storage/recentRows.ts): bounded, the oldest go first, and a row set again is young.
import { describe, expect, it } from 'vitest';
import { RecentRows } from '../../src/storage/recentRows.ts';

describe('RecentRows', () => {
  it('keeps at most its limit, dropping the least recently set', () => {
    const rows = new RecentRows<number>(3);
    for (const [key, value] of [
      ['a', 1],
      ['b', 2],
      ['c', 3],
    ] as const)
      rows.set(key, value);
    rows.set('a', 10); // a is young again: b is now the oldest
    rows.set('d', 4);
    expect(rows.size).toBe(3);
    expect(rows.get('b')).toBeUndefined();
    expect([rows.get('a'), rows.get('c'), rows.get('d')]).toEqual([10, 3, 4]);
  });

  it('forgets on delete and clear', () => {
    const rows = new RecentRows<string>(10);
    rows.set('a', 'x');
    rows.set('b', 'y');
    rows.delete('a');
    expect(rows.get('a')).toBeUndefined();
    rows.clear();
    expect(rows.size).toBe(0);
  });
});
