// Strict UTF-8 for the protocol core. The core is type-checked without DOM or Node globals, so it cannot
// lean on TextEncoder/TextDecoder; these two functions do the same job with the same answers as
// `new TextDecoder('utf-8', { fatal: true, ignoreBOM: true })` (test/core/utf8Properties.test.ts compares them).

/** Encodes a string as UTF-8. Lone surrogates become U+FFFD, as TextEncoder does. */
export function encodeUtf8(text: string): Uint8Array {
  // At most 3 bytes per UTF-16 unit (a surrogate pair, 2 units, makes 4 bytes).
  const out = new Uint8Array(text.length * 3);
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c >= 0xd800 && c <= 0xdfff) c = 0xfffd;
    if (c < 0x80) {
      out[n++] = c;
    } else if (c < 0x800) {
      out[n++] = 0xc0 | (c >> 6);
      out[n++] = 0x80 | (c & 63);
    } else if (c < 0x10000) {
      out[n++] = 0xe0 | (c >> 12);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    } else {
      out[n++] = 0xf0 | (c >> 18);
      out[n++] = 0x80 | ((c >> 12) & 63);
      out[n++] = 0x80 | ((c >> 6) & 63);
      out[n++] = 0x80 | (c & 63);
    }
  }
  return out.slice(0, n);
}

/**
 * Decodes UTF-8, or returns undefined for any byte sequence that is not well-formed UTF-8 (overlong forms,
 * surrogates, code points above U+10FFFF, truncated sequences). A leading BOM is kept as U+FEFF.
 */
export function decodeUtf8Strict(bytes: Uint8Array): string | undefined {
  let text = '';
  let i = 0;
  while (i < bytes.length) {
    const b0 = bytes[i]!;
    if (b0 < 0x80) {
      // Fast path for runs of ASCII, which is nearly all of a tx.json.
      let j = i + 1;
      while (j < bytes.length && bytes[j]! < 0x80 && j - i < 8192) j++; // bounded: arguments live on the stack
      // apply takes the typed array as it is; a spread would iterate it first (several times slower).
      text += String.fromCharCode.apply(null, bytes.subarray(i, j) as unknown as number[]);
      i = j;
      continue;
    }
    let need: number;
    let cp: number;
    let min: number;
    if (b0 >= 0xc2 && b0 <= 0xdf) [need, cp, min] = [1, b0 & 0x1f, 0x80];
    else if (b0 >= 0xe0 && b0 <= 0xef) [need, cp, min] = [2, b0 & 0x0f, 0x800];
    else if (b0 >= 0xf0 && b0 <= 0xf4) [need, cp, min] = [3, b0 & 0x07, 0x10000];
    else return undefined;
    if (i + need >= bytes.length) return undefined; // truncated sequence
    for (let k = 1; k <= need; k++) {
      const b = bytes[i + k]!;
      if ((b & 0xc0) !== 0x80) return undefined;
      cp = (cp << 6) | (b & 0x3f);
    }
    if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return undefined;
    text += String.fromCodePoint(cp);
    i += need + 1;
  }
  return text;
}
