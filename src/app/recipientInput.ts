// What a person puts in the send form's Recipient field, by typing, pasting or scanning a QR code: a bare
// address, a payment link (`https://…/#pay?to=…`, what the Receive QR codes hold, since a phone camera
// opens a web link and not a bare `ttx1…`), or a `web+ttx:` URI. One reading for all three ways in, so a
// scanned code fills the form exactly as the same text pasted would. Pure: the page's own address is
// handed in.
import { checkAddress } from '../core/address.ts';
import { normalizeAddress } from './addressInput.ts';
import { parsePaymentLink, type PaymentRequest } from './paymentLink.ts';

export type RecipientInput =
  | { readonly kind: 'empty' }
  | { readonly kind: 'address'; readonly to: string }
  | {
      readonly kind: 'link';
      readonly request: PaymentRequest;
      /**
       * Where a link made on another page points (its origin and path), or null for this page's own
       * links and URIs. Links name an app, not a network, so this is a warning, not a refusal: the
       * person should check they pay on the network the payee uses.
       */
      readonly otherApp: string | null;
    }
  /** Meant as a link or URI, but not a usable one: `problem` says why, in a sentence. */
  | { readonly kind: 'bad-link'; readonly problem: string }
  /** Not an address, link or URI at all, as a scanned QR code of a web page or of plain text is. */
  | { readonly kind: 'other'; readonly text: string }
  /** Meant as an address (starts with ttx1, in either case) but not a valid one. */
  | { readonly kind: 'bad-address'; readonly problem: string };

/** Text with a scheme (`https:`, `web+ttx:`) or a bare payment hash is read as a link, not an address. */
const LINK_START = /^(?:[a-z][a-z0-9+.-]*:|#pay(?:\?|$))/iu;

/**
 * Reads the field's text. `pageApp` is this page's origin and path (`location.origin + location.pathname`),
 * used only to notice links made for another app.
 */
export function readRecipientInput(text: string, pageApp: string): RecipientInput {
  const trimmed = text.trim();
  if (trimmed === '') return { kind: 'empty' };
  if (LINK_START.test(trimmed)) {
    const parsed = parsePaymentLink(trimmed);
    if (parsed.ok) return { kind: 'link', request: parsed.request, otherApp: otherAppOf(trimmed, pageApp) };
    // A web link that is not a payment link (a shop's page, say) is something else, not a broken link.
    if (!/^web\+ttx:/iu.test(trimmed) && !trimmed.includes('#pay')) return { kind: 'other', text: trimmed };
    return { kind: 'bad-link', problem: `This payment link cannot be used: ${parsed.problem}.` };
  }
  const to = normalizeAddress(trimmed);
  const check = checkAddress(to);
  if (check.ok) return { kind: 'address', to };
  if (!to.toLowerCase().startsWith('ttx1')) return { kind: 'other', text: trimmed };
  return { kind: 'bad-address', problem: sentence(check.problem) };
}

/** What the form says of text that is neither an address nor a link; a scanned code's text is quoted. */
export function otherTextProblem(text: string, from: 'field' | 'QR code'): string {
  if (from === 'field') return 'Recipient takes an address (ttx1…), a payment link or a web+ttx: link.';
  const shown = text.length > 40 ? `${text.slice(0, 40)}…` : text;
  return `This QR code holds ${JSON.stringify(shown)}, not an address (ttx1…) or a payment link.`;
}

function otherAppOf(link: string, pageApp: string): string | null {
  let url: URL;
  try {
    url = new URL(link);
  } catch {
    return null;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return null;
  const app = `${url.origin}${url.pathname}`;
  return app === pageApp ? null : app;
}

function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1) + (/[.?!]$/u.test(text) ? '' : '.');
}
