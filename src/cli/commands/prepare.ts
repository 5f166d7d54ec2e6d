/** `mimic prepare`: build a training-ready data cache from a data set folder. */
import { parseArgs } from 'node:util';
import { initBackend } from '../../engine/backend.js';
import { prepareDataset } from '../../data/prepare.js';
import { READERS } from '../../data/readers/index.js';
import { MimicError } from '../../util/errors.js';
import { checkOutputFolder } from '../../transfer/output.js';
import type { CliCommand } from '../command.js';
import { parseAlignmentFlags, parseBackendFlag, parseIntFlag, requireOne } from '../options.js';

const usage = `Usage: mimic prepare <dir> --layout <${Object.keys(READERS).join('|')}> --out <cache> [options]

Detects, aligns and stores every face of a data set in a compact cache that training reads fast.
  --layout L          frl (neutral/NNN_03.jpg, smiling/NNN_08.jpg), ckplus (CK+ release), multipie
                      (Multi-PIE), folders (<subject>/<expression>/<images>)
  --out DIR           the cache folder (written atomically)
  --folds K           subject-wise folds (default 10)
  --seed S            split seed (default 1)
  --size N            crop side (default 64)
  --align MODE        similarity (default) or affine3
  --cameras LIST      multipie: cameras (default 05_1,14_0,05_0)
  --illumination II   multipie: illumination number (default 07)
  --backend B         auto | tensorflow | wasm | cpu`;

export const command: CliCommand = {
  name: 'prepare',
  summary: 'detect, align and cache a data set for training',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        layout: { type: 'string' },
        out: { type: 'string' },
        folds: { type: 'string' },
        seed: { type: 'string' },
        size: { type: 'string' },
        align: { type: 'string' },
        cameras: { type: 'string' },
        illumination: { type: 'string' },
        backend: { type: 'string' },
      },
    });
    const root = requireOne(positionals, 'data set folder', usage);
    if (!values.layout) throw new MimicError(`--layout is required\n\n${usage}`);
    if (!values.out) throw new MimicError(`--out is required\n\n${usage}`);
    await checkOutputFolder(values.out, [root]);
    const readerOptions: Record<string, string> = {};
    if (values.cameras) readerOptions.cameras = values.cameras;
    if (values.illumination) readerOptions.illumination = values.illumination;
    await initBackend({ backend: parseBackendFlag(values.backend) });
    const started = Date.now();
    const interactive = process.stderr.isTTY;
    const { manifest } = await prepareDataset({
      root,
      layout: values.layout,
      out: values.out,
      alignment: parseAlignmentFlags(values.align, values.size),
      folds: parseIntFlag(values.folds, '--folds', 2, 1000),
      seed: parseIntFlag(values.seed, '--seed', 0, 2 ** 31),
      readerOptions,
      onProgress(done, total, source, error) {
        if (error) process.stderr.write(`${interactive ? '\n' : ''}skipped ${source}: ${error}\n`);
        const line = `prepare ${done}/${total} (${((Date.now() - started) / 1000).toFixed(0)} s) ${source}`;
        if (interactive) process.stderr.write(`\r${line}\x1b[K`);
        else if (done % Math.max(1, Math.floor(total / 20)) === 0 || done === total)
          process.stderr.write(line + '\n');
      },
    });
    if (interactive) process.stderr.write('\n');
    const seconds = ((Date.now() - started) / 1000).toFixed(1);
    console.log(
      `${values.out}: ${manifest.items.length} faces of ${new Set(manifest.items.map((i) => i.subject)).size} subjects, labels ${manifest.labels.join(', ')}, ${manifest.split.k} folds, ${manifest.skipped.length} skipped, ${seconds} s`,
    );
    for (const s of manifest.skipped) console.log(`  skipped ${s.source}: ${s.reason}`);
    return 0;
  },
};
