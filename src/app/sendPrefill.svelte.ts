// A request to fill the send form (from a payment link or a scanned request). The form applies each new
// request once, and the user still confirms before anything is signed. Once the request is paid, `done`
// forgets it, and the notice that announced it (src/ui/PaymentLinkNotice.svelte) goes with it.
export interface SendPrefill {
  readonly to: string;
  readonly tokens: string;
  readonly memo: string;
}

class SendPrefillRequest {
  current = $state<SendPrefill | null>(null);
  /** Bumped on every request, so the same values asked twice still refill the form. */
  version = $state(0);

  request(prefill: SendPrefill): void {
    this.current = prefill;
    this.version++;
  }

  /** The request was paid: nothing is waiting in the form any more. */
  done(): void {
    this.current = null;
  }
}

export const sendPrefill = new SendPrefillRequest();
