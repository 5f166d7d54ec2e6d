// gifenc ships no type declarations; these cover what src/animate/gif.ts uses.
declare module 'gifenc' {
  export interface GifEncoderStream {
    writeFrame(
      index: Uint8Array,
      width: number,
      height: number,
      options?: { palette?: number[][]; delay?: number; repeat?: number },
    ): void;
    finish(): void;
    bytes(): Uint8Array;
  }
  export function GIFEncoder(): GifEncoderStream;
  export function quantize(rgba: Uint8Array, maxColors: number): number[][];
  export function applyPalette(rgba: Uint8Array, palette: number[][]): Uint8Array;
  /** The CommonJS build's module object, as Node's ES module loader presents it. */
  const commonJs: unknown;
  export default commonJs;
}
