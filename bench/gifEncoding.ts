// The GIF of `mimic animate PHOTO --keys input,smile --frames 47` (48 frames), encoded again and again in one
// process. Each round, with the palette encodeGif makes (animationPalette): the palette mapping of every frame into
// a new PaletteIndexer (src/animate/paletteIndex.ts: the nearest-colour searches and the colour table), the same
// frames mapped again (colour table lookups only), and the whole encodeGif. Prints each part's median and the GIF's
// size, so two builds can be compared on the same frames.
// Usage: node --import tsx bench/gifEncoding.ts [photo] [rounds (default 7)]
import { initBackend } from '../src/engine/backend.js';
import { animationPalette, encodeGif } from '../src/animate/gif.js';
import { PaletteIndexer } from '../src/animate/paletteIndex.js';
import { decodeImage } from '../src/image/io.js';
import { Mimic } from '../src/transfer/mimic.js';

const photoPath = process.argv[2] ?? 'assets/samples/canada-019f.jpg';
const rounds = Number(process.argv[3] ?? 7);

await initBackend();
const mimic = await Mimic.load();
const photo = await decodeImage(photoPath);
const { frames } = await mimic.animate(photo, [{ own: true }, { expression: 'smile' }], {
  framesPerSegment: 47,
  maxSide: 512,
});
const { width, height } = frames[0]!;
const palette = animationPalette(frames);

const median = (values: number[]): string =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!.toFixed(0);
const firstPass: number[] = [];
const lookups: number[] = [];
const whole: number[] = [];
let bytes = 0;
for (let round = 0; round < rounds; round++) {
  let start = performance.now();
  const indexer = new PaletteIndexer(palette);
  for (const frame of frames) indexer.indices(frame);
  firstPass.push(performance.now() - start);
  start = performance.now();
  for (const frame of frames) indexer.indices(frame);
  lookups.push(performance.now() - start);
  start = performance.now();
  bytes = encodeGif(frames, 12).length;
  whole.push(performance.now() - start);
}
console.log(
  `${frames.length} frames of ${width}×${height}, ${rounds} rounds, medians: palette mapping ${median(firstPass)} ms ` +
    `(colour table lookups alone ${median(lookups)} ms), whole encodeGif ${median(whole)} ms; the GIF ${bytes} bytes`,
);
