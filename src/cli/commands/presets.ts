/** `mimic presets`: expression presets (mean aligned landmarks per label) from a prepared data set. */
import { parseArgs } from 'node:util';
import { IMAGES_FILE, LANDMARKS_FILE, MANIFEST_FILE, readDataCache } from '../../data/cache.js';
import { checkOutputs } from '../../transfer/output.js';
import { join } from 'node:path';
import { DEFAULT_MODEL_DIR, DEFAULT_MODEL_FOLDER } from '../../transfer/defaultModel.js';
import { ACTION_UNITS, MAX_INTENSITY } from '../../transfer/actionUnits.js';
import { describeAliases, describeExpressions } from '../../transfer/expressionCatalogue.js';
import { computePresets, PRESETS_FILE, type PresetsFile } from '../../transfer/presets.js';
import { readPresets, writePresets } from '../../transfer/presetsFile.js';
import { parseNumberFlag } from '../options.js';
import { existsSync } from 'node:fs';
import { MimicError } from '../../util/errors.js';
import type { CliCommand } from '../command.js';

const usage = `Usage: mimic presets --data <cache> --out <model dir>/presets.json [--neutral LABEL] [--strongest S]
       mimic presets --list [--model DIR]

Measures one expression preset per label of a prepared data set (mimic prepare): the mean aligned landmarks of
its items. Transfers and animations apply a preset as its displacement from the neutral mean, added to the
input face's own landmarks. Beside these data presets every model has the action-unit presets (surprise, sad,
angry, fear, disgust, contempt, blink, wink-left, wink-right, brows-raised, brows-lowered, squint, aaa, eee,
ooo), composed of FACS action units; --list shows each with its AUs.
  --data DIR       prepared data set (its alignment must match the model's)
  --out FILE       where to write the presets (usually presets.json in the model folder)
  --neutral LABEL  the label displacements are measured from (default: neutral)
  --strongest S    average only the strongest share S (0 < S ≤ 1) of each other label's items, ranked by how much
                   of the label's mean movement each shows relative to the same person's neutral item (default 1:
                   all; the shipped presets use 0.5: a whole label's mean dilutes the expression)
  --list           list every preset of a model folder (default: the bundled ${DEFAULT_MODEL_FOLDER}) and the action
                   units; presets and AUs take an intensity 0..${MAX_INTENSITY} (above 1 exaggerates)`;

function listExpressions(presets: PresetsFile | undefined): void {
  for (const { name, kind, description } of describeExpressions(presets))
    console.log(`${name.padEnd(14)} ${kind === 'data' ? 'data' : 'AUs '}  ${description}`);
  console.log(`\nalso accepted (names ignore case): ${describeAliases()}`);
  console.log("\naction units (--au 12=0.8,6=0.5; R12 / L46 for one side, the person's own right / left):");
  for (const unit of ACTION_UNITS)
    console.log(`  ${String(unit.id).padStart(2)}  ${unit.name}: ${unit.appearance}`);
}

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
        strongest: { type: 'string' },
        model: { type: 'string' },
      },
    });
    if (values.list) {
      const path = join(values.model ?? DEFAULT_MODEL_DIR, PRESETS_FILE);
      // A model without presets.json still has the action-unit presets.
      listExpressions(existsSync(path) ? await readPresets(path) : undefined);
      return 0;
    }
    if (positionals.length > 0 || !values.data || !values.out)
      throw new MimicError(
        `--data and --out are required to measure presets from a data set; \`mimic presets --list\` lists the presets`,
      );
    await checkOutputs(
      [values.out],
      [MANIFEST_FILE, IMAGES_FILE, LANDMARKS_FILE].map((f) => join(values.data!, f)),
    );
    const cache = await readDataCache(values.data);
    const strongest = parseNumberFlag(values.strongest, '--strongest', 0.01, 1) ?? 1;
    const presets = computePresets(cache, values.data, { neutral: values.neutral ?? 'neutral', strongest });
    await writePresets(values.out, presets);
    for (const [label, entry] of Object.entries(presets.presets))
      console.log(`${label}: mean of ${entry.count} faces${entry.selection ? `, ${entry.selection}` : ''}`);
    console.log(`presets: ${values.out}`);
    return 0;
  },
};
