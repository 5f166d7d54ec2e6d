/**
 * Landmarks of every frame of an animation through key frames: between two neighbouring keys g_v → g_u, frame t
 * of N gets t/N · g_u + (1 − t/N) · g_v (eq. 6 of Qiao et al. 2018), t = 0..N. A key shared by two segments
 * appears once, so K keys and N frames per segment give (K − 1) · N + 1 frames. The one landmark interpolation:
 * the library's animations, the editor's timeline and the evaluation's animation check all use it.
 *
 * The weights are t/N and (N − t)/N, each divided out on its own (not 1 − t/N, which can differ from (N − t)/N in
 * the last bit): then the way back of a there-and-back animation (g_v → g_u → g_v) passes through the very same
 * landmarks, bit for bit, as the way there, and each of its poses is rendered only once (repeatedFrames.ts).
 */
import { MimicError } from '../util/errors.js';

export function interpolateKeys(keys: ArrayLike<number>[], framesPerSegment: number): Float32Array[] {
  if (keys.length < 2) throw new MimicError('an animation needs at least two keys');
  if (!Number.isInteger(framesPerSegment) || framesPerSegment < 1)
    throw new MimicError(`frames per segment must be a whole number of at least 1 (got ${framesPerSegment})`);
  const dim = keys[0]!.length;
  const frames: Float32Array[] = [Float32Array.from(keys[0]!)];
  for (let k = 1; k < keys.length; k++) {
    const from = keys[k - 1]!;
    const to = keys[k]!;
    if (to.length !== dim) throw new Error('interpolateKeys: keys differ in length');
    for (let t = 1; t <= framesPerSegment; t++) {
      const w = t / framesPerSegment;
      const rest = (framesPerSegment - t) / framesPerSegment;
      const frame = new Float32Array(dim);
      for (let i = 0; i < dim; i++) frame[i] = w * to[i]! + rest * from[i]!;
      frames.push(frame);
    }
  }
  return frames;
}
