/**
 * The distinct landmark frames of an animation. An animation that goes there and back (`input,smile,input`, the
 * demo) asks for every pose of its way back a second time, and the same target landmarks give the same generated
 * face and the same paste: each distinct pose is rendered once and its picture reused (a copy, so that no two
 * frames of a result share pixels).
 *
 * Equality is exact, bit for bit (the float32 values' bytes), never "close enough": a reused frame is the very
 * picture its own rendering would have made. interpolateKeys writes a way back with the same bits as the way there.
 */
export interface DistinctFrames {
  /** Each distinct frame once, in order of first appearance. */
  distinct: Float32Array[];
  /** Per input frame: its index in `distinct`. */
  indexOf: number[];
}

export function distinctFrames(frames: readonly Float32Array[]): DistinctFrames {
  const seen = new Map<string, number>();
  const distinct: Float32Array[] = [];
  const indexOf: number[] = [];
  for (const frame of frames) {
    const key = bytesKey(frame);
    let index = seen.get(key);
    if (index === undefined) {
      index = distinct.length;
      seen.set(key, index);
      distinct.push(frame);
    }
    indexOf.push(index);
  }
  return { distinct, indexOf };
}

/** The frame's bytes as a string (a Map key): exact, so +0 and −0, or two NaNs of different bits, stay apart. */
function bytesKey(frame: Float32Array): string {
  const words = new Uint32Array(frame.buffer, frame.byteOffset, frame.length);
  let key = '';
  for (let i = 0; i < words.length; i++) key += words[i]!.toString(36) + ',';
  return key;
}

/**
 * The pictures of every frame from those of its distinct pose (`indexOf` from distinctFrames, `pictures` indexed
 * like `distinct`): a pose's first frame takes its picture, each later one a copy.
 */
export function copiesWhereRepeated<T extends { data: Uint8Array }>(
  indexOf: readonly number[],
  pictures: readonly T[],
): T[] {
  const used = new Set<number>();
  return indexOf.map((index) => {
    const picture = pictures[index]!;
    if (!used.has(index)) {
      used.add(index);
      return picture;
    }
    return { ...picture, data: picture.data.slice() };
  });
}
