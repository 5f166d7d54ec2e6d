/**
 * A hint for a mistyped option: the command's own option closest to it (edit distance at most 2), read from the
 * command's usage text, so that `--expresion` gets "did you mean --expression?" instead of Node's parser message
 * alone. Written here because it is a dozen lines and needs nothing but the usage text.
 */

/** Levenshtein distance between two short strings. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(
        previous[j]! + 1,
        current[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    previous = current;
  }
  return previous[b.length]!;
}

/** The option of `usage` nearest to `typed` (e.g. "--expresion" → "--expression"), or undefined if none is close. */
export function nearestOption(typed: string, usage: string): string | undefined {
  const options = [...new Set(usage.match(/--[a-z][a-z0-9-]*/g) ?? [])];
  let best: string | undefined;
  let bestDistance = 3;
  for (const option of options) {
    const distance = editDistance(typed, option);
    if (distance < bestDistance) [best, bestDistance] = [option, distance];
  }
  return best;
}
