// The parameters that name a network (PROTOCOL §7), and the config that carries them between nodes.
// Always passed explicitly: there are no globals.
export interface NetworkParams {
  /** Id of the one transaction with `prev: null` this network accepts. */
  readonly genesisId: string;
  /** Tokens per bit of work above or below the branch base (PROTOCOL §6). */
  readonly powUnit: bigint;
}

/**
 * What names a network and where its nodes meet: the genesis id and exact tx.json, powUnit, trackers
 * and an optional faucet. One shape for everyone who hands it on: the devnet server's /network.json, an
 * invite link, the page's saved networks, and a genesis made in the ledger worker. `powUnit` is a JSON
 * number here; NetworkParams holds it as a bigint.
 */
export interface NetworkConfig {
  readonly name: string;
  readonly genesisId: string;
  /** The genesis tx.json text, exactly: its id is txIdOf of these UTF-8 bytes. */
  readonly genesisTx: string;
  /** PROTOCOL §6 powUnit, a JSON number. */
  readonly powUnit: number;
  /** WebSocket tracker URLs, e.g. ws://127.0.0.1:8000. */
  readonly trackers: readonly string[];
  /** Path of a faucet on the app's own server, or null. */
  readonly faucet: string | null;
  /** STUN/TURN servers for this network's WebRTC connections; absent or empty on a loopback devnet. */
  readonly iceServers?: readonly IceServer[];
}

/** A STUN or TURN server, as RTCIceServer names it. */
export interface IceServer {
  readonly urls: string | readonly string[];
  readonly username?: string;
  readonly credential?: string;
}

/** At most this many ICE servers, of at most MAX_ICE_URLS URLs each: a config can come in an invite. */
export const MAX_ICE_SERVERS = 8;
export const MAX_ICE_URLS = 4;

/** The longest network name accepted, from an invite or from the user. */
export const MAX_NETWORK_NAME = 64;
