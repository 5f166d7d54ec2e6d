/** `mimic presets`: expression presets (mean aligned landmarks per label) from a prepared data set. */
import { parseArgs } from 'node:util';
import { IMAGES_FILE, LANDMARKS_FILE, MANIFEST_FILE, readDataCache } from '../../data/cache.js';
import { checkOutputs } from '../../transfer/output.js';
import { dirname, join, resolve } from 'node:path';
import { readFile } from 'node:fs/promises';
import { DEFAULT_MODEL_DIR, DEFAULT_MODEL_FOLDER } from '../../transfer/defaultModel.js';
import { ACTION_UNITS, MAX_INTENSITY } from '../../transfer/actionUnits.js';
import { describeAliases, describeExpressions } from '../../transfer/expressionCatalogue.js';
import {
  checkPresetsAlignment,
  computePresets,
  PRESETS_FILE,
  sameAlignment,
  type PresetsFile,
} from '../../transfer/presets.js';
import { MODEL_MANIFEST, parseModelManifest, type MimicModelManifest } from '../../model/manifest.js';
import { trainingRunHint } from '../../model/runFolder.js';
import type { AlignmentConfig } from '../../face/align.js';
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
      const dir = values.model ?? DEFAULT_MODEL_DIR;
      const path = join(dir, PRESETS_FILE);
      const hasModel = existsSync(join(dir, MODEL_MANIFEST));
      // A folder with neither a model nor presets is a wrong --model (a typo, a run's folder), not a bare model.
      if (!hasModel && !existsSync(path))
        throw new MimicError(
          `no model at ${dir} (neither ${MODEL_MANIFEST} nor ${PRESETS_FILE})${trainingRunHint(dir)}`,
          3,
        );
      // A model without presets.json still has the action-unit presets.
      const presets = existsSync(path) ? await readPresets(path) : undefined;
      // Beside a model, listed only if a transfer with it would take them (the check loadModelPresets makes).
      if (presets && hasModel) checkPresetsAlignment(presets, (await readModelManifest(dir)).alignment, path);
      listExpressions(presets);
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
    await refuseOtherAlignment(values.out, values.data, cache.manifest.alignment);
    const strongest = parseNumberFlag(values.strongest, '--strongest', 0.01, 1) ?? 1;
    const presets = computePresets(cache, values.data, { neutral: values.neutral ?? 'neutral', strongest });
    await writePresets(values.out, presets);
    for (const [label, entry] of Object.entries(presets.presets))
      console.log(`${label}: mean of ${entry.count} faces${entry.selection ? `, ${entry.selection}` : ''}`);
    console.log(`presets: ${values.out}`);
    return 0;
  },
};

/** The manifest of the model in `dir` (the callers have seen that it is there). */
async function readModelManifest(dir: string): Promise<MimicModelManifest> {
  const path = join(dir, MODEL_MANIFEST);
  return parseModelManifest(await readFile(path), path);
}

/**
 * Presets written into a model folder must be measured in its crop coordinates: from data aligned another way, every
 * transfer with that model would then refuse them. Refused before they are written.
 */
async function refuseOtherAlignment(out: string, data: string, alignment: AlignmentConfig): Promise<void> {
  const folder = dirname(resolve(out));
  if (!existsSync(join(folder, MODEL_MANIFEST))) return;
  const model = await readModelManifest(folder);
  if (sameAlignment(alignment, model.alignment)) return;
  const describe = (a: AlignmentConfig): string => `${a.mode} at ${a.size} px`;
  throw new MimicError(
    `${data} is aligned ${describe(alignment)}, the model in ${folder} ${describe(model.alignment)}: presets ` +
      `measured from it would not fit that model (prepare the data as the model was, or write them elsewhere)`,
  );
}
