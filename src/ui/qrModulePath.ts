// Turns a QR module matrix into one SVG path: each horizontal run of dark modules is one rectangle, so
// a version-10 code is a few hundred short commands instead of thousands of <rect> elements.

/** `matrix[y][x]` is true for a dark module; the path is in module units (viewBox 0 0 size size). */
export function qrModulePath(matrix: readonly (readonly boolean[])[]): string {
  const parts: string[] = [];
  matrix.forEach((row, y) => {
    let x = 0;
    while (x < row.length) {
      if (!row[x]) {
        x++;
        continue;
      }
      const start = x;
      while (x < row.length && row[x]) x++;
      parts.push(`M${start} ${y}h${x - start}v1h-${x - start}z`);
    }
  });
  return parts.join('');
}
