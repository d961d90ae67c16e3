// Reads a network config (the /network.json shape) from a file or an http(s) URL for the command line and
// the build (scripts/build.ts): checked by the page's own parser, and its genesisTx must hash to its
// genesisId. Every problem is a UsageError of one line naming `flag` and the source.
import { readFileSync } from 'node:fs';
import { parseNetworkConfig } from '../app/parseNetworkConfig.ts';
import { txIdOf } from '../core/txId.ts';
import { encodeUtf8 } from '../core/utf8.ts';
import type { NetworkConfig } from '../core/network.ts';
import { UsageError } from './usageError.ts';

/** The largest network config accepted from a file or URL. */
export const MAX_CONFIG_BYTES = 64 * 1024;

export async function readNetwork(source: string, flag = '--network'): Promise<NetworkConfig> {
  const named = `${flag} ${source}`;
  let text: string;
  if (/^https?:\/\//.test(source)) {
    let response: Response;
    try {
      response = await fetch(source, { signal: AbortSignal.timeout(15_000) });
    } catch (err) {
      throw new UsageError(`cannot fetch ${named}: ${(err as Error).message}`);
    }
    if (!response.ok) throw new UsageError(`${named} answered ${response.status}`);
    text = await response.text();
  } else {
    try {
      text = readFileSync(source, 'utf8');
    } catch (err) {
      throw new UsageError(`cannot read ${named} (${(err as NodeJS.ErrnoException).code})`);
    }
  }
  if (text.length > MAX_CONFIG_BYTES) throw new UsageError(`${named} is over 64 KiB`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${named} is not JSON`);
  }
  let network: NetworkConfig;
  try {
    network = parseNetworkConfig(value, named);
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
  const genesisId = txIdOf(encodeUtf8(network.genesisTx));
  if (genesisId !== network.genesisId) {
    throw new UsageError(
      `${named}: "genesisTx" hashes to ${genesisId}, not "genesisId" ${network.genesisId}`,
    );
  }
  return network;
}
