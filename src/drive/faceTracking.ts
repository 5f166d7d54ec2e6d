/**
 * Following one face through a stream of frames, platform-neutral: the nets are passed in (face-api on Node's TF.js
 * for `mimic drive`, tracker.ts; face-api on the page's TF.js for the web editor's camera mode).
 *
 * A face detector costs several times the landmark net, so it runs only to acquire the face and every
 * `redetectEvery` frames to check the face is still there; in between, the landmark net runs on a box derived from
 * the previous frame's landmarks (with the same box-to-landmarks relation the detector gave at acquisition, so the
 * landmark net always sees the face framed as it was trained). The landmarks of every frame come from that box,
 * including detection frames: switching between detector boxes and tracking boxes would make the points jump.
 */
import { interocularDistance, landmarkBounds, type Landmarks } from '../face/landmarks.js';
import { intersectionOverUnion, type Box } from '../geometry/box.js';

export type { Box };

/** The two nets tracking needs, on frames of type F (an RgbImage tensor in Node, a canvas tensor in the page). */
export interface TrackingNets<F> {
  /** Every face's box in the frame, in frame pixels (any order). */
  detect(frame: F): Promise<Box[]>;
  /** The 68 landmarks of the face in `box` (already clipped to the frame), in frame pixels. */
  landmarksInBox(frame: F, box: Box): Promise<Landmarks>;
}

export interface TrackerOptions {
  /** Which face to follow at acquisition, 0 = the largest. */
  face?: number;
  /** Run the detector every this many frames while tracking; default 8. */
  redetectEvery?: number;
}

export interface TrackerStats {
  frames: number;
  detections: number;
  /** Frames where no face was found (or the chosen face did not exist). */
  missing: number;
  /** The most faces seen in one frame, and the first frame where there were several. */
  maxFaces: number;
  firstSeveralFacesFrame?: number;
}

function landmarkBox(points: Landmarks): Box {
  const { left, top, right, bottom } = landmarkBounds(points);
  return { x: left, y: top, width: right - left, height: bottom - top };
}

/** `box` cut to the frame's pixels (whole pixels, at least one). */
function clip(box: Box, width: number, height: number): Box {
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.width));
  const y1 = Math.min(height, Math.ceil(box.y + box.height));
  return { x: x0, y: y0, width: Math.max(1, x1 - x0), height: Math.max(1, y1 - y0) };
}

export class FaceTracker<F> {
  readonly stats: TrackerStats = { frames: 0, detections: 0, missing: 0, maxFaces: 0 };
  private previous: Landmarks | undefined;
  /** Detector box relative to the landmarks' bounding box, measured at acquisition. */
  private relation: { dx: number; dy: number; sw: number; sh: number } | undefined;

  constructor(
    private readonly nets: TrackingNets<F>,
    private readonly options: TrackerOptions = {},
  ) {}

  /** Landmarks of the followed face in this `width`×`height` frame (frame pixels), or null when there is none. */
  async track(frame: F, width: number, height: number): Promise<Landmarks | null> {
    const index = this.stats.frames++;
    const every = this.options.redetectEvery ?? 8;
    if (this.previous && index % every !== 0) {
      const next = await this.nets.landmarksInBox(
        frame,
        clip(this.trackingBox(this.previous), width, height),
      );
      if (this.plausible(next)) return (this.previous = next);
    }
    return (this.previous = (await this.detect(frame, width, height, index)) ?? undefined) ?? this.lost();
  }

  private lost(): null {
    this.stats.missing++;
    return null;
  }

  /** A tracked result far from the previous frame's (the face left, or the net lost it) triggers a detection. */
  private plausible(next: Landmarks): boolean {
    const before = this.previous!;
    const ratio = interocularDistance(next) / interocularDistance(before);
    const a = landmarkBox(before);
    const b = landmarkBox(next);
    const shift = Math.hypot(a.x + a.width / 2 - b.x - b.width / 2, a.y + a.height / 2 - b.y - b.height / 2);
    return ratio > 0.75 && ratio < 1.33 && shift < 0.35 * a.width;
  }

  private trackingBox(points: Landmarks): Box {
    const b = landmarkBox(points);
    const r = this.relation!;
    return {
      x: b.x + r.dx * b.width,
      y: b.y + r.dy * b.height,
      width: r.sw * b.width,
      height: r.sh * b.height,
    };
  }

  private async detect(frame: F, width: number, height: number, index: number): Promise<Landmarks | null> {
    this.stats.detections++;
    const boxes = (await this.nets.detect(frame)).sort((a, b) => b.width * b.height - a.width * a.height);
    if (boxes.length > this.stats.maxFaces) this.stats.maxFaces = boxes.length;
    if (boxes.length > 1) this.stats.firstSeveralFacesFrame ??= index;
    if (this.previous) {
      // Still tracking: keep the same face if the detector sees it, and keep framing it the tracking way.
      const box = this.trackingBox(this.previous);
      if (boxes.some((b) => intersectionOverUnion(b, box) > 0.3)) {
        const next = await this.nets.landmarksInBox(frame, clip(box, width, height));
        if (this.plausible(next)) return next;
      }
    }
    // Acquire: the chosen face (by size) the first time, else the face nearest where the last one was.
    let chosen: Box | undefined;
    if (this.previous) {
      const last = this.trackingBox(this.previous);
      chosen = boxes
        .filter((b) => intersectionOverUnion(b, last) > 0)
        .sort((a, b) => intersectionOverUnion(b, last) - intersectionOverUnion(a, last))[0];
    } else if (!this.relation) chosen = boxes[this.options.face ?? 0];
    else chosen = boxes[0];
    if (!chosen) return null;
    const points = await this.nets.landmarksInBox(frame, clip(chosen, width, height));
    const lm = landmarkBox(points);
    this.relation = {
      dx: (chosen.x - lm.x) / lm.width,
      dy: (chosen.y - lm.y) / lm.height,
      sw: chosen.width / lm.width,
      sh: chosen.height / lm.height,
    };
    return points;
  }
}
