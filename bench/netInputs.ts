// The four network inputs one detection makes from a photo's bytes (src/face/netInput.ts): the tiny detector's at
// 320 and 512 and two landmark crops at 112, in a loop. Prints the first round and the median, so that two builds
// can be compared (this work is plain JavaScript, before any network runs).
// Usage: node --import tsx bench/netInputs.ts [photo] [rounds (default 40)]
import { squareNetInput } from '../src/face/netInput.js';
import { decodeImage } from '../src/image/io.js';

const photo = await decodeImage(process.argv[2] ?? 'assets/samples/canada-019f.jpg');
const rounds = Number(process.argv[3] ?? 40);
const whole = { x: 0, y: 0, width: photo.width, height: photo.height };
// a face-sized box in the middle of the photo (its place does not change the work)
const side = Math.round(Math.min(photo.width, photo.height) * 0.55);
const face = {
  x: Math.round((photo.width - side) / 2),
  y: Math.round((photo.height - side) / 2),
  width: side,
  height: Math.round(side * 1.1),
};
const times: number[] = [];
for (let round = 0; round < rounds; round++) {
  const start = performance.now();
  squareNetInput(photo, whole, false, 320);
  squareNetInput(photo, whole, false, 512);
  squareNetInput(photo, face, true, 112);
  squareNetInput(photo, face, true, 112);
  times.push(performance.now() - start);
}
const median = [...times].sort((a, b) => a - b)[Math.floor(rounds / 2)]!;
console.log(
  `${photo.width}×${photo.height}: the four inputs of a detection, first round ${times[0]!.toFixed(1)} ms, ` +
    `median of ${rounds} ${median.toFixed(1)} ms`,
);
