/** Mean and standard deviation of the finite values in a list (sample standard deviation, n − 1). */
export interface MeanStd {
  mean: number;
  std: number;
  /** How many finite values went in. */
  n: number;
}

export function meanStd(values: Iterable<number | null | undefined>): MeanStd | null {
  const xs: number[] = [];
  for (const v of values) if (typeof v === 'number' && Number.isFinite(v)) xs.push(v);
  if (xs.length === 0) return null;
  const mean = xs.reduce((s, v) => s + v, 0) / xs.length;
  const variance = xs.length > 1 ? xs.reduce((s, v) => s + (v - mean) ** 2, 0) / (xs.length - 1) : 0;
  return { mean, std: Math.sqrt(variance), n: xs.length };
}
