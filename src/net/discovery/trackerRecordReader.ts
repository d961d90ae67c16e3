// Reads a TorrentTX tracker's record of every infohash announced to it (GET /api/tracker/record, served
// by the app server beside its tracker: server/trackerRecordRoute.ts), page by page, at a bounded cost:
// RECORD_PAGE_LIMIT entries a page, one page every RECORD_PAGE_MS at most, a whole pass every
// RECORD_PASS_MS (first at once), at most MAX_RECORD_PAGES pages a pass, and an answer of at most
// MAX_RECORD_PAGE_BYTES. So a 100,000-entry record costs ~9 MB and ~100 s per pass, ~1 request a second.
// Each page is handed to `onPage` and awaited before the next is asked: the caller's checks are the
// back-pressure. An answer out of shape ends the pass (RecordPageError) and the next pass is tried later.

/** Entries asked per page (the route serves at most 5,000). */
export const RECORD_PAGE_LIMIT = 1000;
/** At most one page this often. */
export const RECORD_PAGE_MS = 1000;
/** A new pass starts this long after the last one ended (or failed). */
export const RECORD_PASS_MS = 5 * 60_000;
/** Pages read in one pass, at most: the tracker holds 100,000 entries; twice that is the node's own bound. */
export const MAX_RECORD_PAGES = 200;
/** The largest page answer read: 1,000 entries of ~110 bytes, with room. */
export const MAX_RECORD_PAGE_BYTES = 512 * 1024;

export interface RecordPageEntry {
  readonly id: string;
  /** Announces the tracker counted. */
  readonly count: number;
}

export interface RecordPage {
  readonly entries: RecordPageEntry[];
  /** Entries in the tracker's record. */
  readonly total: number;
  readonly next: string | null;
}

export class RecordPageError extends Error {
  override readonly name = 'RecordPageError';
}

export interface RecordReaderTiming {
  readonly pageLimit: number;
  readonly pageMs: number;
  readonly passMs: number;
  readonly maxPages: number;
}

export const RECORD_READER_TIMING: RecordReaderTiming = {
  pageLimit: RECORD_PAGE_LIMIT,
  pageMs: RECORD_PAGE_MS,
  passMs: RECORD_PASS_MS,
  maxPages: MAX_RECORD_PAGES,
};

const INFO_HASH = /^[0-9a-f]{40}$/;

/** Checks one page answer of the record route: what came, against what the route promises. */
export function parseRecordPage(text: string, after: string | undefined): RecordPage {
  let json: { total?: unknown; infoHashes?: unknown; next?: unknown };
  try {
    json = JSON.parse(text) as typeof json;
  } catch {
    throw new RecordPageError('the tracker record page is not JSON');
  }
  if (json === null || typeof json !== 'object') throw new RecordPageError('the page is not an object');
  const { total, infoHashes, next } = json;
  if (!Number.isSafeInteger(total) || (total as number) < 0) {
    throw new RecordPageError(`"total" must be a count, got ${JSON.stringify(total)?.slice(0, 40)}`);
  }
  if (infoHashes === null || typeof infoHashes !== 'object') {
    throw new RecordPageError('"infoHashes" must be an object');
  }
  if (next !== null && (typeof next !== 'string' || !INFO_HASH.test(next) || (after && next <= after))) {
    throw new RecordPageError('"next" must be null or an infohash after the one asked for');
  }
  const entries: RecordPageEntry[] = [];
  for (const [id, seen] of Object.entries(infoHashes as Record<string, { count?: unknown }>)) {
    const count = seen?.count;
    if (!INFO_HASH.test(id) || !Number.isSafeInteger(count) || (count as number) < 1) {
      throw new RecordPageError(`entry ${JSON.stringify(id.slice(0, 50))} is not an infohash with a count`);
    }
    entries.push({ id, count: count as number });
  }
  return { entries, total: total as number, next: next as string | null };
}

/** Fetches one page of `recordUrl` with `fetch`, bounded in size. */
export async function fetchRecordPage(
  recordUrl: string,
  after: string | undefined,
  limit: number,
): Promise<RecordPage> {
  const url = new URL(recordUrl);
  url.searchParams.set('limit', String(limit));
  if (after !== undefined) url.searchParams.set('after', after);
  const response = await fetch(url, { cache: 'no-store' });
  if (!response.ok) throw new RecordPageError(`${recordUrl} answered ${response.status}`);
  const length = Number(response.headers.get('content-length') ?? 0);
  if (length > MAX_RECORD_PAGE_BYTES) {
    await response.body?.cancel();
    throw new RecordPageError(`${recordUrl} sent a page of ${length} bytes, over ${MAX_RECORD_PAGE_BYTES}`);
  }
  const text = await response.text();
  if (text.length > MAX_RECORD_PAGE_BYTES)
    throw new RecordPageError(`${recordUrl} sent a page over the bound`);
  return parseRecordPage(text, after);
}

export type FetchPage = (after: string | undefined, limit: number) => Promise<RecordPage>;

export class TrackerRecordReader {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;
  private passes = 0;
  private lastError: string | null = null;
  private total: number | null = null;

  constructor(
    private readonly fetchPage: FetchPage,
    private readonly onPage: (page: RecordPage) => Promise<void>,
    private readonly timing: RecordReaderTiming = RECORD_READER_TIMING,
  ) {}

  /** Starts the first pass now. */
  start(): void {
    this.schedule(0);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Passes completed, the tracker's last total, and the last error (null once a pass succeeds). */
  state(): { passes: number; total: number | null; error: string | null } {
    return { passes: this.passes, total: this.total, error: this.lastError };
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => void this.pass(), ms);
  }

  private async pass(): Promise<void> {
    let after: string | undefined;
    try {
      for (let pages = 0; pages < this.timing.maxPages && !this.stopped; pages++) {
        const started = Date.now();
        const page = await this.fetchPage(after, this.timing.pageLimit);
        this.total = page.total;
        await this.onPage(page);
        if (page.next === null) break;
        after = page.next;
        const wait = this.timing.pageMs - (Date.now() - started);
        if (wait > 0) await new Promise((resolve) => (this.timer = setTimeout(resolve, wait)));
      }
      this.passes++;
      this.lastError = null;
    } catch (err) {
      this.lastError = (err as Error).message;
    }
    this.schedule(this.timing.passMs);
  }
}
