/** `mimic drive`: the photo does what the face in a driver video does, frame by frame. */
import { parseArgs } from 'node:util';
import {
  DEFAULT_DRIVE_MAX_SIDE,
  DEFAULT_MAX_DRIVER_SECONDS,
  DrivenClip,
  type DriveOptions,
} from '../../drive/drive.js';
import { ProgressBar } from '../../drive/progress.js';
import { SMOOTHING } from '../../drive/smoothing.js';
import {
  loadMimicFromFlags,
  MODEL_FLAGS,
  modelFlagsUsage,
  parseFaceFlag,
  parsePasteFlag,
} from '../mimicFlags.js';
import { checkWritable } from '../../transfer/output.js';
import { MimicError } from '../../util/errors.js';
import { DEFAULT_DRIVER_MAX_SIDE, openFrameSource } from '../../video/frameSource.js';
import {
  abortAllWriters,
  MAX_GIF_FRAMES,
  MAX_STRIP_FRAMES,
  videoFormatFromPath,
  carriesAudio,
} from '../../video/videoWriter.js';
import { writeDrivenVideo } from '../../drive/writeDrivenVideo.js';
import type { CliCommand } from '../command.js';
import { parseIntFlag, parseNumberFlag, requireOne } from '../options.js';

const usage = `Usage: mimic drive <photo> --video DRIVER --out OUT.mp4|.webm|.gif|strip.png [options]

The face in <photo> does what the face in DRIVER does, frame by frame: the driver's landmarks are tracked in every
frame, smoothed (One Euro filter), and their change from the driver's neutral frame is added to the photo's own
landmarks (the relative mode: the photo keeps its face shape). Eye blinks go over as eye-opening ratios.
Output at the driver's frame rate and length; MP4 and WebM keep the driver's audio.

DRIVER: a video file (MP4, WebM, MOV, MKV, AVI, animated GIF: anything the packaged ffmpeg reads) or a folder of
numbered frames (frame0001.png, …). Frames above ${DEFAULT_DRIVER_MAX_SIDE} px are scaled down when read (4K is fine); a
variable frame rate is resampled to its average. Driver frames without a face hold the last pose (counted and
reported). Several faces: the largest is followed, --driver-face N picks another.

Options:
  --video DRIVER        the driving video or frame folder (required)
  --out FILE            .mp4 (H.264), .webm (VP8), .gif (≤ ${MAX_GIF_FRAMES} frames, held in memory) or .png (a strip, ≤ ${MAX_STRIP_FRAMES} frames); repeatable
  --neutral-frame N     the driver frame (from 0) whose face counts as neutral, or auto (default): the frame with the
                        mouth most closed and narrowest, eyes open as usual, brows at rest (a geometric criterion)
  --head MODE           still (default): the photo's head stays where it is and only the expression moves (no
                        background distortion); follow: the photo's face also turns (in-plane), moves and scales
                        with the driver's head, relative to the neutral frame (small motions look best)
  --side-by-side        driver | result in each frame
  --driver-face N       which face of the driver to follow: 0 = the largest (default)
  --max-side P          longer side of the photo in the output, pixels (default ${DEFAULT_DRIVE_MAX_SIDE})
  --fps F               frame rate of a frame folder (default 25; a video file has its own)
  --max-seconds S       refuse drivers longer than this (default ${DEFAULT_MAX_DRIVER_SECONDS} s)
${modelFlagsUsage(24)}

Smoothing (One Euro, crop pixels/seconds): face min cutoff ${SMOOTHING.face.minCutoff} Hz β ${SMOOTHING.face.beta}, eyelids ${SMOOTHING.eyelids.minCutoff} Hz β ${SMOOTHING.eyelids.beta}, lips ${SMOOTHING.lips.minCutoff} Hz β ${SMOOTHING.lips.beta}.
Ctrl-C stops and leaves no output file behind.`;

const HEADS = ['still', 'follow'] as const;

export const command: CliCommand = {
  name: 'drive',
  summary: 'drive the photo with a video: the face does what the driver does (MP4, WebM, GIF, PNG strip)',
  usage,
  async run(argv) {
    const { values, positionals } = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        ...MODEL_FLAGS,
        video: { type: 'string' },
        out: { type: 'string', multiple: true },
        'neutral-frame': { type: 'string' },
        head: { type: 'string' },
        'side-by-side': { type: 'boolean' },
        'driver-face': { type: 'string' },
        'max-side': { type: 'string' },
        fps: { type: 'string' },
        'max-seconds': { type: 'string' },
      },
    });
    const photo = requireOne(positionals, 'photo', usage);
    if (!values.video) throw new MimicError(`--video is required\n\n${usage}`);
    const outs = values.out ?? [];
    if (outs.length === 0) throw new MimicError(`--out is required\n\n${usage}`);
    outs.forEach(videoFormatFromPath);
    const head = values.head ?? 'still';
    if (!(HEADS as readonly string[]).includes(head))
      throw new MimicError(`--head must be one of ${HEADS.join(', ')} (got "${head}")`);
    const neutralFlag = values['neutral-frame'] ?? 'auto';
    const neutralFrame =
      neutralFlag === 'auto' ? 'auto' : parseIntFlag(neutralFlag, '--neutral-frame', 0, 10_000_000)!;
    const options: DriveOptions = {
      neutralFrame,
      head: head as (typeof HEADS)[number],
      driverFace: parseIntFlag(values['driver-face'], '--driver-face', 0, 100) ?? 0,
      face: parseFaceFlag(values.face),
      sideBySide: values['side-by-side'] ?? false,
      maxSide: parseIntFlag(values['max-side'], '--max-side', 64, 4096) ?? DEFAULT_DRIVE_MAX_SIDE,
      maxSeconds:
        parseNumberFlag(values['max-seconds'], '--max-seconds', 1, 36_000) ?? DEFAULT_MAX_DRIVER_SECONDS,
    };
    const paste = parsePasteFlag(values.paste);
    if (paste) options.paste = paste;
    const folderFps = parseNumberFlag(values.fps, '--fps', 1, 240);
    for (const out of outs) await checkWritable(out);

    const source = await openFrameSource(values.video, folderFps ? { folderFps } : {});
    for (const notice of source.notices) console.error(notice);
    const mimic = await loadMimicFromFlags(values);
    const bar = new ProgressBar();
    const clip = new DrivenClip(mimic, photo, source, { ...options, onProgress: (p) => bar.update(p) });
    // Ctrl-C / SIGTERM: remove the unfinished outputs, then stop.
    let interrupted = false;
    const interrupt = (signal: NodeJS.Signals): void => {
      interrupted = true;
      bar.end();
      void abortAllWriters().then(() => {
        console.error(`mimic drive: ${signal}: stopped, nothing written`);
        process.exit(130);
      });
    };
    process.once('SIGINT', interrupt);
    process.once('SIGTERM', interrupt);
    const started = performance.now();
    try {
      const written = await writeDrivenVideo(outs, clip, {
        ...(source.audioFrom ? { audioFrom: source.audioFrom } : {}),
        onTracked: () => {
          bar.end();
          const r = clip.report;
          if (r.photoNotice) console.error(r.photoNotice);
          console.error(
            `neutral frame: ${r.neutralFrame}${r.neutralAuto ? ' (auto: mouth closed and narrowest, eyes open, brows at rest; --neutral-frame N to choose)' : ''}`,
          );
          if (r.driverFaces > 1)
            console.error(
              `${source.name}: up to ${r.driverFaces} faces (first in frame ${r.firstSeveralFacesFrame}); following face ${options.driverFace}${options.driverFace === 0 ? ' (the largest)' : ''} — choose another with --driver-face N`,
            );
          if (r.missingFrames > 0)
            console.error(
              `${source.name}: no face in ${r.missingFrames} of ${r.frames} frames: the last pose was held there`,
            );
        },
      });
      bar.end();
      const seconds = (performance.now() - started) / 1000;
      console.log(
        `${written.frames} frames of ${written.width}×${written.height} at ${clip.fps} fps in ${seconds.toFixed(1)} s (${(written.frames / seconds).toFixed(1)} frames/s end to end): ${outs.map((out) => (written.audio && carriesAudio(out) ? `${out} (with the driver's audio)` : out)).join(', ')}`,
      );
      return 0;
    } catch (error) {
      // Interrupted: the writers are being removed and the handler exits; the pipeline's own error is moot.
      if (interrupted) await new Promise(() => undefined);
      throw error;
    } finally {
      process.off('SIGINT', interrupt);
      process.off('SIGTERM', interrupt);
    }
  },
};
