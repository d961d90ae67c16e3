// Applies payment links that open the page or arrive while it is open (a link followed in the same tab,
// the web+ttx: protocol handler): a `#pay?…` hash fills the send form through sendPrefill, or is refused
// with a reason, and is then taken off the address bar so that a reload does not apply it again: the
// address bar then shows the Send view (`#/send`), or Home for a refused link. Nothing is sent here: the
// send form still asks the user to confirm.
import { isPaymentHash, parsePaymentLink, type PaymentRequest } from './paymentLink.ts';
import { route } from './route.svelte.ts';
import { sendPrefill } from './sendPrefill.svelte.ts';

export interface PaymentLinkListener {
  /** The send form now holds `request`. */
  applied(request: PaymentRequest): void;
  /** The link was not usable; the form was left as it was. */
  refused(problem: string): void;
}

/** Applies the current hash, then every later one; returns the function that stops listening. */
export function listenForPaymentLinks(listener: PaymentLinkListener): () => void {
  const apply = () => {
    if (!isPaymentHash(location.hash)) return;
    const result = parsePaymentLink(location.hash);
    // route.show replaces the entry: no history entry, no hashchange.
    route.show(result.ok ? 'send' : 'home');
    if (result.ok) {
      sendPrefill.request(result.request);
      listener.applied(result.request);
    } else {
      listener.refused(result.problem);
    }
  };
  apply();
  addEventListener('hashchange', apply);
  return () => removeEventListener('hashchange', apply);
}
