// Reading the tracker's record at a bounded cost: a page out of shape is refused with a clear error, a
// pass reads at most maxPages pages (a record that never ends cannot keep the reader busy), pages are
// read one after another (the caller's work on a page is the back-pressure), and the next pass waits.
import { describe, expect, it } from 'vitest';
import {
  MAX_RECORD_PAGES,
  parseRecordPage,
  TrackerRecordReader,
  type RecordPage,
} from '../../../src/net/discovery/trackerRecordReader.ts';
import { hexIds } from '../../support/hexIds.ts';

const [a, b] = hexIds(2);

describe('parseRecordPage', () => {
  it('reads what the record route serves', () => {
    const text = JSON.stringify({
      version: 2,
      total: 7,
      infoHashes: { [a!]: { count: 3, firstSeen: 1, lastSeen: 2, sources: 1 } },
      next: b,
    });
    expect(parseRecordPage(text, undefined)).toEqual({ entries: [{ id: a, count: 3 }], total: 7, next: b });
  });

  it.each([
    ['not JSON', '{', /not JSON/],
    ['no total', JSON.stringify({ infoHashes: {}, next: null }), /"total" must be a count/],
    ['a bad id', JSON.stringify({ total: 1, infoHashes: { xyz: { count: 1 } }, next: null }), /"xyz"/],
    ['a zero count', JSON.stringify({ total: 1, infoHashes: { [a!]: { count: 0 } }, next: null }), /count/],
    ['a cursor that goes back', JSON.stringify({ total: 1, infoHashes: {}, next: a }), /"next"/],
  ])('refuses %s', (_, text, problem) => {
    expect(() => parseRecordPage(text, b)).toThrow(problem);
    try {
      parseRecordPage(text, b);
    } catch (err) {
      expect((err as Error).name).toBe('RecordPageError');
    }
  });
});

describe('TrackerRecordReader', () => {
  it(`reads at most maxPages (${MAX_RECORD_PAGES} by default) pages a pass, one at a time, then waits`, async () => {
    const maxPages = 5;
    let asked = 0;
    let busy = false;
    let overlapped = false;
    const seen: string[] = [];
    let reader: TrackerRecordReader | undefined;
    const passDone = new Promise<void>((resolve) => {
      // A record that never ends: every page points to the next.
      const fetchPage = async (after: string | undefined): Promise<RecordPage> => {
        if (busy) overlapped = true;
        asked++;
        const id = hexIds(1, asked)[0]!;
        if (after !== undefined) seen.push(after);
        return { entries: [{ id, count: 1 }], total: 1e6, next: id };
      };
      reader = new TrackerRecordReader(
        fetchPage,
        async () => {
          busy = true;
          await new Promise((r) => setTimeout(r, 5));
          busy = false;
          if (asked === maxPages) setTimeout(resolve, 50);
        },
        { pageLimit: 10, pageMs: 1, passMs: 60_000, maxPages },
      );
      reader.start();
    });
    await passDone;
    reader!.stop();
    expect(asked).toBe(maxPages); // the next pass waits passMs
    expect(overlapped).toBe(false);
    expect(seen).toEqual(hexIds(maxPages - 1, 1)); // each page asked after the last one's cursor
    expect(reader!.state()).toEqual({ passes: 1, total: 1e6, error: null });
  });

  it('ends a pass at a bad page and says why', async () => {
    let reader: TrackerRecordReader | undefined;
    await new Promise<void>((resolve) => {
      reader = new TrackerRecordReader(
        () => {
          setTimeout(resolve, 10);
          return Promise.reject(new Error('the record route answered 500'));
        },
        () => Promise.resolve(),
        { pageLimit: 10, pageMs: 1, passMs: 60_000, maxPages: 5 },
      );
      reader.start();
    });
    reader!.stop();
    expect(reader!.state()).toEqual({ passes: 0, total: null, error: 'the record route answered 500' });
  });
});
