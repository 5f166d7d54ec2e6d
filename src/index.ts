/**
 * Mimic as a library: change the expression in a face photo and animate expression changes.
 *
 *   import { Mimic, writeAnimation, writeImage } from 'mimic';
 *   const m = await Mimic.load();                                   // the bundled model (models/default)
 *   const { photo } = await m.transfer('me.jpg', { expression: 'smile', intensity: 0.8 });
 *   await writeImage('me-smiling.png', photo);
 *   const { frames } = await m.animate('me.jpg', [{ own: true }, { expression: 'smile' }, { own: true }]);
 *   await writeAnimation('me.gif', frames, 12);
 *   const clip = m.drive('me.jpg', await openFrameSource('driver.mp4'));   // async iterable of frames
 *   await writeDrivenVideo('me-driven.mp4', clip, { audioFrom: 'driver.mp4' });
 */
export {
  Mimic,
  PASTE_MODES,
  DEFAULT_FRAMES_PER_SEGMENT,
  DEFAULT_MAX_SIDE,
  DEFAULT_FACE_SIZE,
  DEFAULT_PASTE,
  type PasteMode,
  type PreparedFace,
  type RenderOptions,
  type TransferResult,
  type AnimateOptions,
  type AnimationResult,
} from './transfer/mimic.js';
export {
  DEFAULT_LIKE_MODE,
  LIKE_MODES,
  landmarkFileToNormalized,
  type LikeMode,
  type PhotoInput,
  type Target,
  type TargetSource,
} from './transfer/targets.js';
export { DEFAULT_MODEL_DIR } from './transfer/defaultModel.js';
export { loadExpressionModel, type LoadOptions, type LoadedModel } from './transfer/load.js';
export { GENERATE_BATCH, type ExpressionModel } from './model/inference.js';
export {
  applyPreset,
  computePresets,
  presetDisplacement,
  presetNames,
  PRESETS_FILE,
  type PresetsFile,
  type PresetEntry,
} from './transfer/presets.js';
export { readPresets, writePresets } from './transfer/presetsFile.js';
export {
  ACTION_UNITS,
  ACTION_UNIT_IDS,
  MAX_INTENSITY,
  actionUnitDisplacement,
  parseActionUnits,
  validateActionUnits,
  type ActionUnit,
  type ActionUnits,
} from './transfer/actionUnits.js';
export {
  AU_PRESETS,
  applyExpression,
  describeExpressions,
  expressionNames,
  type AuPreset,
  type ExpressionInfo,
} from './transfer/expressionCatalogue.js';
export {
  applyEdits,
  parseEdits,
  EDITS,
  EDIT_NAMES,
  type EditName,
  type LandmarkEdits,
} from './transfer/edits.js';
export { DEFAULT_MASK, type MaskOptions } from './transfer/paste.js';
export { interpolateKeys } from './face/interpolate.js';
export { parseKey, parseKeys, applyKeyEdits, applyKeyActionUnits } from './cli/keys.js';
export { encodeGif } from './animate/gif.js';
export {
  encodeMp4,
  stripImage,
  writeAnimation,
  animationFormatFromPath,
  type AnimationFormat,
} from './animate/encode.js';
import './drive/mimicDrive.js'; // adds Mimic.prototype.drive
export {
  DrivenClip,
  DEFAULT_DRIVE_MAX_SIDE,
  DEFAULT_MAX_DRIVER_SECONDS,
  type DriveOptions,
  type DriveProgress,
  type DriveReport,
  type DrivenFrame,
} from './drive/drive.js';
export { writeDrivenVideo, type WriteDrivenOptions, type WrittenVideo } from './drive/writeDrivenVideo.js';
export type { HeadMode } from './drive/motion.js';
export { openFrameSource, type FrameSource, type OpenOptions } from './video/frameSource.js';
export { createVideoWriter, type VideoWriter, type VideoFormat } from './video/videoWriter.js';
export { decodeImage, encodeImage, writeImage } from './image/io.js';
export type { RgbImage } from './image/rgbImage.js';
export { readLandmarkFile, writeLandmarkFile, type LandmarkFile } from './face/landmarkFile.js';
export { initBackend, type BackendName } from './engine/backend.js';
export { MimicError } from './util/errors.js';
