/**
 * Everything the web editor remembers between events, in one object: the model, the face being edited (photo,
 * alignment, landmark history), the presets, the animation keys, and the short-lived state of a drag, a
 * generation, the paste preview and playback. The panels change it; the view draws from it.
 */
import { flattenLandmarks, normalizeLandmarks } from '../../../src/face/landmarks.js';
import type { RgbImage } from '../../../src/image/rgbImage.js';
import { zeroSliders, type SliderValues } from '../actionUnitSliders.js';
import type { AlignedFace } from '../alignFace.js';
import type { DragMode } from '../dragGroups.js';
import type { Expression } from '../expressions.js';
import { LandmarkHistory } from '../landmarkHistory.js';
import type { PageModel } from '../mimicModel.js';
import type { ShownResult } from '../resultView.js';
import { Timeline } from '../timeline.js';

/** The face being edited: the photo, its alignment and the model's input crop. */
export interface EditedFace {
  name: string;
  /** The file as opened: the download decodes it again at full resolution. */
  file: Blob;
  /** The photo as edited (at most MAX_EDIT_SIDE on its longest side). */
  photo: RgbImage;
  aligned: AlignedFace;
  /** The photo's own landmarks, normalized crop coordinates (the model's input space). */
  original: Float32Array;
  history: LandmarkHistory;
  /**
   * The landmarks the intensity slider scales when no preset is active: 100 % is these, 0 % the photo's own (set
   * after each edit, less what the action-unit sliders add, which they add again on top).
   */
  intensityBase: Float32Array;
  /** Generator output for the original landmarks: paste-back adds only the change from it. */
  reference?: RgbImage;
  latest?: RgbImage;
}

/** A landmark drag in progress: the landmarks when it started and the points it moves. */
export interface DragStart {
  flat: Float32Array;
  indices: readonly number[];
}

export class EditorState {
  /** Undefined until it loads, and for good when it fails to (landmarks still edit). */
  model: PageModel | undefined;
  face: EditedFace | undefined;
  expressions: Expression[] = [];
  /** The preset the intensity slider applies; undefined after any other edit (the slider then scales that). */
  activeExpression: Expression | undefined;
  /** The action-unit sliders (AU intensities, signed where a slider drives two sets of AUs). */
  sliders: SliderValues = zeroSliders();
  dragMode: DragMode = 'point';
  drag: DragStart | undefined;
  readonly timeline = new Timeline();
  /** Generated faces of the animation keys, by key id. */
  readonly thumbnails = new Map<number, RgbImage>();
  /** Faces generated so far: the page shows it (data-generation) so a test can wait for the next one. */
  generation = 0;
  generating = false;
  /** A generation was asked for while one ran: one more runs after it. */
  generationPending = false;
  /** A paste into the photo is running; another face arrived meanwhile (the latest is pasted next). */
  pasting = false;
  pastePending = false;
  /** The animation playing on the output canvas. */
  playing: ReturnType<typeof setInterval> | undefined;
  /** dragenter minus dragleave of a file over the page (they fire for every child element crossed). */
  fileDragDepth = 0;
  /** The face pasted into the photo, as shown, and whether the view shows the photo before the paste. */
  result: ShownResult | undefined;
  showingBefore = false;

  /** The side of the model's crop the normalized landmarks refer to. */
  cropSize(): number {
    return this.face?.aligned.alignment.config.size ?? 64;
  }

  /** Drops everything that belonged to the previous face: its outputs and animation keys. */
  forgetFace(): void {
    this.face = undefined;
    this.activeExpression = undefined;
    this.sliders = zeroSliders();
    for (const key of [...this.timeline.keys]) this.timeline.remove(key.id);
    this.thumbnails.clear();
    this.result = undefined;
  }

  /** Starts editing a newly aligned face, with its own landmarks as the first step of the history. */
  startFace(name: string, file: Blob, photo: RgbImage, aligned: AlignedFace): EditedFace {
    this.forgetFace();
    const original = flattenLandmarks(normalizeLandmarks(aligned.landmarks, aligned.alignment.config.size));
    this.face = {
      name,
      file,
      photo,
      aligned,
      original,
      history: new LandmarkHistory(original),
      intensityBase: Float32Array.from(original),
    };
    return this.face;
  }
}
