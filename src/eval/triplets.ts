/**
 * Held-out evaluation triplets: for every subject held out in a fold, every ORDERED pair of its photos with
 * different expressions (input of expression u, real target of expression v ≠ u, and the target's landmarks).
 * Same-expression pairs are left out: their "target" would be the input photo itself (FRL has one photo per
 * person and expression), which any copy reproduces perfectly.
 */
import { foldSubjects } from '../data/split.js';
import type { CacheManifest } from '../data/cacheFormat.js';
import { MimicError } from '../util/errors.js';

export interface EvalTriplet {
  subject: string;
  /** Item indices in the cache. */
  input: number;
  target: number;
  inputId: string;
  targetId: string;
  inputLabel: string;
  targetLabel: string;
}

export function heldOutTriplets(manifest: CacheManifest, fold: number): EvalTriplet[] {
  const { test } = foldSubjects(manifest.split.folds, fold);
  const bySubject = new Map<string, CacheManifest['items']>();
  for (const item of manifest.items) {
    if (!test.has(item.subject)) continue;
    const list = bySubject.get(item.subject) ?? [];
    list.push(item);
    bySubject.set(item.subject, list);
  }
  const triplets: EvalTriplet[] = [];
  for (const subject of [...bySubject.keys()].sort()) {
    const items = bySubject.get(subject)!;
    for (const a of items)
      for (const b of items)
        if (a.expression !== b.expression)
          triplets.push({
            subject,
            input: a.index,
            target: b.index,
            inputId: a.id,
            targetId: b.id,
            inputLabel: a.expression,
            targetLabel: b.expression,
          });
  }
  if (triplets.length === 0)
    throw new MimicError(
      `fold ${fold} has no held-out person with two different expressions (${test.size} people held out)`,
    );
  return triplets;
}
