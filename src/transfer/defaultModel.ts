/**
 * The model that ships in the package (models/default): the folder Mimic.load(), the CLI's --model and
 * `mimic serve` use when given none. Every other module names it through these constants.
 */
import { fileURLToPath } from 'node:url';

/** The folder relative to the package root, as help texts name it. */
export const DEFAULT_MODEL_FOLDER = 'models/default';

/** Its absolute path: the package root is two folders above this module, in src/transfer and in dist/transfer. */
export const DEFAULT_MODEL_DIR = fileURLToPath(new URL(`../../${DEFAULT_MODEL_FOLDER}`, import.meta.url));
