/**
 * The prepared data set ("cache") that `mimic prepare` writes and training/evaluation read.
 *
 *   <cache>/manifest.json   CacheManifest below
 *   <cache>/images.u8       N × size × size × 3 bytes: aligned RGB crops, row-major HWC, item order
 *   <cache>/landmarks.f32   N × 68 × 2 float32 (little-endian): landmarks in the crop, normalized to [-1, 1]
 *                           (x_norm = x_px / size · 2 − 1; crop pixel coordinates run from 0 to size)
 *
 * The folder is written atomically (a killed `prepare` leaves no cache that looks complete).
 */
import type { AlignmentConfig } from '../face/align.js';

export const CACHE_VERSION = 1;

export interface CacheItem {
  /** Stable id, unique in the cache, e.g. "frl/001/neutral". */
  id: string;
  subject: string;
  /** Expression label name, e.g. "neutral", "smile", "happy", "surprise". */
  expression: string;
  /** Source file relative to the data set root. */
  source: string;
  /** Index in images.u8 / landmarks.f32. */
  index: number;
  /** Where the landmarks came from: the detector, or annotations shipped with the data set. */
  landmarkSource: 'detected' | 'dataset';
}

export interface CacheManifest {
  version: number;
  layout: string;
  /** Data set root as given to prepare (informational). */
  root: string;
  createdAt: string;
  size: number;
  channels: 3;
  alignment: AlignmentConfig;
  /** All expression labels present, sorted; a label's integer id is its index here. */
  labels: string[];
  items: CacheItem[];
  /** Subject-wise k-fold split: folds[k] lists the subjects held out in fold k. */
  split: { k: number; seed: number; folds: string[][] };
  /** Files that could not be used, with the reason. */
  skipped: { source: string; reason: string }[];
}
