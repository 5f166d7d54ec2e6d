/**
 * The camera, through getUserMedia: the stream stays in the page (nothing is sent anywhere), and each way it can
 * fail gets a sentence the user can act on.
 */

/** A camera that could not be opened, with the reason in words and a short code for tests. */
export class CameraError extends Error {
  constructor(
    message: string,
    readonly code:
      'camera-unsupported' | 'camera-denied' | 'camera-missing' | 'camera-busy' | 'camera-failed',
  ) {
    super(message);
  }
}

/** Opens the camera (video only, about 640×480); rejects with a CameraError. */
export async function openCamera(): Promise<MediaStream> {
  const media = navigator.mediaDevices as MediaDevices | undefined;
  if (media?.getUserMedia === undefined)
    throw new CameraError(
      'This browser gives the page no camera access (a camera needs a secure address such as http://127.0.0.1:8765/).',
      'camera-unsupported',
    );
  try {
    return await media.getUserMedia({
      audio: false,
      video: { width: { ideal: 640 }, height: { ideal: 480 }, facingMode: 'user' },
    });
  } catch (error) {
    const name = (error as DOMException).name;
    if (name === 'NotAllowedError' || name === 'SecurityError')
      throw new CameraError(
        'Camera permission was denied: allow the camera for this page in the browser (the icon in the address bar), then start again.',
        'camera-denied',
      );
    if (name === 'NotFoundError' || name === 'OverconstrainedError')
      throw new CameraError('No camera was found: connect one, then start again.', 'camera-missing');
    if (name === 'NotReadableError' || name === 'AbortError')
      throw new CameraError(
        'The camera could not be started: another program may be using it.',
        'camera-busy',
      );
    throw new CameraError(`The camera could not be opened (${(error as Error).message}).`, 'camera-failed');
  }
}

/** Stops every track of the stream (the camera's light goes off). */
export function closeCamera(stream: MediaStream): void {
  for (const track of stream.getTracks()) track.stop();
}

/**
 * Which frame the video is showing, kept current by frame callbacks, so the live loop starts on a new camera frame
 * at once when one came while it worked, and waits for the next only when it is ahead of the camera.
 */
export class VideoFrameClock {
  private latest = 0;
  private handle = 0;
  private wake: (() => void) | undefined;

  constructor(private readonly video: HTMLVideoElement) {
    const tick = (_now: number, metadata: VideoFrameCallbackMetadata): void => {
      this.latest = metadata.presentedFrames;
      this.wake?.();
      this.handle = video.requestVideoFrameCallback(tick);
    };
    this.handle = video.requestVideoFrameCallback(tick);
  }

  /**
   * The number of the frame to work on: the current one if it is newer than `done`, else the next one. Waits at
   * most `timeoutMs` (a video the page does not draw may get no callbacks; the loop then takes the current frame).
   */
  async after(done: number, timeoutMs = 100): Promise<number> {
    if (this.latest > done) return this.latest;
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, timeoutMs);
      this.wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
    this.wake = undefined;
    return this.latest;
  }

  stop(): void {
    this.video.cancelVideoFrameCallback(this.handle);
    this.wake?.();
  }
}
