/**
 * What the camera mode measures of itself: frames shown per second (camera frame grabbed → result on screen, over
 * the last two seconds), and where each frame's time went (face tracking, generation, paste), as means over the
 * last 30 frames.
 */
export interface FrameTimes {
  /** When the camera frame was grabbed and when its result was on the canvas (performance.now(), ms). */
  grabbed: number;
  shown: number;
  trackMs: number;
  generateMs: number;
  pasteMs: number;
}

export interface LiveSummary {
  shown: number;
  fps: number;
  latencyMs: number;
  trackMs: number;
  generateMs: number;
  pasteMs: number;
}

const FPS_WINDOW_MS = 2000;
const MEAN_FRAMES = 30;

export class LiveStats {
  private recent: FrameTimes[] = [];
  shown = 0;

  add(frame: FrameTimes): void {
    this.shown++;
    this.recent.push(frame);
    while (
      this.recent.length > MEAN_FRAMES ||
      (this.recent.length > 2 && frame.shown - this.recent[0]!.shown > FPS_WINDOW_MS)
    )
      this.recent.shift();
  }

  summary(): LiveSummary {
    const r = this.recent;
    const mean = (f: (t: FrameTimes) => number): number =>
      r.length === 0 ? 0 : r.reduce((s, t) => s + f(t), 0) / r.length;
    const span = r.length < 2 ? 0 : r[r.length - 1]!.shown - r[0]!.shown;
    return {
      shown: this.shown,
      fps: span > 0 ? ((r.length - 1) * 1000) / span : 0,
      latencyMs: mean((t) => t.shown - t.grabbed),
      trackMs: mean((t) => t.trackMs),
      generateMs: mean((t) => t.generateMs),
      pasteMs: mean((t) => t.pasteMs),
    };
  }

  reset(): void {
    this.recent = [];
    this.shown = 0;
  }
}
