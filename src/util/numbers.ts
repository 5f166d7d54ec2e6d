/**
 * A number typed by a user. `Number('')` and `Number('  ')` are 0, so an empty `--intensity ''` or `smile@ ` would
 * silently mean 0; here blank text is not a number.
 */
export function numberFromText(text: string): number {
  return text.trim() === '' ? NaN : Number(text);
}
