// A video file of a QR code for Chromium's fake camera (`--use-file-for-fake-video-capture`): the code's
// module matrix from uqr, drawn black on white in the middle of a Y4M frame (YUV 4:2:0, the raw format
// Chromium reads). Chromium loops the file, so one frame is a camera that keeps seeing the code.
import { writeFileSync } from 'node:fs';
import { encode } from 'uqr';

const WIDTH = 640;
const HEIGHT = 480;
/** Luma of black and white in the limited range video uses; chroma 128 is grey (no colour). */
const BLACK = 16;
const WHITE = 235;

/** Writes a Y4M file at `path` showing a QR code of `text`; returns the Chromium flags that use it. */
export function writeQrVideo(text: string, path: string): string[] {
  const qr = encode(text, { ecc: 'M', border: 4 });
  const scale = Math.floor(Math.min(WIDTH, HEIGHT) / qr.size);
  if (scale < 3) throw new Error(`a QR code of ${qr.size} modules does not fit a ${WIDTH}×${HEIGHT} frame`);
  const left = Math.floor((WIDTH - qr.size * scale) / 2);
  const top = Math.floor((HEIGHT - qr.size * scale) / 2);
  const luma = Buffer.alloc(WIDTH * HEIGHT, WHITE);
  for (let y = 0; y < qr.size * scale; y++) {
    const row = qr.data[Math.floor(y / scale)]!;
    for (let x = 0; x < qr.size * scale; x++) {
      if (row[Math.floor(x / scale)]) luma[(top + y) * WIDTH + left + x] = BLACK;
    }
  }
  const chroma = Buffer.alloc((WIDTH / 2) * (HEIGHT / 2) * 2, 128);
  const header = Buffer.from(`YUV4MPEG2 W${WIDTH} H${HEIGHT} F10:1 Ip A1:1 C420jpeg\n`, 'latin1');
  writeFileSync(path, Buffer.concat([header, Buffer.from('FRAME\n', 'latin1'), luma, chroma]));
  return ['--use-fake-device-for-media-stream', `--use-file-for-fake-video-capture=${path}`];
}
