// The QR code's SVG path: drawing it back module by module gives exactly uqr's matrix, and that drawing,
// handed to an independent decoder (jsQR), reads as the text that was encoded.
import jsQR from 'jsqr';
import { encode } from 'uqr';
import { describe, expect, it } from 'vitest';
import { formatPaymentLink } from '../../src/app/paymentLink.ts';
import { qrModulePath } from '../../src/ui/qrModulePath.ts';
import { v1 } from '../support/vectors.ts';

const alice = v1.people.alice!.address;

/** Fills the rectangles of a path made by qrModulePath (`M x y h w v1 h-w z` each) into a matrix. */
function drawPath(path: string, size: number): boolean[][] {
  const matrix = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  const commands = path.match(/M\d+ \d+h\d+v1h-\d+z/g) ?? [];
  expect(commands.join('')).toBe(path); // nothing in the path but those rectangles
  for (const command of commands) {
    const [x, y, w] = command.match(/\d+/g)!.map(Number) as [number, number, number];
    for (let i = 0; i < w; i++) {
      expect(matrix[y]![x + i], `module ${x + i},${y} drawn twice`).toBe(false);
      matrix[y]![x + i] = true;
    }
  }
  return matrix;
}

/** RGBA pixels of a matrix, `scale` pixels a module, dark on white, as a screen would show it. */
function rasterise(matrix: boolean[][], scale: number): { data: Uint8ClampedArray; side: number } {
  const side = matrix.length * scale;
  const data = new Uint8ClampedArray(side * side * 4).fill(255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (!matrix[Math.floor(y / scale)]![Math.floor(x / scale)]) continue;
      data.fill(0, (y * side + x) * 4, (y * side + x) * 4 + 3);
    }
  }
  return { data, side };
}

describe('qrModulePath', () => {
  it('draws runs as rectangles in module units', () => {
    expect(
      qrModulePath([
        [true, true, false, true],
        [false, false, false, false],
        [false, true, true, true],
      ]),
    ).toBe('M0 0h2v1h-2zM3 0h1v1h-1zM1 2h3v1h-3z');
    expect(qrModulePath([[false, false]])).toBe('');
  });

  it.each([
    ['an address', alice],
    [
      'a request link with a long unicode memo',
      formatPaymentLink('http://127.0.0.1:5173/', {
        to: alice,
        tokens: '42',
        memo: '☕ & 🥐 #2? '.repeat(20),
      }),
    ],
  ])('holds exactly the matrix of %s, which decodes back to the text', (_what, text) => {
    const qr = encode(text, { ecc: 'M', border: 4 });
    expect(drawPath(qrModulePath(qr.data), qr.size)).toEqual(qr.data);
    const { data, side } = rasterise(qr.data, 3);
    expect(jsQR(data, side, side)?.data).toBe(text);
  });
});
