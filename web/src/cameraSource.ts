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
 * Resolves when the video has a frame newer than the last one this was called for, or after `timeoutMs` (a video
 * the page does not render may get no frame callbacks): the loop then takes whatever frame is current.
 */
export function nextVideoFrame(video: HTMLVideoElement, timeoutMs = 100): Promise<number | undefined> {
  return new Promise((resolve) => {
    let handle = 0;
    const timer = setTimeout(() => {
      video.cancelVideoFrameCallback(handle);
      resolve(undefined);
    }, timeoutMs);
    handle = video.requestVideoFrameCallback((_now, metadata) => {
      clearTimeout(timer);
      resolve(metadata.presentedFrames);
    });
  });
}
