/**
 * Half-precision (IEEE 754 binary16) storage of network weights. TF.js reads float16-quantised weights natively (a
 * weights manifest entry `{ dtype: "float32", quantization: { dtype: "float16" } }` is decoded to float32 as it
 * loads), but has no writer for them, and Node 20 has neither `Math.f16round` nor `Float16Array`; so the encoding
 * is here. The shipped generator is stored this way (scripts/model-float16.ts): half the bytes the page downloads,
 * for faces that differ from the float32 weights' by at most one level in a few pixels (README, "The shipped model").
 */

const float32 = new Float32Array(1);
const float32Bits = new Uint32Array(float32.buffer);

/** The binary16 bits nearest `value` (round half to even); beyond ±65504 it becomes ±Infinity. */
export function float16Bits(value: number): number {
  float32[0] = value;
  const bits = float32Bits[0]!;
  const sign = (bits >>> 16) & 0x8000;
  const exponent32 = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent32 === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0); // Infinity, NaN
  const exponent = exponent32 - 127 + 15;
  if (exponent >= 0x1f) return sign | 0x7c00;
  // Keep the top 10 of the 23 (or, for subnormal halves, fewer) mantissa bits, rounding on the bits dropped.
  const kept = exponent <= 0 ? mantissa | 0x800000 : mantissa; // a subnormal half keeps the implicit 1
  const shift = exponent <= 0 ? 14 - exponent : 13;
  if (shift > 24) return sign; // below half the smallest subnormal: ±0
  let half = exponent <= 0 ? sign | (kept >>> shift) : sign | (exponent << 10) | (kept >>> shift);
  const dropped = kept & ((1 << shift) - 1);
  const halfway = 1 << (shift - 1);
  // A carry out of the mantissa moves into the exponent, which is the right next value (or Infinity).
  if (dropped > halfway || (dropped === halfway && (half & 1) === 1)) half++;
  return half;
}

/** The float16 bits of every value, in order. */
export function toFloat16(values: Float32Array): Uint16Array {
  const out = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = float16Bits(values[i]!);
  return out;
}

/** Whether binary16 `bits` hold a finite number (not ±Infinity, not NaN). */
export function isFiniteFloat16(bits: number): boolean {
  return (bits & 0x7c00) !== 0x7c00;
}
