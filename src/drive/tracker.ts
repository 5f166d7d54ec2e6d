/**
 * The driver's face in every frame: face-api's Tiny Face Detector and 68-point landmark net, through a FaceDetection
 * (src/face/faceDetection.ts: `mimic drive` passes Node's, the web editor's camera mode the page's), plugged into
 * the tracking of faceTracking.ts.
 */
import type { RgbImage } from '../image/rgbImage.js';
import type { FaceDetection } from '../face/faceDetection.js';
import type { Landmarks } from '../face/landmarks.js';
import { FaceTracker, type TrackerOptions as TrackingOptions, type TrackerStats } from './faceTracking.js';

export type { TrackerStats };

export interface TrackerOptions extends TrackingOptions {
  minConfidence?: number;
  /** The tiny detector's input side (default TINY_INPUT_SIZE; the page's camera frames are smaller). */
  inputSize?: number;
}

/** Input side of the tiny detector: 416 finds faces down to about 40 px in a 640-px frame. */
const TINY_INPUT_SIZE = 416;

/** The tiny detector scores faces lower than the SSD one: 0.5 missed a third of a clear frontal clip's frames. */
const TINY_MIN_SCORE = 0.3;

export class DriverTracker {
  private readonly tracker: FaceTracker<RgbImage>;

  constructor(detection: FaceDetection, options: TrackerOptions = {}) {
    const minScore = options.minConfidence ?? TINY_MIN_SCORE;
    const inputSize = options.inputSize ?? TINY_INPUT_SIZE;
    // face-api's Tiny Face Detector (several times cheaper than the SSD: a video has many frames, and a driver's face
    // is usually large and frontal) and its landmark net, both given inputs made from the frame's bytes (netInput.ts).
    this.tracker = new FaceTracker<RgbImage>(
      {
        detect: async (frame) =>
          (await detection.tinyDetectorPass(frame, inputSize, minScore)).map((found) => found.box),
        landmarksInBox: async (frame, box) => {
          const points = await detection.landmarksInBox(frame, box);
          // (the tracker clips its boxes to the frame, at least a pixel each way)
          if (points === undefined) throw new Error(`tracker: empty landmark box ${JSON.stringify(box)}`);
          return points;
        },
      },
      options,
    );
  }

  get stats(): TrackerStats {
    return this.tracker.stats;
  }

  /** Landmarks of the followed face in this frame (frame pixels), or null when there is none. */
  track(frame: RgbImage): Promise<Landmarks | null> {
    return this.tracker.track(frame, frame.width, frame.height);
  }
}
