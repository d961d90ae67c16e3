// Reads a QR code on a page as a camera would see it: a screenshot of the element as Chromium painted
// it, turned into pixels by the same browser, then decoded by jsQR, a decoder independent of the
// encoder the app uses (uqr).
import jsQR from 'jsqr';
import type { Locator } from 'playwright-core';

/** The text the QR code holds, or null when jsQR finds no readable code in the element's picture. */
export async function readQrCode(locator: Locator): Promise<string | null> {
  // Centre it first: a fixed notice bar at the bottom of the window must not cover it.
  await locator.evaluate((el) => el.scrollIntoView({ block: 'center' }));
  const png = await locator.screenshot();
  const pixels = await locator.page().evaluate(async (base64) => {
    const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bytes], { type: 'image/png' }));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const context = canvas.getContext('2d')!;
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, bitmap.width, bitmap.height).data;
    let binary = '';
    // In slices: spreading a whole picture into fromCharCode would overflow the stack.
    for (let i = 0; i < rgba.length; i += 0x8000) {
      binary += String.fromCharCode(...rgba.subarray(i, i + 0x8000));
    }
    return { width: bitmap.width, height: bitmap.height, rgba: btoa(binary) };
  }, png.toString('base64'));
  const rgba = new Uint8ClampedArray(Buffer.from(pixels.rgba, 'base64'));
  return jsQR(rgba, pixels.width, pixels.height)?.data ?? null;
}
