// gifenc ships no type declarations; these cover what src/animate/gif.ts uses.
declare module 'gifenc' {
  export interface GifEncoderStream {
    writeFrame(
      index: Uint8Array,
      width: number,
      height: number,
      /** dispose: the GIF disposal method (1: leave the frame in place), -1 (default) for none given */
      options?: {
        palette?: number[][];
        delay?: number;
        repeat?: number;
        dispose?: number;
        transparent?: boolean;
        transparentIndex?: number;
      },
    ): void;
    finish(): void;
    bytes(): Uint8Array;
    /** The bytes written so far, as a view into the encoder's buffer (valid until the next write). */
    bytesView(): Uint8Array;
  }
  export function GIFEncoder(): GifEncoderStream;
  export function quantize(rgba: Uint8Array, maxColors: number): number[][];
  export function applyPalette(rgba: Uint8Array, palette: number[][]): Uint8Array;
  /** The CommonJS build's module object, as Node's ES module loader presents it. */
  const commonJs: unknown;
  export default commonJs;
}
