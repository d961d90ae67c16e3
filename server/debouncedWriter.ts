// Writes a file from an in-memory state at most once per `delayMs`, one write at a time and in order, so
// a burst of changes (a thousand announces) costs one write, and flush() makes the file current.
import { writeFileAtomic } from './writeFileAtomic.ts';

export interface DebouncedWriterOptions {
  readonly path: string;
  /** The file's contents now; called when a write starts, so it sees every change made before. */
  readonly render: () => string;
  readonly delayMs: number;
  readonly mode?: number;
  /** A background write failed; the state stays dirty and the next change or flush tries again. */
  readonly onError: (err: unknown) => void;
}

export class DebouncedWriter {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(private readonly options: DebouncedWriterOptions) {}

  /** Notes a change; the file is written within `delayMs`. */
  schedule(): void {
    this.dirty = true;
    if (this.timer !== undefined) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush().catch(this.options.onError);
    }, this.options.delayMs);
    // A pending write never keeps the process alive on its own; close() flushes.
    this.timer.unref();
  }

  /** Writes now if anything changed since the last write; resolves once the file holds it. */
  flush(): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    const write = this.chain.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      try {
        await writeFileAtomic(this.options.path, this.options.render(), this.options.mode);
      } catch (err) {
        this.dirty = true;
        throw err;
      }
    });
    // The chain only orders writes; each caller sees its own write's failure.
    this.chain = write.catch(() => undefined);
    return write;
  }
}
