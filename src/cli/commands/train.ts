/** `mimic train`: trains L, G and D on a prepared data set (see src/train/trainer.ts). */
import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { MimicError } from '../../util/errors.js';
import { checkOutputFolder } from '../../transfer/output.js';
import { configFromFile, train, type ConfigFile } from '../../train/trainer.js';
import type { CliCommand } from '../command.js';
import { parseBackendFlag, parseIntFlag, parseNumberFlag } from '../options.js';

const DEFAULT_STEPS = 1000;

const usage = `Usage: mimic train --data <cache> [--fold k | --all] --out runs/<name> [options]

Trains the landmark embedding L, the generator G and the critic D jointly (WGAN-GP) on a data cache written by
mimic prepare. Writes <out>/log.jsonl (every loss of every step), <out>/samples/*.png (input | [its warp to the
target landmarks, warp-refine models only] | generated | real target), <out>/checkpoints/ and, at the end or when
stopped, the model folder <out>/model/. The default is the paper's generator; the shipped model adds
--config configs/warp-refine.json (G refines the input warped to the target landmarks; see the README).
Ctrl-C (SIGINT) or SIGTERM finishes the current step, saves a checkpoint and the model, and exits; --resume
continues from the last complete checkpoint (weights, optimizer state, step, data order and random numbers).
  --data DIR            the prepared data set
  --fold K              hold out fold K of the data set's subject-wise split (default 0)
  --all                 train on every subject (the model to ship)
  --out DIR             the run folder
  --config FILE         JSON with config fields to override (see configs/); "base": "paper" starts from the
                        paper preset instead of the default
  --resume              continue the run in --out from its last checkpoint
  --steps N             total generator steps (default ${DEFAULT_STEPS})
  --workers N           data-parallel worker threads, one per core (default 1: in this thread)
  --seed S              seed of weights, data order and augmentation (default 1)
  --checkpoint-every N  steps between checkpoints (default 25)
  --sample-every N      steps between sample grids (default 50)
  --max-minutes M       stop (checkpoint + model) after M minutes of this session
  --backend B           auto | tensorflow | wasm | cpu`;

export const command: CliCommand = {
  name: 'train',
  summary: 'train the model (L, G, D) on a prepared data set, with checkpoints and --resume',
  usage,
  async run(argv) {
    const { values } = parseArgs({
      args: argv,
      options: {
        data: { type: 'string' },
        fold: { type: 'string' },
        all: { type: 'boolean' },
        out: { type: 'string' },
        config: { type: 'string' },
        resume: { type: 'boolean' },
        steps: { type: 'string' },
        workers: { type: 'string' },
        seed: { type: 'string' },
        'checkpoint-every': { type: 'string' },
        'sample-every': { type: 'string' },
        'max-minutes': { type: 'string' },
        backend: { type: 'string' },
      },
    });
    if (values.data === undefined) throw new MimicError(`--data is required\n\n${usage}`);
    if (values.out === undefined) throw new MimicError(`--out is required\n\n${usage}`);
    if (values.all && values.fold !== undefined) throw new MimicError('choose either --fold or --all');
    await checkOutputFolder(values.out, [values.data, values.config]);
    const workers = parseIntFlag(values.workers, '--workers', 1, 64) ?? 1;
    let config: ConfigFile | undefined;
    if (values.config !== undefined) {
      try {
        config = JSON.parse(await readFile(values.config, 'utf8')) as ConfigFile;
      } catch (error) {
        throw new MimicError(`${values.config}: cannot read the config (${(error as Error).message})`, 3);
      }
      configFromFile(config); // validate before loading data
    }
    const maxMinutes = parseNumberFlag(values['max-minutes'], '--max-minutes', 0, 1e6);
    const result = await train({
      data: values.data,
      fold: values.all ? undefined : (parseIntFlag(values.fold, '--fold', 0, 1000) ?? 0),
      out: values.out,
      config,
      resume: values.resume ?? false,
      steps: parseIntFlag(values.steps, '--steps', 1, 1e9) ?? DEFAULT_STEPS,
      seed: parseIntFlag(values.seed, '--seed', 0, 2 ** 31 - 1),
      workers,
      backend: parseBackendFlag(values.backend),
      checkpointEvery: parseIntFlag(values['checkpoint-every'], '--checkpoint-every', 1, 1e9),
      sampleEvery: parseIntFlag(values['sample-every'], '--sample-every', 1, 1e9),
      maxSeconds: maxMinutes === undefined ? undefined : maxMinutes * 60,
    });
    return result.stopped === 'signal' ? 130 : 0;
  },
};
