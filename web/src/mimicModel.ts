/**
 * The Mimic model in the page, loaded from the same folder the CLI uses (served under /model/) by the same loader
 * (src/model/inference.ts), which reads its files over HTTP here: mimic-model.json, landmark-encoder/ and
 * generator/, and the optional presets.json, mouth bank and ratio images (modelExtras.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { AlignmentConfig } from '../../src/face/align.js';
import { imageToUnitRange, unitRangeToImage, type RgbImage } from '../../src/image/rgbImage.js';
import { loadInferenceModel, networkFolderFiles, type InferenceModel } from '../../src/model/inference.js';
import { MODEL_MANIFEST, type MimicModelManifest } from '../../src/model/manifest.js';
import { NETWORK_FOLDERS } from '../../src/model/mimicModel.js';
import { fetchModelFolder, type ModelFolder } from '../../src/model/modelFolder.js';
import { expressionNames } from '../../src/transfer/expressionCatalogue.js';
import { loadModelPresets, PRESETS_FILE, type PresetsFile } from '../../src/transfer/presets.js';
import type { MouthBank } from '../../src/face/mouthInterior.js';
import type { RatioImage } from '../../src/face/ratioImage.js';
import { decodeImageBlob } from './canvasImage.js';
import { extraFilesIn, FOLDER_LISTING, loadModelExtras, parseListing } from './modelExtras.js';
import { urlOf, URLS } from './urls.js';

export interface PageModel {
  manifest: MimicModelManifest;
  alignment: AlignmentConfig;
  presets: PresetsFile | undefined;
  /** A problem with presets.json that did not stop the model from loading (shown to the user). */
  presetsProblem: string | undefined;
  /** Mouth interiors for targets that part the lips, as `mimic transfer` paints them; undefined without a bank. */
  mouthBank: MouthBank | undefined;
  /** The expression ratio images (the fine shading of an expression), as `mimic transfer` applies them. */
  ratios: RatioImage[];
  /** Mouth bank or ratio files that were there but bad, left out (shown to the user). */
  extrasProblems: string[];
  /**
   * Generated faces for one input crop (with its own landmarks) and several target landmark sets (136 normalized
   * coordinates each).
   */
  generate(crop: RgbImage, own: Float32Array, targets: Float32Array[]): Promise<RgbImage[]>;
}

/** Live TF.js tensors: the page shows it (data-tensors) so a test can check that editing does not leak. */
export function tensorCount(): number {
  return tf.memory().numTensors;
}

/** A failure the page reports as "the model failed to load", with the reason. */
export class ModelLoadError extends Error {}

/** How many faces one generator call makes in the page: bounds the memory a long animation takes. */
const PAGE_BATCH = 8;

/**
 * The files of the model folder every start reads: its manifest, the two networks the page runs and the presets.
 * They are asked for at once when the page starts (openModelFolder), not one after another as loadModel reaches
 * them: each of those requests waited for the page's thread, which the detector's warm-up holds while the model
 * loads, and on a real network the generator's weights (about 3 MB) now download while the WASM backend and the
 * detector start. The names are Mimic's own layout; a folder laid out otherwise still loads, its files fetched as
 * they are read.
 */
const STARTUP_FILES = [
  MODEL_MANIFEST,
  ...networkFolderFiles(NETWORK_FOLDERS.landmarkEncoder),
  ...networkFolderFiles(NETWORK_FOLDERS.generator),
  PRESETS_FILE,
];

/**
 * The model folder on the server, its start-up files already requested; loadModel reads it. The folder's listing is
 * requested with them, and the optional files it names that the page reads (the mouth bank, 0.7 MB, and the ratio
 * images: modelExtras.ts) are requested as soon as the start-up files have arrived: they then download while the
 * networks load, instead of after, and do not share the link with the generator's weights, which the page needs
 * first. A server that lists nothing gets them asked for as they are read.
 */
export function openModelFolder(): ModelFolder {
  const base = urlOf(URLS.modelFolder);
  const early = new Map<string, Promise<Response>>();
  const request = (path: string, then: (response: Response) => Promise<Response>): Promise<Response> => {
    const url = new URL(path, base).href; // as fetchModelFolder makes it
    const response = fetch(url).then(then);
    // A failed request is reported where the file is read (or not at all, when the model fails before it).
    response.catch(() => undefined);
    early.set(url, response);
    return response;
  };
  // Each response is read whole here, so that its promise says when the file has arrived, and so that a response
  // the loader never reads (a mouth bank's sprite after a bad mouth-bank.json, every file after a bad generator)
  // does not keep its connection open half-read.
  const arrived = async (response: Response): Promise<Response> =>
    new Response(await response.arrayBuffer(), response);
  const startup = Promise.allSettled(STARTUP_FILES.map((path) => request(path, arrived)));
  // The loader gets the listing only once the files it names are requested: otherwise it could ask for one of them
  // itself first, and the file would be downloaded twice.
  request(FOLDER_LISTING, async (response) => {
    const bytes = new Uint8Array(await response.arrayBuffer());
    if (response.ok) {
      await startup;
      for (const file of extraFilesIn(parseListing(bytes) ?? [])) request(file, arrived);
    }
    return new Response(bytes, response);
  });
  return fetchModelFolder(base, (input, init) => {
    const url = String(input);
    const response = early.get(url);
    if (response === undefined) return fetch(input, init);
    early.delete(url); // a response's body is read once; a second read asks again
    return response;
  });
}

export async function loadModel(folder: ModelFolder): Promise<PageModel> {
  let model: InferenceModel;
  try {
    model = await loadInferenceModel(folder, { batch: PAGE_BATCH });
  } catch (error) {
    throw new ModelLoadError((error as Error).message);
  }
  let presets: PresetsFile | undefined;
  let presetsProblem: string | undefined;
  try {
    presets = await loadModelPresets(folder, model.alignment);
  } catch (error) {
    // The CLI refuses such presets; the page still edits by hand without them.
    presetsProblem = `presets.json was ignored: ${(error as Error).message}`;
  }
  const extras = await loadModelExtras(folder, expressionNames(presets), (bytes) =>
    decodeImageBlob(new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'image/png' })),
  );
  const size = model.config.imageSize;

  async function generate(crop: RgbImage, own: Float32Array, targets: Float32Array[]): Promise<RgbImage[]> {
    const unit = imageToUnitRange(crop);
    const n = targets.length;
    const crops = new Float32Array(n * unit.length);
    const sources = new Float32Array(n * own.length);
    const marks = new Float32Array(n * own.length);
    targets.forEach((target, i) => {
      crops.set(unit, i * unit.length);
      sources.set(own, i * own.length);
      marks.set(target, i * own.length);
    });
    const out = await model.generate(crops, sources, marks, n);
    return targets.map((_, i) =>
      unitRangeToImage(out.subarray(i * unit.length, (i + 1) * unit.length), size, size),
    );
  }

  return {
    manifest: model.manifest,
    alignment: model.alignment,
    presets,
    presetsProblem,
    mouthBank: extras.mouthBank,
    ratios: extras.ratios,
    extrasProblems: extras.problems,
    generate,
  };
}

/**
 * One face generated from a grey crop, thrown away: the generator's first run (the WASM backend compiles its
 * functions on first call and sets up its XNNPACK operators; the compiled graph's JavaScript is compiled) is paid
 * while the page starts, not by the first face a person asks for.
 */
export async function warmUpGeneration(model: PageModel): Promise<void> {
  const size = model.alignment.size;
  const grey: RgbImage = { width: size, height: size, data: new Uint8Array(size * size * 3).fill(128) };
  const centre = new Float32Array(136).fill(0.5);
  await model.generate(grey, centre, [centre]);
}
