/**
 * The driver's face in every frame: 68 landmarks per frame, found by tracking rather than by detecting anew.
 *
 * face-api's SSD detector costs several times the landmark net, so it runs only to acquire the face and every
 * `redetectEvery` frames to check the face is still there; in between, the landmark net runs on a box derived from
 * the previous frame's landmarks (with the same box-to-landmarks relation the detector gave at acquisition, so the
 * landmark net always sees the face framed as it was trained). The landmarks of every frame come from that box,
 * including detection frames: switching between detector boxes and tracking boxes would make the points jump.
 */
import * as tf from '@tensorflow/tfjs';
import type { RgbImage } from '../image/rgbImage.js';
import { faceApiModelFolder, getFaceApi } from '../face/faceApi.js';
import { interocularDistance, type Landmarks } from '../face/landmarks.js';

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface TrackerOptions {
  /** Which face to follow at acquisition, 0 = the largest. */
  face?: number;
  /** Run the detector every this many frames while tracking; default 8. */
  redetectEvery?: number;
  minConfidence?: number;
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
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const x = Math.min(...xs);
  const y = Math.min(...ys);
  return { x, y, width: Math.max(...xs) - x, height: Math.max(...ys) - y };
}

function overlap(a: Box, b: Box): number {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
  if (w <= 0 || h <= 0) return 0;
  return (w * h) / (a.width * a.height + b.width * b.height - w * h);
}

/** Input side of the tiny detector: 416 finds faces down to about 40 px in a 640-px frame. */
const TINY_INPUT_SIZE = 416;

/** The tiny detector scores faces lower than the SSD one: 0.5 missed a third of a clear frontal clip's frames. */
const TINY_MIN_SCORE = 0.3;

let tinyLoaded = false;

/**
 * face-api with its Tiny Face Detector loaded too: several times cheaper than the SSD detector the photo commands
 * use (a video has many frames, and a driver's face is usually large and frontal).
 */
async function faceApiWithTinyDetector(): Promise<Awaited<ReturnType<typeof getFaceApi>>> {
  const faceapi = await getFaceApi(['landmarks']);
  if (!tinyLoaded) {
    await faceapi.nets.tinyFaceDetector.loadFromDisk(faceApiModelFolder());
    tinyLoaded = true;
  }
  return faceapi;
}

export class DriverTracker {
  readonly stats: TrackerStats = { frames: 0, detections: 0, missing: 0, maxFaces: 0 };
  private previous: Landmarks | undefined;
  /** Detector box relative to the landmarks' bounding box, measured at acquisition. */
  private relation: { dx: number; dy: number; sw: number; sh: number } | undefined;

  constructor(private readonly options: TrackerOptions = {}) {}

  /** Landmarks of the followed face in this frame (frame pixels), or null when there is none. */
  async track(frame: RgbImage): Promise<Landmarks | null> {
    await faceApiWithTinyDetector(); // also readies the TF.js backend the frame tensor needs
    const index = this.stats.frames++;
    const input = tf.tensor3d(frame.data, [frame.height, frame.width, 3], 'int32');
    try {
      const every = this.options.redetectEvery ?? 8;
      if (this.previous && index % every !== 0) {
        const next = await this.landmarksInBox(input, this.trackingBox(this.previous), frame);
        if (this.plausible(next)) return (this.previous = next);
      }
      return (this.previous = (await this.detect(input, frame, index)) ?? undefined) ?? this.lost();
    } finally {
      input.dispose();
    }
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

  private async detect(input: tf.Tensor3D, frame: RgbImage, index: number): Promise<Landmarks | null> {
    const faceapi = await faceApiWithTinyDetector();
    this.stats.detections++;
    const found = await faceapi.detectAllFaces(
      input as unknown as Parameters<typeof faceapi.detectAllFaces>[0],
      new faceapi.TinyFaceDetectorOptions({
        inputSize: TINY_INPUT_SIZE,
        scoreThreshold: this.options.minConfidence ?? TINY_MIN_SCORE,
      }),
    );
    const boxes = found
      .map((d) => ({ x: d.box.x, y: d.box.y, width: d.box.width, height: d.box.height }))
      .sort((a, b) => b.width * b.height - a.width * a.height);
    if (boxes.length > this.stats.maxFaces) this.stats.maxFaces = boxes.length;
    if (boxes.length > 1) this.stats.firstSeveralFacesFrame ??= index;
    if (this.previous) {
      // Still tracking: keep the same face if the detector sees it, and keep framing it the tracking way.
      const box = this.trackingBox(this.previous);
      if (boxes.some((b) => overlap(b, box) > 0.3)) {
        const next = await this.landmarksInBox(input, box, frame);
        if (this.plausible(next)) return next;
      }
    }
    // Acquire: the chosen face (by size) the first time, else the face nearest where the last one was.
    let chosen: Box | undefined;
    if (this.previous) {
      const last = this.trackingBox(this.previous);
      chosen = boxes
        .filter((b) => overlap(b, last) > 0)
        .sort((a, b) => overlap(b, last) - overlap(a, last))[0];
    } else if (!this.relation) chosen = boxes[this.options.face ?? 0];
    else chosen = boxes[0];
    if (!chosen) return null;
    const points = await this.landmarksInBox(input, chosen, frame);
    const lm = landmarkBox(points);
    this.relation = {
      dx: (chosen.x - lm.x) / lm.width,
      dy: (chosen.y - lm.y) / lm.height,
      sw: chosen.width / lm.width,
      sh: chosen.height / lm.height,
    };
    return points;
  }

  /** The landmark net on one box of the frame; points in frame pixels. */
  private async landmarksInBox(input: tf.Tensor3D, box: Box, frame: RgbImage): Promise<Landmarks> {
    const faceapi = await getFaceApi(['landmarks']);
    const x0 = Math.max(0, Math.floor(box.x));
    const y0 = Math.max(0, Math.floor(box.y));
    const x1 = Math.min(frame.width, Math.ceil(box.x + box.width));
    const y1 = Math.min(frame.height, Math.ceil(box.y + box.height));
    const crop = tf.slice(input, [y0, x0, 0], [Math.max(1, y1 - y0), Math.max(1, x1 - x0), 3]);
    try {
      const result = await faceapi.nets.faceLandmark68Net.detectLandmarks(
        crop as unknown as Parameters<typeof faceapi.nets.faceLandmark68Net.detectLandmarks>[0],
      );
      const marks = Array.isArray(result) ? result[0]! : result;
      return marks.positions.map((p) => [p.x + x0, p.y + y0] as [number, number]);
    } finally {
      crop.dispose();
    }
  }
}
