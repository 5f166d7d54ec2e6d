// The library on a warm `Mimic`: one photo scaled to about `pixels` pixels, decoded once (in memory), transferred
// to the smile preset several times after a warm-up run; the median, and the part of it that is face detection and
// alignment (Mimic.prepare), and the CPU time of this process (sharp's threads included) per transfer.
import { decodeImage, resizeImage } from '../../src/image/io.js';
import { Mimic } from '../../src/transfer/mimic.js';

const RUNS = 5;
const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export async function warmLibraryTransfer(
  path: string,
  pixels: number,
): Promise<{ ms: number; cpuMs: number; prepareMs: number; size: string }> {
  const mimic = await Mimic.load();
  const decoded = await decodeImage(path);
  const scale = Math.sqrt(pixels / (decoded.width * decoded.height));
  const photo = await resizeImage(
    decoded,
    Math.round(decoded.width * scale),
    Math.round(decoded.height * scale),
  );
  await mimic.transfer(photo, { expression: 'smile' }); // warm-up: face-api and XNNPACK operators
  const total: number[] = [];
  const prepare: number[] = [];
  const cpu: number[] = [];
  for (let k = 0; k < RUNS; k++) {
    let start = performance.now();
    await mimic.prepare(photo);
    prepare.push(performance.now() - start);
    start = performance.now();
    const used = process.cpuUsage();
    await mimic.transfer(photo, { expression: 'smile' });
    total.push(performance.now() - start);
    const { user, system } = process.cpuUsage(used);
    cpu.push((user + system) / 1000);
  }
  return {
    ms: median(total),
    cpuMs: median(cpu),
    prepareMs: median(prepare),
    size: `${photo.width}×${photo.height} = ${((photo.width * photo.height) / 1e6).toFixed(2)} MP`,
  };
}
