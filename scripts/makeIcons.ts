// Draws the PWA icons in public/ (a white "T" on the theme colour) and encodes them as PNG with
// node:zlib alone, so the icons can be rebuilt without an image toolchain: `npx tsx scripts/makeIcons.ts`.
import { writeFileSync } from 'node:fs';
import { crc32, deflateSync } from 'node:zlib';

type Rgba = readonly [number, number, number, number];

const THEME: Rgba = [0x0f, 0x76, 0x6e, 0xff]; // #0f766e, the manifest's theme_color
const MARK: Rgba = [0xff, 0xff, 0xff, 0xff];
const CLEAR: Rgba = [0, 0, 0, 0];
const SAMPLES = 4; // 4×4 supersampling per pixel for smooth edges

/** Icon geometry in unit coordinates (0..1 across the icon). */
interface IconSpec {
  file: string;
  size: number;
  /** Corner radius of the background; 0 fills the square, as a maskable icon must. */
  cornerRadius: number;
  /** Scale of the mark about the centre; a maskable mark must stay inside the central 80 % circle. */
  markScale: number;
}

const ICONS: IconSpec[] = [
  { file: 'public/icon-192.png', size: 192, cornerRadius: 0.18, markScale: 1 },
  { file: 'public/icon-512.png', size: 512, cornerRadius: 0.18, markScale: 1 },
  { file: 'public/icon-512-maskable.png', size: 512, cornerRadius: 0, markScale: 0.72 },
];

function insideRoundedSquare(x: number, y: number, r: number): boolean {
  if (x < 0 || x > 1 || y < 0 || y > 1) return false;
  const dx = Math.max(r - x, 0, x - (1 - r));
  const dy = Math.max(r - y, 0, y - (1 - r));
  return dx * dx + dy * dy <= r * r;
}

/** The letter T: a bar across the top and a stem, centred. */
function insideMark(x: number, y: number, scale: number): boolean {
  const u = (x - 0.5) / scale + 0.5;
  const v = (y - 0.5) / scale + 0.5;
  const bar = u >= 0.24 && u <= 0.76 && v >= 0.24 && v <= 0.36;
  const stem = u >= 0.43 && u <= 0.57 && v >= 0.24 && v <= 0.78;
  return bar || stem;
}

function colourAt(x: number, y: number, spec: IconSpec): Rgba {
  if (!insideRoundedSquare(x, y, spec.cornerRadius)) return CLEAR;
  return insideMark(x, y, spec.markScale) ? MARK : THEME;
}

/** RGBA rows, each prefixed with PNG filter type 0 (none). */
function render(spec: IconSpec): Uint8Array {
  const { size } = spec;
  const stride = size * 4 + 1;
  const raw = new Uint8Array(stride * size);
  for (let py = 0; py < size; py++) {
    raw[py * stride] = 0;
    for (let px = 0; px < size; px++) {
      // Average premultiplied colour over the samples, then un-premultiply.
      let r = 0;
      let g = 0;
      let b = 0;
      let a = 0;
      for (let sy = 0; sy < SAMPLES; sy++) {
        for (let sx = 0; sx < SAMPLES; sx++) {
          const c = colourAt((px + (sx + 0.5) / SAMPLES) / size, (py + (sy + 0.5) / SAMPLES) / size, spec);
          r += c[0] * c[3];
          g += c[1] * c[3];
          b += c[2] * c[3];
          a += c[3];
        }
      }
      const at = py * stride + 1 + px * 4;
      raw[at] = a === 0 ? 0 : Math.round(r / a);
      raw[at + 1] = a === 0 ? 0 : Math.round(g / a);
      raw[at + 2] = a === 0 ? 0 : Math.round(b / a);
      raw[at + 3] = Math.round(a / (SAMPLES * SAMPLES));
    }
  }
  return raw;
}

function chunk(type: string, data: Uint8Array): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

function encodePng(size: number, rows: Uint8Array): Buffer {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0); // width
  header.writeUInt32BE(size, 4); // height
  header[8] = 8; // bit depth
  header[9] = 6; // colour type: RGBA
  header[10] = 0; // compression: deflate
  header[11] = 0; // filter method
  header[12] = 0; // no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', new Uint8Array(0)),
  ]);
}

for (const spec of ICONS) {
  const png = encodePng(spec.size, render(spec));
  writeFileSync(spec.file, png);
  console.log(`${spec.file}: ${spec.size}×${spec.size}, ${png.length} bytes`);
}
