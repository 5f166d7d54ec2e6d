/**
 * "Drive with camera": the photo's face follows the face in the camera, live, with the code `mimic drive` uses
 * (src/drive/: tracking, motion relative to a neutral frame, One Euro smoothing), the page's generator and the
 * page's paste. Each loop takes the camera's newest frame, so frames that arrive while one is being made are
 * dropped, never queued: the picture stays current however slow the machine. Record writes the result canvas as
 * WebM with the browser's MediaRecorder; the camera's pictures never leave the page.
 */
import { DriverTracker } from '../../../src/drive/tracker.js';
import { drivenTarget, MotionMeter, type FrameMotion } from '../../../src/drive/motion.js';
import { MotionSmoother } from '../../../src/drive/smoothing.js';
import { composeAffine } from '../../../src/geometry/affine.js';
import { denormalizeLandmarks, unflattenLandmarks } from '../../../src/face/landmarks.js';
import { ClipMouth } from '../../../src/face/mouthInterior.js';
import type { RgbImage } from '../../../src/image/rgbImage.js';
import { CameraError, closeCamera, openCamera, VideoFrameClock } from '../cameraSource.js';
import { drawRgb, imageDataToRgb, rgbToImageData } from '../canvasImage.js';
import { loadFaceDetector, pageFaceDetection } from '../faceDetector.js';
import { LiveStats } from '../liveStats.js';
import { tensorCount } from '../mimicModel.js';
import { pasteInMode } from '../pasteModes.js';
import { WARP_MARGIN } from '../../../src/transfer/warpPaste.js';
import { cropRegion, cutRegion, regionToCrop, scaledPhoto, type Region } from '../photoSource.js';
import { clearErrorMessage, showMessage } from '../ui.js';
import { download } from './downloads.js';
import type { EditedFace, EditorState } from './state.js';
import type { EditorView } from './view.js';

/** Camera frames are tracked at most this wide: the landmark net sees a 112-px face crop anyway. */
const TRACK_WIDTH = 320;
/** Input side of the tiny detector on the tracked frames (at most TRACK_WIDTH): a face filling a fifth of one is found. */
const TINY_INPUT_SIZE = 224;
/** The live picture's longest side (it is shown at most 320 px wide): the paste's cost grows with its pixels. */
const LIVE_SIDE = 320;

/** The photo as the live loop draws it: scaled to LIVE_SIDE, the face's region, and what the paste needs. */
interface LivePhoto {
  face: EditedFace;
  base: RgbImage;
  region: Region;
  before: RgbImage;
  toCrop: ReturnType<typeof regionToCrop>;
  /** The photo's own aligned landmarks in crop pixels, flat (drivenTarget's `own`). */
  own: Float64Array;
  generatedOwn: RgbImage;
}

/** The driver's side: tracking, motion against the first frame, smoothing, and the neutral frame. */
class Driver {
  readonly tracker = new DriverTracker(pageFaceDetection, { inputSize: TINY_INPUT_SIZE });
  readonly meter: MotionMeter;
  private readonly smoother = new MotionSmoother(1 / 25);
  last: FrameMotion | undefined;
  neutral: FrameMotion | undefined;
  /** Which camera frame (counted from the start of tracking) is the neutral one. */
  neutralFrame = -1;
  neutralWanted = false;
  private lastTime: number | undefined;

  constructor(face: EditedFace) {
    this.meter = new MotionMeter(face.aligned.alignment.config);
  }

  /** Tracks one frame; the smoothed motion, or the last one when the frame has no face. */
  async next(frame: HTMLCanvasElement, time: number): Promise<FrameMotion | undefined> {
    const pixels = frame
      .getContext('2d', { willReadFrequently: true })!
      .getImageData(0, 0, frame.width, frame.height);
    const points = await this.tracker.track(imageDataToRgb(pixels));
    if (points === null) return this.last;
    const dt = this.lastTime === undefined ? 1 / 25 : Math.max(0.001, (time - this.lastTime) / 1000);
    this.lastTime = time;
    this.last = this.smoother.next(this.meter.measure(points), dt);
    if (this.neutral === undefined || this.neutralWanted) {
      this.neutral = this.last;
      this.neutralFrame = this.tracker.stats.frames - 1;
      this.neutralWanted = false;
    }
    return this.last;
  }
}

class CameraSession {
  private running = true;
  private live: LivePhoto | undefined;
  private driver: Driver | undefined;
  readonly stats = new LiveStats();
  private readonly work = document.createElement('canvas');
  private recorder: MediaRecorder | undefined;
  /** The mouth bank's interior for this session: one exemplar while the camera runs, as `mimic drive` keeps one. */
  private mouth: ClipMouth | undefined;
  /** Resolves when the loop has ended (after stop()). */
  readonly done: Promise<void>;

  constructor(
    private readonly state: EditorState,
    private readonly view: EditorView,
    private readonly stream: MediaStream,
  ) {
    this.done = this.loop();
  }

  setNeutral(): void {
    if (this.driver !== undefined) this.driver.neutralWanted = true;
  }

  async stop(): Promise<void> {
    this.running = false;
    await this.done;
    this.stopRecording();
    closeCamera(this.stream);
  }

  get recording(): boolean {
    return this.recorder !== undefined;
  }

  /** Records the live picture as WebM until stopRecording(), which downloads it. */
  startRecording(): void {
    const { cameraResult } = this.view.ui;
    const type = ['video/webm;codecs=vp9', 'video/webm;codecs=vp8', 'video/webm'].find((t) =>
      MediaRecorder.isTypeSupported(t),
    );
    if (type === undefined) {
      showMessage('error', 'This browser cannot record WebM video.', 'record-unsupported');
      return;
    }
    const chunks: Blob[] = [];
    const recorder = new MediaRecorder(cameraResult.captureStream(30), { mimeType: type });
    recorder.addEventListener('dataavailable', (event) => {
      if (event.data.size > 0) chunks.push(event.data);
    });
    recorder.addEventListener('stop', () => {
      for (const track of recorder.stream.getTracks()) track.stop();
      if (chunks.length === 0) {
        showMessage('error', 'The recording is empty: no frame was shown while recording.', 'record-empty');
        return;
      }
      download(this.state, new Blob(chunks, { type: 'video/webm' }), 'driven.webm');
    });
    recorder.start(250);
    this.recorder = recorder;
  }

  stopRecording(): void {
    const recorder = this.recorder;
    this.recorder = undefined;
    if (recorder !== undefined && recorder.state !== 'inactive') recorder.stop();
  }

  private async loop(): Promise<void> {
    const { cameraVideo: video } = this.view.ui;
    video.srcObject = this.stream;
    await video.play();
    const clock = new VideoFrameClock(video);
    let done = 0;
    while (this.running) {
      done = await clock.after(done);
      if (!this.running) break;
      const face = this.state.face;
      const model = this.state.model;
      if (face === undefined || model === undefined || video.videoWidth === 0) continue;
      if (this.live?.face !== face) {
        this.live = await livePhoto(face, model.generate);
        drawRgb(this.view.ui.cameraResult, this.live.base);
        this.driver = new Driver(face);
        this.stats.reset();
      }
      await this.frame(video, this.live, this.driver!);
    }
    clock.stop();
    video.srcObject = null;
  }

  /** One camera frame → one shown picture, timed by stage. */
  private async frame(video: HTMLVideoElement, live: LivePhoto, driver: Driver): Promise<void> {
    const grabbed = performance.now();
    const scale = Math.min(1, TRACK_WIDTH / video.videoWidth);
    const width = Math.round(video.videoWidth * scale);
    const height = Math.round(video.videoHeight * scale);
    // (Setting a canvas's size clears and reallocates it: only when the camera's size changes.)
    if (this.work.width !== width || this.work.height !== height) {
      this.work.width = width;
      this.work.height = height;
    }
    // Read back on every frame (tracking): a canvas kept in memory, not on a GPU, reads back fastest.
    this.work.getContext('2d', { willReadFrequently: true })!.drawImage(video, 0, 0, width, height);
    const motion = await driver.next(this.work, grabbed);
    const tracked = performance.now();
    const { face } = live;
    const size = face.aligned.alignment.config.size;
    let target: Float32Array = face.original;
    let generated = live.generatedOwn;
    if (motion !== undefined && driver.neutral !== undefined) {
      const pixels = drivenTarget({
        own: live.own,
        frame: motion,
        neutral: driver.neutral,
        head: 'still',
        referenceToCrop: driver.meter.referenceToCrop,
        unit: driver.meter.unit,
        cropSize: size,
      });
      target = Float32Array.from(pixels, (v) => (v / size) * 2 - 1);
      [generated] = (await this.state.model!.generate(face.aligned.crop, face.original, [target])) as [
        RgbImage,
      ];
    }
    const madeFace = performance.now();
    const targetPixels = denormalizeLandmarks(unflattenLandmarks(target), size);
    this.mouth ??= new ClipMouth(this.state.model?.mouthBank);
    const mouth = this.mouth.forFrame(face.aligned.landmarks, targetPixels);
    const after = await pasteInMode(this.view.pasteMode(), {
      photo: live.before,
      toCrop: live.toCrop,
      inputCrop: face.aligned.crop,
      own: face.aligned.landmarks,
      target: targetPixels,
      generated,
      generatedOwn: live.generatedOwn,
      // The mouth interior and the expression shading, as the editor's own paste and `mimic drive` give them.
      ...(mouth ? { mouth: { driver: mouth } } : {}),
      ratios: this.state.model?.ratios ?? [],
    });
    if (!this.running || this.state.face !== face) return;
    const { cameraDriver, cameraResult } = this.view.ui;
    // The camera frame and its result go on screen together, so each picture shows what drove it.
    if (cameraDriver.width !== this.work.width || cameraDriver.height !== this.work.height) {
      cameraDriver.width = this.work.width;
      cameraDriver.height = this.work.height;
    }
    cameraDriver.getContext('2d')!.drawImage(this.work, 0, 0);
    cameraResult.getContext('2d')!.putImageData(rgbToImageData(after), live.region.x, live.region.y);
    const shown = performance.now();
    this.stats.add({
      grabbed,
      shown,
      trackMs: tracked - grabbed,
      generateMs: madeFace - tracked,
      pasteMs: shown - madeFace,
    });
    showStats(this.view, this.stats, driver);
  }
}

/** The photo scaled for live pasting, drawn whole once; each frame then redraws only the face's region. */
async function livePhoto(
  face: EditedFace,
  generate: NonNullable<EditorState['model']>['generate'],
): Promise<LivePhoto> {
  const { photo, aligned } = face;
  const { picture: base, scale } = await scaledPhoto(
    photo,
    Math.min(1, LIVE_SIDE / Math.max(photo.width, photo.height)),
  );
  const size = aligned.alignment.config.size;
  const toPicture = composeAffine([scale, 0, 0, 0, scale, 0], aligned.alignment.toPhoto);
  const region = cropRegion(toPicture, size, base.width, base.height, WARP_MARGIN * size);
  const generatedOwn = face.reference ?? (await generate(aligned.crop, face.original, [face.original]))[0]!;
  return {
    face,
    base,
    region,
    before: cutRegion(base, region),
    toCrop: regionToCrop(aligned.alignment.toCrop, scale, region),
    own: Float64Array.from(face.original, (v) => ((v + 1) / 2) * size),
    generatedOwn,
  };
}

function showStats(view: EditorView, stats: LiveStats, driver: Driver): void {
  const s = stats.summary();
  const { missing } = driver.tracker.stats;
  const { cameraResult, cameraStats } = view.ui;
  cameraStats.value =
    `${s.fps.toFixed(1)} frames/s (tracking ${s.trackMs.toFixed(0)} ms, generating ${s.generateMs.toFixed(0)} ms, ` +
    `pasting ${s.pasteMs.toFixed(0)} ms per frame)` +
    (missing > 0 ? `; no face in ${missing} camera frames` : '');
  // For tests and benchmarks: frames shown, frames/s, the time per stage, and the live tensors (must not grow).
  Object.assign(cameraResult.dataset, {
    shown: String(s.shown),
    fps: s.fps.toFixed(2),
    latencyMs: s.latencyMs.toFixed(1),
    trackMs: s.trackMs.toFixed(1),
    generateMs: s.generateMs.toFixed(1),
    pasteMs: s.pasteMs.toFixed(1),
    missing: String(missing),
    tensors: String(tensorCount()),
    neutralFrame: String(driver.neutralFrame),
  });
}

/** The camera panel's buttons: start/stop, set neutral, record/stop recording. */
export function wireCameraDrive(state: EditorState, view: EditorView): void {
  const { ui } = view;
  let session: CameraSession | undefined;
  let starting = false;

  const showButtons = (): void => {
    const on = session !== undefined;
    ui.cameraStart.textContent = on ? 'Stop camera' : 'Drive with camera';
    ui.cameraStart.setAttribute('aria-pressed', String(on));
    ui.cameraStart.disabled = starting;
    ui.cameraNeutral.disabled = !on;
    ui.cameraRecord.disabled = !on;
    const recording = session?.recording ?? false;
    ui.cameraRecord.textContent = recording ? 'Stop recording (download WebM)' : 'Record';
    ui.cameraRecord.setAttribute('aria-pressed', String(recording));
    ui.cameraStage.hidden = !on;
    if (on) document.body.dataset.camera = recording ? 'recording' : 'running';
    else delete document.body.dataset.camera;
  };

  const start = async (): Promise<void> => {
    const face = state.face;
    if (face === undefined || state.model === undefined) {
      showMessage(
        'error',
        state.model === undefined
          ? 'Driving needs the model: wait until it has loaded (or start the server with a model).'
          : 'Open a photo with a face first: the camera drives that face.',
        'camera-no-photo',
      );
      return;
    }
    starting = true;
    showButtons();
    try {
      const [stream] = await Promise.all([openCamera(), loadFaceDetector()]);
      clearErrorMessage();
      session = new CameraSession(state, view, stream);
      session.done.catch((error: Error) => {
        showMessage('error', `Driving with the camera failed: ${error.message}`, 'camera-failed');
        void stop();
      });
    } catch (error) {
      const code = error instanceof CameraError ? error.code : 'camera-failed';
      showMessage('error', (error as Error).message, code);
    } finally {
      starting = false;
      showButtons();
    }
  };

  const stop = async (): Promise<void> => {
    const ending = session;
    session = undefined;
    showButtons();
    await ending?.stop();
  };

  ui.cameraStart.addEventListener('click', () => void (session === undefined ? start() : stop()));
  ui.cameraNeutral.addEventListener('click', () => session?.setNeutral());
  ui.cameraRecord.addEventListener('click', () => {
    if (session === undefined) return;
    if (session.recording) session.stopRecording();
    else session.startRecording();
    showButtons();
  });
}
