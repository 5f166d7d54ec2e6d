import type { Landmarks } from '../../face/landmarks.js';

/** One photo of a data set, as a reader finds it on disk. */
export interface DatasetEntry {
  /** Path relative to the data set root (stable across machines; used in ids and reports). */
  source: string;
  subject: string;
  expression: string;
  /** Landmarks shipped with the data set (photo pixels), used instead of the detector when present. */
  landmarks?: Landmarks;
}

export interface DatasetReader {
  layout: string;
  /** Lists the photos under `root`; throws MimicError when the folder does not look like this layout. */
  read(root: string, options?: Record<string, string>): Promise<DatasetEntry[]>;
}
