/**
 * Face detection and 68-point landmarks with face-api, in Node and in the page alike: FaceDetection is given the
 * function that loads face-api's nets where it runs (src/face/detect.ts for Node, web/src/faceDetector.ts for the
 * page), so that a photo gets the same faces and points from `mimic` and from the web editor.
 *
 * By default (`tiny`) its Tiny Face Detector, run at two input sizes, finds the faces, and where it finds exactly
 * one the 68-point landmark net reads it twice; where it finds none or several, the SSD MobileNet v1 detector
 * decides, as it always did. `detector: 'ssd'` (MIMIC_DETECTOR=ssd
 * in the CLI) uses the SSD alone, exactly as Mimic did before.
 *
 * Why: the SSD always runs at 512×512 and was about two thirds of a warm transfer (≈ 340 ms of CPU per photo on
 * WASM); the tiny path costs about 150 ms (bench/detectors.ts, README speed). The tiny detector at one input size
 * missed the face of some portraits the SSD found; at 320 and 512 together it found the same faces as the SSD on
 * every one-face photo tried, but in a composed group photo it missed the smallest face (and found another that the
 * SSD missed), and faces of about one size come in another order: so groups stay with the SSD.
 *
 * Why two landmark passes: the landmark net reads the crop it is given, so a box from another detector moves the
 * points (the tiny detector's boxes are wider and lower than the SSD's). The second pass reads a box made from the
 * first pass's points, placed around them as the SSD's box sits around its points on average, so the result
 * depends little on which detector found the face, and is steadier when the photo moves.
 *
 * Every pass is face-api's network given an input made from the photo's bytes (netInput.ts) rather than a tensor of
 * the whole photo, which face-api would cast, pad and resize for every pass (most of the time on a large photo);
 * the boxes and points are mapped back as face-api maps them, so they are the ones it gave for the whole photo.
 */
import tf from '../engine/tfjs.cjs';
import type { RgbImage } from '../image/rgbImage.js';
import { MimicError } from '../util/errors.js';
import type { FaceApi, FaceNet } from './faceApi.js';
import { landmarksFromNet } from './faceApiResults.js';
import { landmarkBounds, type Landmarks } from './landmarks.js';
import { intersectionOverUnion, type Box } from '../geometry/box.js';
import { squareNetInput, type PixelRect } from './netInput.js';

export interface DetectedFace {
  /** Detector box in photo pixels. */
  box: Box;
  /** Detector confidence in [0, 1]. */
  score: number;
  /** 68 iBUG points in photo pixels. */
  landmarks: Landmarks;
  /** Which detector found it. */
  detector: FaceDetectorName;
}

export const FACE_DETECTORS = ['tiny', 'ssd'] as const;
export type FaceDetectorName = (typeof FACE_DETECTORS)[number];

export interface DetectOptions {
  /** Detections below this confidence are ignored. */
  minConfidence?: number;
  /** Which detector finds the faces (default `tiny`; the CLI's default is MIMIC_DETECTOR's). */
  detector?: FaceDetectorName;
}

export const DEFAULT_MIN_CONFIDENCE = 0.5;

/** face-api with the nets asked for loaded (each once): Node's (faceApi.ts) or the page's. */
export type FaceApiLoader = (nets: FaceNet[]) => Promise<FaceApi>;
type FaceApiInput = Parameters<FaceApi['detectAllFaces']>[0];

/** The SSD's input side. */
const SSD_INPUT = 512;

/**
 * Input sizes the tiny detector runs at. At a score of 0.5, 320 alone found fewer faces than the SSD in 23 of 180
 * photos and 512 alone in 11 (portraits it scored lower, a small face of a group); the two together in none
 * (README, speed).
 */
const TINY_INPUT_SIZES = [320, 512] as const;

/** Boxes overlapping this much (intersection over union) are one face found at both sizes. */
const SAME_FACE_IOU = 0.3;

/** The landmark net's input side. */
const LANDMARK_INPUT = 112;

/** Face detection with the face-api that `faceApi` loads (Node's or the page's). */
export class FaceDetection {
  constructor(private readonly faceApi: FaceApiLoader) {}

  /** All faces in the photo, largest first. */
  async detectFaces(image: RgbImage, options: DetectOptions = {}): Promise<DetectedFace[]> {
    const detector = options.detector ?? 'tiny';
    const minConfidence = options.minConfidence ?? DEFAULT_MIN_CONFIDENCE;
    let faces: DetectedFace[];
    if (detector === 'ssd') faces = await this.ssdFaces(image, minConfidence);
    else {
      const boxes = await this.tinyDetectorBoxes(image, minConfidence);
      // One face: the tiny path. None, or a group: the SSD decides, so that no photo loses a face the SSD would
      // find and a group's faces (and their order, which --face N counts in) are the SSD's. Only where the SSD
      // finds none of a group's faces are the tiny detector's kept.
      faces =
        boxes.length === 1
          ? await this.tinyDetectorFaces(image, boxes)
          : await this.ssdFaces(image, minConfidence);
      if (faces.length === 0 && boxes.length > 1) faces = await this.tinyDetectorFaces(image, boxes);
    }
    return faces.sort((a, b) => b.box.width * b.box.height - a.box.width * a.box.height);
  }

  /**
   * The faces to choose face `index` from: `faces` as found, or the SSD's when they came from the tiny detector and
   * are too few (it can miss a small face in the background that the SSD finds, and `--face 1` asks for it).
   */
  async facesToChooseFrom(
    image: RgbImage,
    faces: DetectedFace[],
    index: number,
    options: Pick<DetectOptions, 'minConfidence'> = {},
  ): Promise<DetectedFace[]> {
    if (index < faces.length || !faces.some((f) => f.detector === 'tiny')) return faces;
    return this.detectFaces(image, { ...options, detector: 'ssd' });
  }

  /**
   * face-api's SSD and its one landmark pass on the SSD's box, as Mimic has always detected (face-api's
   * detectAllFaces(…).withFaceLandmarks() on the photo's tensor), with inputs made from the photo's bytes.
   */
  private async ssdFaces(image: RgbImage, minConfidence: number): Promise<DetectedFace[]> {
    const faceapi = await this.faceApi(['detector', 'landmarks']);
    const found = await this.detectorPass(
      image,
      SSD_INPUT,
      new faceapi.SsdMobilenetv1Options({ minConfidence }),
    );
    const faces: DetectedFace[] = [];
    for (const { box, score } of found) {
      // face-api's crop: the box cut at the photo's borders, each of its numbers rounded down
      const x = Math.max(box.x, 0);
      const y = Math.max(box.y, 0);
      const rect = {
        x: Math.floor(x),
        y: Math.floor(y),
        width: Math.floor(Math.min(box.x + box.width - x, image.width - x)),
        height: Math.floor(Math.min(box.y + box.height - y, image.height - y)),
      };
      if (rect.width <= 0 || rect.height <= 0) continue;
      // and its points moved by the box's corner, not the crop's (up to a pixel apart: face-api's way, kept), through
      // its relative positions (the division and product are its own)
      const points = (await this.landmarkNet(image, rect)).map(
        ([px, py]) =>
          [(px / rect.width) * rect.width + box.x, (py / rect.height) * rect.height + box.y] as [
            number,
            number,
          ],
      );
      faces.push({ box, score, landmarks: points, detector: 'ssd' });
    }
    return faces;
  }

  /** The tiny detector's boxes at every input size, one per face. */
  private async tinyDetectorBoxes(
    image: RgbImage,
    minConfidence: number,
  ): Promise<{ box: Box; score: number }[]> {
    const found: { box: Box; score: number }[] = [];
    for (const inputSize of TINY_INPUT_SIZES)
      found.push(...(await this.tinyDetectorPass(image, inputSize, minConfidence)));
    return mergeSameFaces(found);
  }

  /**
   * face-api's Tiny Face Detector at one input size, its input made from the photo's bytes (netInput.ts): every face
   * it scores at least `minScore`, boxes in photo pixels.
   */
  async tinyDetectorPass(
    photo: RgbImage,
    inputSize: number,
    minScore: number,
  ): Promise<{ box: Box; score: number }[]> {
    const faceapi = await this.faceApi(['tinyDetector']);
    return this.detectorPass(
      photo,
      inputSize,
      new faceapi.TinyFaceDetectorOptions({ inputSize, scoreThreshold: minScore }),
    );
  }

  /** A face-api detector on the photo resized into its `inputSize` square: boxes in photo pixels, with their scores. */
  private async detectorPass(
    photo: RgbImage,
    inputSize: number,
    options: Parameters<FaceApi['detectAllFaces']>[1],
  ): Promise<{ box: Box; score: number }[]> {
    const faceapi = await this.faceApi([]);
    const input = squareNetInput(photo, wholePhoto(photo), false, inputSize);
    const tensor = tf.tensor3d(input.data, [inputSize, inputSize, 3], 'float32');
    try {
      const detections = await faceapi.detectAllFaces(tensor as unknown as FaceApiInput, options);
      // Given the whole photo, face-api measures the boxes against the photo's sides at the network's scale rounded
      // to whole pixels (its computeReshapedDimensions), which stretches the shorter side by up to half a pixel of
      // the input: the same factors keep its boxes exactly as they were. (The longer side rounds to inputSize.)
      const scale = inputSize / input.side;
      const scaleX = (inputSize * photo.width) / Math.round(photo.width * scale);
      const scaleY = (inputSize * photo.height) / Math.round(photo.height * scale);
      return detections.map((d) => {
        const r = d.relativeBox;
        return {
          box: { x: r.x * scaleX, y: r.y * scaleY, width: r.width * scaleX, height: r.height * scaleY },
          score: d.score,
        };
      });
    } finally {
      tensor.dispose();
    }
  }

  /** The two landmark passes on each of the tiny detector's boxes. */
  private async tinyDetectorFaces(
    image: RgbImage,
    boxes: { box: Box; score: number }[],
  ): Promise<DetectedFace[]> {
    const faces: DetectedFace[] = [];
    for (const { box, score } of boxes) {
      const first = await this.landmarksInBox(image, box);
      if (first === undefined) continue;
      const landmarks = (await this.landmarksInBox(image, boxAroundLandmarks(first))) ?? first;
      faces.push({ box, score, landmarks, detector: 'tiny' });
    }
    return faces;
  }

  /** The landmark net on the whole-pixel part of `box` inside the photo; undefined when that part is empty. */
  async landmarksInBox(photo: RgbImage, box: Box): Promise<Landmarks | undefined> {
    const x0 = Math.max(0, Math.floor(box.x));
    const y0 = Math.max(0, Math.floor(box.y));
    const x1 = Math.min(photo.width, Math.floor(box.x + box.width));
    const y1 = Math.min(photo.height, Math.floor(box.y + box.height));
    if (x1 - x0 < 1 || y1 - y0 < 1) return undefined;
    const points = await this.landmarkNet(photo, { x: x0, y: y0, width: x1 - x0, height: y1 - y0 });
    return points.map(([x, y]) => [x + x0, y + y0]);
  }

  /**
   * face-api's landmark net on `rect` of the photo, its input made from the photo's bytes (netInput.ts): the points in
   * the rectangle's pixels, as face-api gives them for a tensor of the rectangle.
   */
  private async landmarkNet(photo: RgbImage, rect: PixelRect): Promise<Landmarks> {
    const faceapi = await this.faceApi(['landmarks']);
    const input = squareNetInput(photo, rect, true, LANDMARK_INPUT);
    const tensor = tf.tensor3d(input.data, [LANDMARK_INPUT, LANDMARK_INPUT, 3], 'float32');
    try {
      const result = await faceapi.nets.faceLandmark68Net.detectLandmarks(
        tensor as unknown as Parameters<typeof faceapi.nets.faceLandmark68Net.detectLandmarks>[0],
      );
      return landmarksInRect(landmarksFromNet(result, 0, 0), rect);
    } finally {
      tensor.dispose();
    }
  }
}

function wholePhoto(photo: RgbImage): PixelRect {
  return { x: 0, y: 0, width: photo.width, height: photo.height };
}

/** One detection per face: of boxes that overlap, the one with the higher score. */
export function mergeSameFaces<T extends { box: Box; score: number }>(detections: T[]): T[] {
  const kept: T[] = [];
  for (const d of [...detections].sort((a, b) => b.score - a.score))
    if (kept.every((k) => intersectionOverUnion(k.box, d.box) < SAME_FACE_IOU)) kept.push(d);
  return kept;
}

/**
 * Where face-api's SSD box sits around the landmarks it leads to, in units of the landmarks' bounding box: its
 * centre 0.2 % of the width to the right and 13.1 % of the height above the points' centre, 0.994 times as wide and
 * 1.261 times as tall (means over the 179 faces of the README's photo set; spread 1–6 %).
 */
const SSD_BOX_AROUND_LANDMARKS = { dx: 0.0023, dy: -0.131, width: 0.994, height: 1.261 };

/** The box the second landmark pass reads: placed around the first pass's points as the SSD's box would be. */
export function boxAroundLandmarks(points: Landmarks): Box {
  const { left, top, right, bottom } = landmarkBounds(points);
  const spanX = right - left;
  const spanY = bottom - top;
  const width = SSD_BOX_AROUND_LANDMARKS.width * spanX;
  const height = SSD_BOX_AROUND_LANDMARKS.height * spanY;
  const centreX = (left + right) / 2 + SSD_BOX_AROUND_LANDMARKS.dx * spanX;
  const centreY = (top + bottom) / 2 + SSD_BOX_AROUND_LANDMARKS.dy * spanY;
  return { x: centreX - width / 2, y: centreY - height / 2, width, height };
}

/**
 * The landmark net's points on its square input (0..112) as face-api maps them into the rectangle it was given, in
 * the rectangle's pixels: its float32 steps, output × 112 − padding, divided by the rectangle's side at the net's
 * scale, then times the side. (It takes the padding before the image as half the sides' difference, where an odd
 * difference put the odd zero after it: half a pixel of the rectangle off on one axis; kept, so that the points
 * are the ones face-api gave.)
 */
function landmarksInRect(onInput: Landmarks, rect: PixelRect): Landmarks {
  const f = Math.fround;
  const scale = LANDMARK_INPUT / Math.max(rect.height, rect.width);
  const width = rect.width * scale;
  const height = rect.height * scale;
  const padX = f(width < height ? Math.abs(width - height) / 2 : 0);
  const padY = f(height < width ? Math.abs(width - height) / 2 : 0);
  // face-api gave the points on this input as f(f(out × 112) / 112) × 112: f() of that is out × 112 in float32
  const place = (p: number, pad: number, scaled: number, side: number): number =>
    f(f(f(p) - pad) / f(scaled)) * side;
  return onInput.map(([x, y]) => [place(x, padX, width, rect.width), place(y, padY, height, rect.height)]);
}

export interface FaceChoice {
  face: DetectedFace;
  /** Index in the size-sorted list (0 = largest). */
  index: number;
  count: number;
}

/**
 * Picks face `index` (0 = largest, the default) from a detection result; a clear error when there is none.
 * `name` is the photo's name for messages.
 */
export function chooseFace(faces: DetectedFace[], name: string, index = 0): FaceChoice {
  if (faces.length === 0) throw new MimicError(`${name}: no face found`);
  if (!Number.isInteger(index) || index < 0 || index >= faces.length)
    throw new MimicError(
      `${name}: --face ${index} is out of range: ${faces.length} face${faces.length === 1 ? '' : 's'} found (0 = largest)`,
    );
  return { face: faces[index]!, index, count: faces.length };
}
