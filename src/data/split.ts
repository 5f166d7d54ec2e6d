/**
 * Subject-wise k-fold split: every photo of a person lands in the same fold, so a model is always tested on
 * people it never saw. Deterministic for a given seed and set of subjects (order of input does not matter).
 */
import { MimicError } from '../util/errors.js';
import { Rng } from '../util/random.js';

export const DEFAULT_FOLDS = 10;
export const DEFAULT_SPLIT_SEED = 1;

/** folds[k] = subjects held out in fold k (sorted). Fold sizes differ by at most one. */
export function splitSubjects(
  subjects: Iterable<string>,
  k = DEFAULT_FOLDS,
  seed = DEFAULT_SPLIT_SEED,
): string[][] {
  const unique = [...new Set(subjects)].sort();
  if (!Number.isInteger(k) || k < 2)
    throw new MimicError(`the number of folds must be at least 2 (got ${k})`);
  if (unique.length < k) throw new MimicError(`${unique.length} subjects cannot be split into ${k} folds`);
  const order = new Rng(seed).shuffle(unique);
  const folds: string[][] = Array.from({ length: k }, () => []);
  order.forEach((subject, i) => folds[i % k]!.push(subject));
  return folds.map((f) => f.sort());
}

/** The subjects used for training and testing in fold `fold` (or all for training with fold = undefined). */
export function foldSubjects(
  folds: string[][],
  fold: number | undefined,
): { train: Set<string>; test: Set<string> } {
  if (fold === undefined) return { train: new Set(folds.flat()), test: new Set() };
  if (!Number.isInteger(fold) || fold < 0 || fold >= folds.length)
    throw new MimicError(`--fold must be from 0 to ${folds.length - 1} (got ${fold})`);
  return { train: new Set(folds.filter((_, i) => i !== fold).flat()), test: new Set(folds[fold]) };
}
