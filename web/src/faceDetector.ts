/**
 * Face detection and 68 landmarks in the page, with @vladmandic/face-api's build that uses the page's own TF.js
 * (so it runs on the backend tfBackend.ts chose) and the weights the local server publishes. Photos go through the
 * CLI's own FaceDetection (src/face/faceDetection.ts: the Tiny Face Detector first, the SSD for groups and where it
 * finds nothing), bound here to the page's face-api, so a photo gets the same faces and points in the editor as
 * from `mimic`; the camera's frames go through the same passes (src/drive/tracker.ts, as in `mimic drive`).
 */
import * as tf from '@tensorflow/tfjs';
import * as faceapi from '@vladmandic/face-api/dist/face-api.esm-nobundle.js';
import type { FaceApi, FaceNet } from '../../src/face/faceApi.js';
import { FaceDetection } from '../../src/face/faceDetection.js';
import type { RgbImage } from '../../src/image/rgbImage.js';
import { checkedFetch } from './checkedFetch.js';
import { urlOf, URLS } from './urls.js';

/**
 * One face-api net's weights through checkedFetch (face-api's loadFromUri fetches the weight files with TF.js's
 * own fetch, which does not look at the HTTP status: a missing file reached the parser as a 9-byte 404 page).
 */
async function loadNet(
  net: { loadFromWeightMap(map: never): void },
  folder: string,
  name: string,
): Promise<void> {
  const manifest = (await (
    await checkedFetch(`${folder}${name}-weights_manifest.json`)
  ).json()) as tf.io.WeightsManifestConfig;
  const load = tf.io.weightsLoaderFactory((paths) =>
    Promise.all(paths.map(async (path) => (await checkedFetch(path)).arrayBuffer())),
  );
  // (face-api declares its own copy of the TF.js types; the tensors are the page's TF.js.)
  net.loadFromWeightMap((await load(manifest, folder)) as never);
}

/** Each net's weights, fetched and loaded once. */
const netsLoading = new Map<FaceNet, Promise<void>>();

/** The nets `mimic` detects with, by the names src/face/faceApi.ts gives them, with the file names they are served as. */
const NET_FILES: Partial<Record<FaceNet, [{ loadFromWeightMap(map: never): void }, string]>> = {
  tinyDetector: [faceapi.nets.tinyFaceDetector, 'tiny_face_detector_model'],
  landmarks: [faceapi.nets.faceLandmark68Net, 'face_landmark_68_model'],
  detector: [faceapi.nets.ssdMobilenetv1, 'ssd_mobilenetv1_model'],
};

/** The page's face-api with `nets` loaded: what FaceDetection calls for the nets each of its passes needs. */
async function pageFaceApi(nets: FaceNet[]): Promise<FaceApi> {
  await Promise.all(
    nets.map((net) => {
      let loading = netsLoading.get(net);
      if (loading === undefined) {
        const files = NET_FILES[net];
        if (files === undefined) throw new Error(`the page does not load face-api's ${net} net`);
        loading = loadNet(files[0], urlOf(URLS.faceApiModels), files[1]);
        netsLoading.set(net, loading);
        // A net that failed to load is fetched again the next time it is needed, rather than failing for good.
        loading.then(
          () => {
            // which nets are in memory (a test counts the page's tensors only once the SSD has come)
            const loaded = new Set(document.body.dataset.faceNets?.split(' ').filter(Boolean));
            document.body.dataset.faceNets = [...loaded.add(net)].join(' ');
          },
          () => netsLoading.delete(net),
        );
      }
      return loading;
    }),
  );
  // (the ES build of the same face-api: the same API as the Node build src/face/faceApi.ts types)
  return faceapi as unknown as FaceApi;
}

/**
 * Detection with the page's face-api: photos (with the CLI's default detector) and the camera's frames
 * (cameraDrive.ts's tracker).
 */
export const pageFaceDetection = new FaceDetection(pageFaceApi);

/**
 * Loads the tiny detector and the landmark net: all a photo of one face needs, and all the camera's tracking uses
 * (the tiny detector finds the face now and then, the landmark net reads every frame, as in `mimic drive`). The
 * SSD (groups, photos where the tiny detector finds nothing, "Find more faces") is loaded when first asked for, or
 * once the first face is in the photo (prefetchGroupDetector): its 5.6 MB were a third of what the page fetched
 * before its first face.
 */
export async function loadFaceDetector(): Promise<void> {
  await pageFaceApi(['tinyDetector', 'landmarks']);
}

/**
 * Runs the tiny detector and the landmark net once on a small grey picture, so that the first photo does not pay
 * their first run (the WASM backend compiles its functions on first call and sets up its XNNPACK operators, and
 * TF.js's kernels' JavaScript is compiled): started as soon as the nets are loaded, while the model is still loading.
 */
export async function warmUpDetection(): Promise<void> {
  const side = 128;
  const grey: RgbImage = { width: side, height: side, data: new Uint8Array(side * side * 3).fill(128) };
  await pageFaceDetection.tinyDetectorPass(grey, 320, 0.5);
  await pageFaceDetection.landmarksInBox(grey, { x: 16, y: 16, width: 96, height: 96 });
}

let groupDetectorPrefetched = false;

/**
 * Starts loading the SSD in the background, once, at the page's next idle moment: decoding its weights holds the
 * page for some 50 ms, which must not fall between a face and its paste. A failure is reported where the SSD is next
 * needed (it is fetched again then).
 */
export function prefetchGroupDetector(): void {
  if (groupDetectorPrefetched) return;
  groupDetectorPrefetched = true;
  const start = (): void => void pageFaceApi(['detector']).catch(() => undefined);
  // (Safari has no requestIdleCallback)
  if (typeof requestIdleCallback === 'function') requestIdleCallback(start, { timeout: 2000 });
  else setTimeout(start, 500);
}
