/**
 * The landmark file: JSON that carries 68 iBUG points and says what they refer to.
 *
 * {
 *   "scheme": "ibug68",
 *   "space": "image" | "aligned" | "normalized",
 *   "imageSize": { "width": 675, "height": 675 },   // the image (or crop) the points refer to
 *   "points": [[x, y], … 68 pairs]
 * }
 *
 * - "image": pixels of the original photo (origin top-left, x right, y down).
 * - "aligned": pixels of the aligned crop (imageSize = crop size).
 * - "normalized": the aligned crop scaled to [-1, 1] on both axes, as the networks see it.
 */
import { readFile } from 'node:fs/promises';
import { MimicError } from '../util/errors.js';
import { fsErrorText } from '../util/fsErrors.js';
import { writeFileAtomic } from '../util/atomic.js';
import { LANDMARK_COUNT, type Landmarks } from './landmarks.js';
import { landmarkGeometryProblem, MAX_LANDMARK_IMAGE_SIDE } from './landmarkGeometry.js';

export type LandmarkSpace = 'image' | 'aligned' | 'normalized';

export interface LandmarkFile {
  scheme: 'ibug68';
  space: LandmarkSpace;
  imageSize: { width: number; height: number };
  points: Landmarks;
}

const SPACES: readonly LandmarkSpace[] = ['image', 'aligned', 'normalized'];

/**
 * How far outside the image a point may lie before the file is rejected, as a share of the image size.
 * Jaw points of a face near the border can fall slightly outside; a point a whole image away is a mistake.
 */
const RANGE_MARGIN = 0.5;

/** Checks an already-parsed value; throws a MimicError naming the first problem. `source` names it in messages. */
export function validateLandmarkFile(value: unknown, source = 'landmark file'): LandmarkFile {
  const fail = (problem: string): never => {
    throw new MimicError(`${source}: ${problem}`);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail('expected a JSON object');
  const obj = value as Record<string, unknown>;
  if (obj.scheme !== 'ibug68') fail(`"scheme" must be "ibug68" (got ${JSON.stringify(obj.scheme)})`);
  if (!SPACES.includes(obj.space as LandmarkSpace))
    fail(
      `"space" must be one of ${SPACES.map((s) => `"${s}"`).join(', ')} (got ${JSON.stringify(obj.space)})`,
    );
  const space = obj.space as LandmarkSpace;
  const size = obj.imageSize as Record<string, unknown> | undefined;
  if (typeof size !== 'object' || size === null) fail('"imageSize" must be an object { width, height }');
  const width = size!.width;
  const height = size!.height;
  if (typeof width !== 'number' || typeof height !== 'number' || !(width > 0) || !(height > 0))
    fail('"imageSize" must have positive numeric "width" and "height"');
  if (!((width as number) <= MAX_LANDMARK_IMAGE_SIDE && (height as number) <= MAX_LANDMARK_IMAGE_SIDE))
    fail(`"imageSize" ${width}×${height} is over the limit of ${MAX_LANDMARK_IMAGE_SIDE} pixels a side`);
  const points = obj.points;
  if (!Array.isArray(points)) fail('"points" must be an array of [x, y] pairs');
  const list = points as unknown[];
  if (list.length !== LANDMARK_COUNT)
    fail(`"points" must hold ${LANDMARK_COUNT} points (got ${list.length})`);
  const [minX, maxX, minY, maxY] =
    space === 'normalized'
      ? [-1 - 2 * RANGE_MARGIN, 1 + 2 * RANGE_MARGIN, -1 - 2 * RANGE_MARGIN, 1 + 2 * RANGE_MARGIN]
      : [
          -RANGE_MARGIN * (width as number),
          (1 + RANGE_MARGIN) * (width as number),
          -RANGE_MARGIN * (height as number),
          (1 + RANGE_MARGIN) * (height as number),
        ];
  const parsed: Landmarks = list.map((p, i) => {
    if (!Array.isArray(p) || p.length !== 2) fail(`point ${i} must be an [x, y] pair`);
    const [x, y] = p as unknown[];
    if (typeof x !== 'number' || typeof y !== 'number') fail(`point ${i} must hold two numbers`);
    if (!Number.isFinite(x) || !Number.isFinite(y)) fail(`point ${i} is not a finite number`);
    if ((x as number) < minX || (x as number) > maxX || (y as number) < minY || (y as number) > maxY)
      fail(`point ${i} (${x}, ${y}) is out of range for space "${space}" and imageSize ${width}×${height}`);
    return [x as number, y as number];
  });
  const problem = landmarkGeometryProblem(parsed, space, Math.max(width as number, height as number));
  if (problem !== undefined) fail(problem);
  return {
    scheme: 'ibug68',
    space,
    imageSize: { width: width as number, height: height as number },
    points: parsed,
  };
}

export function parseLandmarkJson(text: string, source = 'landmark file'): LandmarkFile {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new MimicError(`${source}: not valid JSON (${(error as Error).message})`);
  }
  return validateLandmarkFile(value, source);
}

export async function readLandmarkFile(path: string): Promise<LandmarkFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new MimicError(`cannot read landmark file ${path}: ${fsErrorText(error)}`);
  }
  return parseLandmarkJson(text, path);
}

export function landmarkFileToJson(file: LandmarkFile): string {
  const points = file.points.map(([x, y]) => `[${round(x)}, ${round(y)}]`).join(', ');
  return `{\n  "scheme": "ibug68",\n  "space": "${file.space}",\n  "imageSize": { "width": ${file.imageSize.width}, "height": ${file.imageSize.height} },\n  "points": [${points}]\n}\n`;
}

export async function writeLandmarkFile(path: string, file: LandmarkFile): Promise<void> {
  await writeFileAtomic(path, landmarkFileToJson(file));
}

function round(v: number): number {
  return Math.round(v * 10000) / 10000;
}
