/** Every command of the `mimic` CLI, in the order `mimic --help` lists them. Add new command modules here. */
import type { CliCommand } from './command.js';
import { command as landmarks } from './commands/landmarks.js';
import { command as align } from './commands/align.js';
import { command as prepare } from './commands/prepare.js';
import { command as serve } from './commands/serve.js';
import { command as evaluate } from './commands/eval.js';
import { command as trainCommand } from './commands/train.js';
import { command as presets } from './commands/presets.js';
import { command as transfer } from './commands/transfer.js';
import { command as animate } from './commands/animate.js';
import { command as drive } from './commands/drive.js';
import { command as demo } from './commands/demo.js';

export const commands: CliCommand[] = [
  landmarks,
  align,
  prepare,
  trainCommand,
  evaluate,
  serve,
  presets,
  transfer,
  animate,
  drive,
  demo,
];
