/**
 * Face Research Lab London Set: neutral/NNN_03.jpg and smiling/NNN_08.jpg, the same NNN being the same person.
 * Expressions are named "neutral" and "smile".
 */
import { join } from 'node:path';
import { MimicError } from '../../util/errors.js';
import { isDir, listDir } from './fsWalk.js';
import type { DatasetEntry, DatasetReader } from './types.js';

const FOLDERS: Record<string, string> = { neutral: 'neutral', smiling: 'smile' };

export const frlReader: DatasetReader = {
  layout: 'frl',
  async read(root) {
    const entries: DatasetEntry[] = [];
    for (const [folder, expression] of Object.entries(FOLDERS)) {
      const dir = join(root, folder);
      if (!(await isDir(dir))) throw new MimicError(`${root}: not the FRL layout (no ${folder}/ folder)`);
      for (const name of await listDir(dir)) {
        const match = /^(\d+)_\d+\.(jpe?g|png)$/i.exec(name);
        if (!match) continue;
        entries.push({ source: `${folder}/${name}`, subject: match[1]!, expression });
      }
    }
    if (entries.length === 0) throw new MimicError(`${root}: no FRL photos (NNN_03.jpg / NNN_08.jpg) found`);
    return entries;
  },
};
