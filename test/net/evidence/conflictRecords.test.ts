// The conflict records' specification (src/net/evidence/conflictRecords.ts), sentence by sentence.
import { describe, expect, it } from 'vitest';
import {
  CONFLICT_RECORD_TTL_MS,
  ConflictRecords,
  MAX_CONFLICT_RECORDS,
} from '../../../src/net/evidence/conflictRecords.ts';

const evidence = [
  { id: 'a'.repeat(40), bytes: Uint8Array.of(1) },
  { id: 'b'.repeat(40), bytes: Uint8Array.of(2) },
];
const output = (n: number) => n.toString(16).padStart(40, '0');

describe('ConflictRecords', () => {
  it('2: records an output once; a later conflict on it is not new', () => {
    const records = new ConflictRecords();
    expect(records.add(output(1), evidence, 0)).toBe(true);
    expect(records.add(output(1), evidence, 5)).toBe(false);
    expect(records.size).toBe(1);
  });

  it('3: filled past MAX_CONFLICT_RECORDS, forgets the oldest first', () => {
    const records = new ConflictRecords();
    for (let n = 0; n < MAX_CONFLICT_RECORDS + 10; n++) records.add(output(n), evidence, n);
    expect(records.size).toBe(MAX_CONFLICT_RECORDS);
    expect(records.has(output(9))).toBe(false);
    expect(records.has(output(10))).toBe(true);
    expect(records.has(output(MAX_CONFLICT_RECORDS + 9))).toBe(true);
  });

  it('4: forgets a record CONFLICT_RECORD_TTL_MS after it was added; then the output is new again', () => {
    const records = new ConflictRecords();
    records.add(output(1), evidence, 0);
    records.add(output(2), evidence, 1000);
    records.expire(CONFLICT_RECORD_TTL_MS - 1);
    expect(records.size).toBe(2);
    records.expire(CONFLICT_RECORD_TTL_MS);
    expect(records.has(output(1))).toBe(false);
    expect(records.has(output(2))).toBe(true);
    expect(records.add(output(1), evidence, CONFLICT_RECORD_TTL_MS)).toBe(true);
  });

  it('5: recent() gives the newest first, at most `limit`, none expired', () => {
    const records = new ConflictRecords();
    for (let n = 0; n < 5; n++) records.add(output(n), evidence, n * 1000);
    expect(records.recent(3, 5000).map((r) => r.output)).toEqual([output(4), output(3), output(2)]);
    expect(records.recent(10, CONFLICT_RECORD_TTL_MS + 2500).map((r) => r.output)).toEqual([
      output(4),
      output(3),
    ]);
  });
});
