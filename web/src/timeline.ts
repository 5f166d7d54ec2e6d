/**
 * Key frames of an animation: landmark sets in order, each with the number of frames to the next key. Frames are
 * the CLI's eq.-6 interpolation (src/face/interpolate.ts: linear in landmark space) segment by segment, so the
 * page and `mimic animate` give the same frames for the same keys.
 */
import { interpolateKeys } from '../../src/face/interpolate.js';

export interface Key {
  id: number;
  /** 136 normalized coordinates. */
  landmarks: Float32Array;
  /** Frames from this key to the next one (the next key is the last of them); unused on the last key. */
  framesToNext: number;
}

export const DEFAULT_FRAMES_TO_NEXT = 8;
export const MAX_FRAMES_TO_NEXT = 120;

export class Timeline {
  private list: Key[] = [];
  private nextId = 1;

  get keys(): readonly Key[] {
    return this.list;
  }

  add(landmarks: Float32Array, framesToNext = DEFAULT_FRAMES_TO_NEXT): Key {
    const key = { id: this.nextId++, landmarks: Float32Array.from(landmarks), framesToNext };
    this.list.push(key);
    return key;
  }

  remove(id: number): void {
    this.list = this.list.filter((k) => k.id !== id);
  }

  /**
   * Moves a key `delta` places (−1 = earlier); stops at either end. The frame counts belong to the gaps between
   * positions, not to the keys: moving a key keeps every gap's length (the animation's timing stays, only which
   * face comes when changes).
   */
  move(id: number, delta: number): void {
    const from = this.list.findIndex((k) => k.id === id);
    if (from < 0) return;
    const gaps = this.list.map((k) => k.framesToNext);
    const to = Math.max(0, Math.min(this.list.length - 1, from + delta));
    const [key] = this.list.splice(from, 1);
    this.list.splice(to, 0, key!);
    this.list.forEach((k, position) => (k.framesToNext = gaps[position]!));
  }

  setFramesToNext(id: number, frames: number): void {
    const key = this.list.find((k) => k.id === id);
    if (key === undefined) return;
    key.framesToNext = Math.max(1, Math.min(MAX_FRAMES_TO_NEXT, Math.round(frames)));
  }

  /** Number of frames the animation has: the first key plus every segment's frames. */
  get frameCount(): number {
    if (this.list.length < 2) return this.list.length;
    return 1 + this.list.slice(0, -1).reduce((sum, k) => sum + k.framesToNext, 0);
  }

  /** Landmarks of every frame, first key to last. */
  frames(): Float32Array[] {
    if (this.list.length < 2) throw new Error('an animation needs at least two keys');
    const frames: Float32Array[] = [];
    for (let k = 0; k + 1 < this.list.length; k++) {
      const key = this.list[k]!;
      const segment = interpolateKeys([key.landmarks, this.list[k + 1]!.landmarks], key.framesToNext);
      // The shared key ends one segment and starts the next: keep it once.
      frames.push(...(k === 0 ? segment : segment.slice(1)));
    }
    return frames;
  }
}
