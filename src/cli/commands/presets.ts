/** `mimic presets`: expression presets (mean aligned landmarks per label) from a prepared data set. */
import { parseArgs } from 'node:util';
import { IMAGES_FILE, LANDMARKS_FILE, MANIFEST_FILE, readDataCache } from '../../data/cache.js';
import { checkOutputs } from '../../transfer/output.js';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR } from '../../transfer/load.js';
import { computePresets, presetNames, PRESETS_FILE } from '../../transfer/presets.js';
import { readPresets, writePresets } from '../../transfer/presetsFile.js';
import { MimicError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';

const usage = `Usage: mimic presets --data <cache> --out <model dir>/presets.json [--neutral LABEL]
       mimic presets --list [--model DIR]

Measures one expression preset per label of a prepared data set (mimic prepare): the mean aligned landmarks of
all its items. Transfers and animations apply a preset as its displacement from the neutral mean, added to the
input face's own landmarks.
  --data DIR       prepared data set (its alignment must match the model's)
  --out FILE       where to write the presets (usually presets.json in the model folder)
  --neutral LABEL  the label displacements are measured from (default: neutral)
  --list           list the presets of a model folder (default: the bundled models/default)`;

export const command: CliCommand = {
  name: 'presets',
  summary: 'expression presets (mean landmarks per label) from a prepared data set',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        data: { type: 'string' },
        out: { type: 'string' },
        neutral: { type: 'string' },
        list: { type: 'boolean' },
        model: { type: 'string' },
      },
    });
    if (values.list) {
      const path = join(values.model ?? DEFAULT_MODEL_DIR, PRESETS_FILE);
      const presets = await readPresets(path);
      for (const name of presetNames(presets))
        console.log(
          `${name}${name === presets.neutral ? ' (neutral)' : ''}: mean of ${presets.presets[name]!.count} faces`,
        );
      return 0;
    }
    if (positionals.length > 0 || !values.data || !values.out)
      throw new MimicError(`--data and --out are required\n\n${usage}`);
    await checkOutputs(
      [values.out],
      [MANIFEST_FILE, IMAGES_FILE, LANDMARKS_FILE].map((f) => join(values.data!, f)),
    );
    const cache = await readDataCache(values.data);
    const presets = computePresets(cache, values.data, values.neutral ?? 'neutral');
    await writePresets(values.out, presets);
    for (const [label, entry] of Object.entries(presets.presets))
      console.log(`${label}: mean of ${entry.count} faces`);
    console.log(`presets: ${values.out}`);
    return 0;
  },
};
