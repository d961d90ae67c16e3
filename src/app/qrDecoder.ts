// Finds and reads a QR code in a camera frame drawn on a canvas: the browser's own BarcodeDetector where
// it reads QR codes (Chrome on Android and macOS, for one), otherwise jsQR. jsQR is imported only when a
// scan starts, so the first load of the page does not carry it.

/** The text of a QR code in the canvas's picture, or null when none is readable in it. */
export type QrDecoder = (canvas: HTMLCanvasElement) => Promise<string | null>;

/** The part of the Shape Detection API used here; TypeScript's DOM library does not declare it yet. */
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): {
    detect(source: HTMLCanvasElement): Promise<{ rawValue: string }[]>;
  };
  getSupportedFormats(): Promise<string[]>;
}

export async function makeQrDecoder(): Promise<QrDecoder> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  // Some browsers define the class but read no QR codes with it (it depends on the platform's library).
  if (
    Detector !== undefined &&
    (await Detector.getSupportedFormats().catch((): string[] => [])).includes('qr_code')
  ) {
    const detector = new Detector({ formats: ['qr_code'] });
    return async (canvas) => (await detector.detect(canvas))[0]?.rawValue ?? null;
  }
  const { default: jsQR } = await import('jsqr');
  return async (canvas) => {
    const context = canvas.getContext('2d', { willReadFrequently: true })!;
    const { data, width, height } = context.getImageData(0, 0, canvas.width, canvas.height);
    // Both ways round: a QR code on a dark-themed screen is light on dark.
    return jsQR(data, width, height, { inversionAttempts: 'attemptBoth' })?.data ?? null;
  };
}
