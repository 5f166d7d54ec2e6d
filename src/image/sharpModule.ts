/**
 * sharp, loaded with require. sharp is CommonJS, and an ES `import` of a CommonJS package makes Node scan its
 * source for the names it exports before running it: 104–126 ms against 48–63 ms with require, measured here at
 * the start of every command that reads or writes a photo.
 */
import { createRequire } from 'node:module';
import type SharpModule from 'sharp';

export const sharp = createRequire(import.meta.url)('sharp') as typeof SharpModule;
