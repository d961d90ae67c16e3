// The tracker's persisted record of every infohash ever announced to it, with how often and when. A
// swarm in bittorrent-tracker lives only in memory; this record survives restarts, so a node can tell
// which transactions the network has ever carried. Written atomically and debounced.
import { join } from 'node:path';
import { DataFileError } from './dataFileError.ts';
import { DebouncedWriter } from './debouncedWriter.ts';
import { readJsonFile } from './readJsonFile.ts';

export const TRACKER_RECORD_FILE = 'tracker-record.json';

export interface InfoHashSeen {
  /** Announces seen for this infohash, of any event (started, update, completed, stopped, paused). */
  readonly count: number;
  /** Milliseconds since the epoch of the first and the latest announce. */
  readonly firstSeen: number;
  readonly lastSeen: number;
}

/** The file's shape, and what GET /api/tracker/record answers. */
export interface TrackerRecordJson {
  readonly version: 1;
  readonly infoHashes: Record<string, InfoHashSeen>;
}

export interface TrackerRecordOptions {
  readonly dataDir: string;
  readonly delayMs?: number;
  /** Beyond this many distinct infohashes new ones are not recorded (existing ones still count). */
  readonly maxEntries?: number;
  readonly now?: () => number;
  readonly onError: (err: unknown) => void;
}

const INFO_HASH = /^[0-9a-f]{40}$/;

function isTime(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 0;
}

function parseRecord(path: string, value: unknown): Map<string, InfoHashSeen> {
  const entries = new Map<string, InfoHashSeen>();
  if (value === undefined) return entries;
  const json = value as Partial<TrackerRecordJson> | null;
  if (
    json === null ||
    typeof json !== 'object' ||
    json.version !== 1 ||
    typeof json.infoHashes !== 'object'
  ) {
    throw new DataFileError(path, 'not a version 1 tracker record');
  }
  for (const [infoHash, seen] of Object.entries(json.infoHashes ?? {})) {
    if (
      !INFO_HASH.test(infoHash) ||
      !Number.isSafeInteger(seen.count) ||
      seen.count < 1 ||
      !isTime(seen.firstSeen) ||
      !isTime(seen.lastSeen)
    ) {
      throw new DataFileError(path, `entry ${JSON.stringify(infoHash)} is not {count, firstSeen, lastSeen}`);
    }
    entries.set(infoHash, { count: seen.count, firstSeen: seen.firstSeen, lastSeen: seen.lastSeen });
  }
  return entries;
}

export class TrackerRecord {
  private readonly writer: DebouncedWriter;
  private readonly maxEntries: number;
  private readonly now: () => number;

  private constructor(
    readonly path: string,
    private readonly entries: Map<string, InfoHashSeen>,
    options: TrackerRecordOptions,
  ) {
    this.maxEntries = options.maxEntries ?? 1_000_000;
    this.now = options.now ?? Date.now;
    this.writer = new DebouncedWriter({
      path,
      render: () => JSON.stringify(this.toJSON()),
      delayMs: options.delayMs ?? 1000,
      onError: options.onError,
    });
  }

  /** Loads the record of a data folder (empty if it has none yet). */
  static async open(options: TrackerRecordOptions): Promise<TrackerRecord> {
    const path = join(options.dataDir, TRACKER_RECORD_FILE);
    return new TrackerRecord(path, parseRecord(path, await readJsonFile(path)), options);
  }

  /** Counts one announce of `infoHash` (40 lowercase hex, as bittorrent-tracker reports it). */
  note(infoHash: string): void {
    if (!INFO_HASH.test(infoHash)) return;
    const now = this.now();
    const seen = this.entries.get(infoHash);
    if (seen === undefined) {
      if (this.entries.size >= this.maxEntries) return;
      this.entries.set(infoHash, { count: 1, firstSeen: now, lastSeen: now });
    } else {
      this.entries.set(infoHash, { ...seen, count: seen.count + 1, lastSeen: Math.max(now, seen.lastSeen) });
    }
    this.writer.schedule();
  }

  get(infoHash: string): InfoHashSeen | undefined {
    return this.entries.get(infoHash);
  }

  get size(): number {
    return this.entries.size;
  }

  toJSON(): TrackerRecordJson {
    return { version: 1, infoHashes: Object.fromEntries(this.entries) };
  }

  /** Writes pending changes now. */
  flush(): Promise<void> {
    return this.writer.flush();
  }
}
