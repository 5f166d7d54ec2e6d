/**
 * A picture of the evaluation: one row per triplet, columns input | model | warp | real target (the model
 * column only when a model was scored), 2-pixel white gaps. Crops stay at their own resolution, the one the
 * metrics see.
 */
import { createRgbImage, type RgbImage } from '../image/rgbImage.js';

const GAP = 2;

export function imageGrid(rows: RgbImage[][]): RgbImage {
  if (rows.length === 0 || rows[0]!.length === 0) throw new Error('imageGrid: no images');
  const cell = rows[0]![0]!;
  const cols = Math.max(...rows.map((r) => r.length));
  const width = cols * cell.width + (cols - 1) * GAP;
  const height = rows.length * cell.height + (rows.length - 1) * GAP;
  const out = createRgbImage(width, height);
  out.data.fill(255);
  rows.forEach((row, r) =>
    row.forEach((image, c) => {
      if (image.width !== cell.width || image.height !== cell.height)
        throw new Error('imageGrid: images differ in size');
      const x0 = c * (cell.width + GAP);
      const y0 = r * (cell.height + GAP);
      for (let y = 0; y < image.height; y++)
        out.data.set(
          image.data.subarray(y * image.width * 3, (y + 1) * image.width * 3),
          ((y0 + y) * width + x0) * 3,
        );
    }),
  );
  return out;
}
