/**
 * CMU Multi-PIE layout:
 *   data/session0S/multiview/SSS/RR/CC_C/SSS_0S_RR_CCC_II.png
 *     SSS subject, S session (1–4), RR recording, CC_C camera, II illumination (00–19)
 * The expression follows from session and recording (Gross et al. 2010). As the paper, only the cameras at 0° and
 * ±15° (05_1, 14_0, 05_0) are used; one illumination per shot (default 07, frontal flash) keeps one image per
 * camera and expression. Both are options: cameras=05_1,14_0,05_0 illumination=07.
 */
import { join } from 'node:path';
import { MimicError } from '../../util/errors.js';
import { IMAGE_EXTENSIONS, isDir, listDir, subdirs } from './fsWalk.js';
import type { DatasetEntry, DatasetReader } from './types.js';

/** EXPRESSIONS[session][recording] */
export const MULTIPIE_EXPRESSIONS: Record<number, Record<number, string>> = {
  1: { 1: 'neutral', 2: 'smile' },
  2: { 1: 'neutral', 2: 'surprise', 3: 'squint' },
  3: { 1: 'neutral', 2: 'smile', 3: 'disgust' },
  4: { 1: 'neutral', 2: 'neutral', 3: 'scream' },
};

export const MULTIPIE_DEFAULT_CAMERAS = ['05_1', '14_0', '05_0'];
export const MULTIPIE_DEFAULT_ILLUMINATION = '07';

export const multipieReader: DatasetReader = {
  layout: 'multipie',
  async read(root, options = {}) {
    const cameras = options.cameras?.split(',') ?? MULTIPIE_DEFAULT_CAMERAS;
    const illumination = options.illumination ?? MULTIPIE_DEFAULT_ILLUMINATION;
    const base = (await isDir(join(root, 'data'))) ? join(root, 'data') : root;
    const sessions = (await subdirs(base)).filter((n) => /^session0[1-4]$/.test(n));
    if (sessions.length === 0)
      throw new MimicError(`${root}: not the Multi-PIE layout (no data/session01–04 folders)`);
    const entries: DatasetEntry[] = [];
    const prefix = base === root ? '' : 'data/';
    for (const sessionDir of sessions) {
      const session = Number(sessionDir.slice(-1));
      const multiview = join(base, sessionDir, 'multiview');
      if (!(await isDir(multiview))) continue;
      for (const subject of await subdirs(multiview)) {
        for (const recordingDir of await subdirs(join(multiview, subject))) {
          const expression = MULTIPIE_EXPRESSIONS[session]?.[Number(recordingDir)];
          if (expression === undefined) continue;
          for (const camera of cameras) {
            const dir = join(multiview, subject, recordingDir, camera);
            if (!(await isDir(dir))) continue;
            for (const name of await listDir(dir)) {
              const match = /_(\d\d)\.[a-z]+$/i.exec(name);
              if (!IMAGE_EXTENSIONS.test(name) || !match || match[1] !== illumination) continue;
              entries.push({
                source: `${prefix}${sessionDir}/multiview/${subject}/${recordingDir}/${camera}/${name}`,
                subject,
                expression,
              });
            }
          }
        }
      }
    }
    if (entries.length === 0)
      throw new MimicError(
        `${root}: no Multi-PIE images for cameras ${cameras.join(', ')} and illumination ${illumination}`,
      );
    return entries;
  },
};
