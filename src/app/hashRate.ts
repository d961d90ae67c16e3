// How fast this device mines, so the send review can say how long the work takes before any mining ran.
// Measured once per page: a few milliseconds of the miner's own hashing (src/core/mineNonce.ts) on the
// page's thread, times the workers the pool mines with (src/app/minerPool.ts). A mining run long enough
// to be a better measure replaces it with the pool's own speed.
import { mineChunk } from '../core/mineNonce.ts';
import { poolSize, type PoolProgress } from './minerPool.ts';

/** Long enough for the browser's coarse clock (100 µs steps), short enough not to be felt. */
const MEASURE_MS = 15;
const MEASURE_CHUNK = 256;
/** A target no hash reaches (SHA-256 has 256 bits): the chunk hashes its whole count. */
const NEVER = 257;
/** A mining run at least this long measured the pool better than the page's few milliseconds did. */
const RUN_MEASURES_S = 0.5;

let measured = 0;

/** Hashes per second the miner pool does on this device (measured on first use). */
export function deviceHashRate(): number {
  if (measured === 0) measured = oneThreadRate() * poolSize();
  return measured;
}

/** Takes the speed a finished or cancelled mining run showed, when it ran long enough to tell. */
export function noteMiningRun(progress: PoolProgress): void {
  if (progress.hashesPerSecond > 0 && progress.hashes / progress.hashesPerSecond >= RUN_MEASURES_S) {
    measured = progress.hashesPerSecond;
  }
}

function oneThreadRate(): number {
  const base = new Uint8Array(32);
  const started = performance.now();
  let hashes = 0;
  let elapsed = 0;
  do {
    hashes += mineChunk(base, NEVER, hashes, 1, MEASURE_CHUNK).hashes;
    elapsed = performance.now() - started;
  } while (elapsed < MEASURE_MS);
  return (hashes / elapsed) * 1000;
}
