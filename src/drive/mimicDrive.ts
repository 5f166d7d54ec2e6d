/**
 * `mimic.drive(photo, frames)`: the driving method of the library's Mimic class. It lives here rather than in
 * transfer/mimic.ts because src/ folders import only downwards (transfer/ sits below drive/), so the method is
 * added to the class by TypeScript module augmentation; src/index.ts loads this module, so every library user has it.
 */
import type { RgbImage } from '../image/rgbImage.js';
import { Mimic } from '../transfer/mimic.js';
import type { PhotoInput } from '../transfer/targets.js';
import type { FrameSource } from '../video/frameSource.js';
import { DrivenClip, type DriveOptions } from './drive.js';

declare module '../transfer/mimic.js' {
  interface Mimic {
    /**
     * Drives the photo with a driver's frames: an async iterable of DrivenFrames, one per driver frame. `driver` is
     * a FrameSource (openFrameSource: a video file or frame folder) or any async iterable of frames; write the
     * result with writeDrivenVideo.
     */
    drive(
      photo: PhotoInput,
      driver: FrameSource | AsyncIterable<RgbImage>,
      options?: DriveOptions,
    ): DrivenClip;
  }
}

Mimic.prototype.drive = function drive(
  this: Mimic,
  photo: PhotoInput,
  driver: FrameSource | AsyncIterable<RgbImage>,
  options: DriveOptions = {},
): DrivenClip {
  return new DrivenClip(this, photo, driver, options);
};
