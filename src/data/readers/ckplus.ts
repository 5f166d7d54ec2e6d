/**
 * CK+ (Extended Cohn-Kanade) release layout:
 *   cohn-kanade-images/S005/001/S005_001_00000001.png …           frames of one posed sequence
 *   Emotion/S005/001/S005_001_00000011_emotion.txt                 label 0–7 of the sequence's peak (last) frame
 *   Landmarks/S005/001/S005_001_00000001_landmarks.txt             68 "x y" lines per frame
 * As the paper: for every labelled sequence, the first frame is "neutral" and the last frame carries the label.
 * Unlabelled sequences are skipped (CK+ labels only the sequences that fit a prototypic emotion).
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MimicError } from '../../util/errors.js';
import { LANDMARK_COUNT, type Landmarks, LANDMARK_VALUES } from '../../face/landmarks.js';
import { IMAGE_EXTENSIONS, isDir, listDir, subdirs } from './fsWalk.js';
import type { DatasetEntry, DatasetReader } from './types.js';

export const CKPLUS_LABELS = [
  'neutral',
  'anger',
  'contempt',
  'disgust',
  'fear',
  'happy',
  'sadness',
  'surprise',
];

async function readLandmarks(path: string): Promise<Landmarks | undefined> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch {
    return undefined;
  }
  const numbers = text.trim().split(/\s+/).map(Number);
  if (numbers.length !== LANDMARK_VALUES || numbers.some((n) => !Number.isFinite(n)))
    throw new MimicError(`${path}: expected ${LANDMARK_COUNT} lines of "x y"`);
  const points: Landmarks = [];
  for (let i = 0; i < LANDMARK_COUNT; i++) points.push([numbers[2 * i]!, numbers[2 * i + 1]!]);
  return points;
}

async function readLabel(path: string): Promise<string> {
  const value = Number((await readFile(path, 'utf8')).trim());
  const label = CKPLUS_LABELS[value];
  if (!Number.isInteger(value) || label === undefined) throw new MimicError(`${path}: label must be 0–7`);
  return label;
}

export const ckplusReader: DatasetReader = {
  layout: 'ckplus',
  async read(root) {
    const images = join(root, 'cohn-kanade-images');
    if (!(await isDir(images)))
      throw new MimicError(`${root}: not the CK+ layout (no cohn-kanade-images/ folder)`);
    const entries: DatasetEntry[] = [];
    for (const subject of await subdirs(images)) {
      for (const sequence of await subdirs(join(images, subject))) {
        const emotionDir = join(root, 'Emotion', subject, sequence);
        const labelFiles = (await isDir(emotionDir))
          ? (await listDir(emotionDir)).filter((n) => n.endsWith('_emotion.txt'))
          : [];
        if (labelFiles.length === 0) continue;
        const label = await readLabel(join(emotionDir, labelFiles[0]!));
        const frames = (await listDir(join(images, subject, sequence))).filter((n) =>
          IMAGE_EXTENSIONS.test(n),
        );
        if (frames.length < 2) continue;
        const pick = async (frame: string, expression: string): Promise<DatasetEntry> => {
          const stem = frame.replace(/\.[^.]+$/, '');
          const landmarks = await readLandmarks(
            join(root, 'Landmarks', subject, sequence, `${stem}_landmarks.txt`),
          );
          return {
            source: `cohn-kanade-images/${subject}/${sequence}/${frame}`,
            subject,
            expression,
            ...(landmarks ? { landmarks } : {}),
          };
        };
        entries.push(await pick(frames[0]!, 'neutral'));
        entries.push(await pick(frames[frames.length - 1]!, label));
      }
    }
    if (entries.length === 0) throw new MimicError(`${root}: no labelled CK+ sequences found`);
    return entries;
  },
};
