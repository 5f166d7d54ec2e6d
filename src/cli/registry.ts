/**
 * Every command of the `mimic` CLI, in the order `mimic --help` lists them. Add new command modules here.
 *
 * A command's module is imported only when that command runs (or prints its usage): the modules import TF.js,
 * face-api, sharp, the model code and the video encoder, and loading all of them made `mimic --help` take most of
 * a second. The one-line summaries therefore live here too; test/cli/registry.test.ts checks that they match the
 * modules' own.
 */
import type { CliCommand } from './command.js';

export interface CommandEntry {
  name: string;
  /** One line for `mimic --help` (the same as the module's `summary`). */
  summary: string;
  /** Imports the command's module. */
  load(): Promise<CliCommand>;
}

export const commands: CommandEntry[] = [
  {
    name: 'landmarks',
    summary: 'find faces and 68 landmarks; draw them over the photo',
    load: async () => (await import('./commands/landmarks.js')).command,
  },
  {
    name: 'align',
    summary: 'detect and align a face to the model crop',
    load: async () => (await import('./commands/align.js')).command,
  },
  {
    name: 'prepare',
    summary: 'detect, align and cache a data set for training',
    load: async () => (await import('./commands/prepare.js')).command,
  },
  {
    name: 'train',
    summary: 'train the model (L, G, D) on a prepared data set, with checkpoints and --resume',
    load: async () => (await import('./commands/train.js')).command,
  },
  {
    name: 'eval',
    summary:
      'score a model and two baselines on held-out people (SSIM, PSNR, identity, expression, landmarks)',
    load: async () => (await import('./commands/eval.js')).command,
  },
  {
    name: 'serve',
    summary: 'start the web editor on a local server',
    load: async () => (await import('./commands/serve.js')).command,
  },
  {
    name: 'presets',
    summary: 'expression presets (mean landmarks per label) from a prepared data set',
    load: async () => (await import('./commands/presets.js')).command,
  },
  {
    name: 'transfer',
    summary: "change a photo's expression: like another photo, from landmarks, or a named preset",
    load: async () => (await import('./commands/transfer.js')).command,
  },
  {
    name: 'animate',
    summary: 'animate an expression change through key frames (GIF, MP4 or a PNG strip)',
    load: async () => (await import('./commands/animate.js')).command,
  },
  {
    name: 'drive',
    summary: 'drive the photo with a video: the face does what the driver does (MP4, WebM, GIF, PNG strip)',
    load: async () => (await import('./commands/drive.js')).command,
  },
  {
    name: 'demo',
    summary: 'animate the bundled sample photo: neutral → smile → neutral (GIF and strip)',
    load: async () => (await import('./commands/demo.js')).command,
  },
];
