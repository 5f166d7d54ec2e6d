// Face detection (src/face/detect.ts, the default detector) on one photo scaled to several sizes: the warm time per
// size (median of five, after a first run), to see what grows with the photo. Prints the face's box and its nose tip
// too, so that two builds can be compared for the same result.
// Usage: node --import tsx bench/detectionBySize.ts [photo] [megapixels, comma-separated (default 0.3,1,4,12)]
import { initBackend } from '../src/engine/backend.js';
import { detectFaces } from '../src/face/detect.js';
import { decodeImage, resizeImage } from '../src/image/io.js';

const photoPath = process.argv[2] ?? 'assets/samples/canada-019f.jpg';
const sizes = (process.argv[3] ?? '0.3,1,4,12').split(',').map(Number);
const RUNS = 5;

await initBackend();
const decoded = await decodeImage(photoPath);
for (const megapixels of sizes) {
  const scale = Math.sqrt((megapixels * 1e6) / (decoded.width * decoded.height));
  const photo = await resizeImage(
    decoded,
    Math.round(decoded.width * scale),
    Math.round(decoded.height * scale),
  );
  const faces = await detectFaces(photo);
  const times: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    const start = performance.now();
    await detectFaces(photo);
    times.push(performance.now() - start);
  }
  const median = [...times].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!;
  const face = faces[0];
  console.log(
    `${photo.width}×${photo.height} (${megapixels} MP): ${median.toFixed(0)} ms median` +
      (face
        ? `; box x ${face.box.x.toFixed(3)}, nose tip (${face.landmarks[30]!.map((v) => v.toFixed(4)).join(', ')})`
        : '; no face'),
  );
}
