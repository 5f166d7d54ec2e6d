/** A plain folder tree: <root>/<subject>/<expression>/<images>. */
import { join } from 'node:path';
import { MimicError } from '../../util/errors.js';
import { IMAGE_EXTENSIONS, listDir, subdirs } from './fsWalk.js';
import type { DatasetEntry, DatasetReader } from './types.js';

export const foldersReader: DatasetReader = {
  layout: 'folders',
  async read(root) {
    const entries: DatasetEntry[] = [];
    for (const subject of await subdirs(root)) {
      for (const expression of await subdirs(join(root, subject))) {
        for (const name of await listDir(join(root, subject, expression))) {
          if (IMAGE_EXTENSIONS.test(name))
            entries.push({ source: `${subject}/${expression}/${name}`, subject, expression });
        }
      }
    }
    if (entries.length === 0)
      throw new MimicError(`${root}: no images found in <subject>/<expression>/ folders`);
    return entries;
  },
};
