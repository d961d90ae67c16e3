// The parameters that name a network (PROTOCOL §7). Always passed explicitly: there are no globals.
export interface NetworkParams {
  /** Id of the one transaction with `prev: null` this network accepts. */
  readonly genesisId: string;
  /** Tokens per bit of work above or below the branch base (PROTOCOL §6). */
  readonly powUnit: bigint;
}
