// Invite links: a network's config (PROTOCOL §7: genesis id, genesis tx.json, powUnit, trackers) as
// base64url JSON in the URL fragment, `…#join=<config>`. The fragment never reaches a server, and the
// link needs nobody's server to be read. What it carries is checked before anything is saved: the
// genesis bytes must hash to the id the link names and be a valid, signed transaction with `prev: null`,
// so a link can name only the network its genesis really is.
import { base64urlnopad } from '@scure/base';
import { checkParsedTx } from '../core/checkTx.ts';
import { txIdOf } from '../core/txId.ts';
import type { NetworkConfig } from '../core/network.ts';
import { parseNetworkConfig } from './parseNetworkConfig.ts';

export const JOIN_PREFIX = '#join=';

export class InviteLinkError extends Error {
  override readonly name = 'InviteLinkError';
}

/** The link that invites someone to `config`, on this app at `base` (origin and path, no fragment). */
export function inviteLinkOf(config: NetworkConfig, base: string): string {
  // The faucet is a path on its own server: meaningless (and not to be trusted) on anyone else's.
  const carried = { ...config, faucet: null };
  return `${base}${JOIN_PREFIX}${base64urlnopad.encode(new TextEncoder().encode(JSON.stringify(carried)))}`;
}

/** The invite in a URL fragment, or null when the fragment is not an invite. */
export function inviteTextOf(hash: string): string | null {
  return hash.startsWith(JOIN_PREFIX) ? hash.slice(JOIN_PREFIX.length) : null;
}

/** Decodes and checks an invite (the text after `#join=`). Throws InviteLinkError saying what is wrong. */
export async function readInvite(text: string): Promise<NetworkConfig> {
  let json: string;
  try {
    json = new TextDecoder('utf-8', { fatal: true }).decode(base64urlnopad.decode(text.replace(/=+$/, '')));
  } catch {
    throw new InviteLinkError(
      `the invite link is damaged: expected base64url text after "${JOIN_PREFIX}", got ${text.length} characters that do not decode`,
    );
  }
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new InviteLinkError('the invite link is damaged: its network description is not JSON');
  }
  let config: NetworkConfig;
  try {
    config = parseNetworkConfig(value, 'the invite link');
  } catch (err) {
    // By name, not by class: a minifier renames classes, never the literal `name` field.
    if ((err as Error).name === 'NetworkConfigError') throw new InviteLinkError((err as Error).message);
    throw err;
  }
  const bytes = new TextEncoder().encode(config.genesisTx);
  const id = txIdOf(bytes);
  if (id !== config.genesisId) {
    throw new InviteLinkError(
      `the invite link does not add up: its genesis transaction has id ${id}, but the link names network ${config.genesisId}`,
    );
  }
  const check = await checkParsedTx(bytes);
  if (!check.ok) {
    throw new InviteLinkError(
      `the invite link's genesis is not a valid transaction (${check.reason}: ${check.detail})`,
    );
  }
  if (check.tx.prev !== null) {
    throw new InviteLinkError(
      `the invite link's genesis is not a genesis: its "prev" is ${check.tx.prev}, a genesis has null`,
    );
  }
  return { ...config, faucet: null };
}
