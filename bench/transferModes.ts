// Absolute vs relative use of another person's landmarks, on the held-out people of one fold (see
// bench/lib/compareModes.ts). Usage:
//   node --import tsx bench/transferModes.ts --data cache/frl --fold 0 --model runs/frl-fold0/model
//   node --import tsx bench/transferModes.ts --data cache/frl --fold 0 --warp   (piecewise-affine warp instead)
//   … --model DIR --pipeline: what `mimic transfer` outputs with the default warp paste, at crop resolution
//   (the input warped to the target landmarks + the generator's appearance change)
import { parseArgs } from 'node:util';
import { readDataCache } from '../src/data/cache.js';
import { denormalizeLandmarks, unflattenLandmarks, LANDMARK_VALUES } from '../src/face/landmarks.js';
import { imageToUnitRange, unitRangeToImage, type RgbImage } from '../src/image/rgbImage.js';
import { cropMask, facePolygon, suppressCheckerboard } from '../src/transfer/paste.js';
import { appearanceChange, warpedFaceView } from '../src/transfer/warpPaste.js';
import { warpCropsToTargets } from '../src/model/warpedInput.js';
import { compareLikeModes, comparisonTable } from './lib/compareModes.js';
import { loadExpressionModel } from '../src/transfer/load.js';
import type { ExpressionModel } from '../src/model/inference.js';

const { values } = parseArgs({
  options: {
    data: { type: 'string', default: 'cache/frl' },
    fold: { type: 'string', default: '0' },
    model: { type: 'string' },
    warp: { type: 'boolean' },
    pipeline: { type: 'boolean' },
  },
});
const cache = await readDataCache(values.data!);
const size = cache.manifest.size;
const pixels = size * size * 3;
let generate: ExpressionModel['generate'];
const px = (f: ArrayLike<number>) => denormalizeLandmarks(unflattenLandmarks(f), size);
if (values.pipeline) {
  if (!values.model) throw new Error('--pipeline needs --model DIR');
  const model = (await loadExpressionModel(values.model)).model;
  generate = async (crops, owns, marks, n) => {
    const inputs: RgbImage[] = [];
    for (let k = 0; k < n; k++)
      inputs.push(unitRangeToImage(crops.subarray(k * pixels, (k + 1) * pixels), size, size));
    const both = new Float32Array(2 * crops.length);
    both.set(crops);
    both.set(crops, crops.length);
    const allMarks = new Float32Array(2 * n * LANDMARK_VALUES);
    allMarks.set(marks);
    allMarks.set(owns, n * LANDMARK_VALUES);
    const allOwns = new Float32Array(2 * n * LANDMARK_VALUES);
    allOwns.set(owns);
    allOwns.set(owns, n * LANDMARK_VALUES);
    const g = await model.generate(both, allOwns, allMarks, 2 * n);
    const out = new Float32Array(crops.length);
    for (let k = 0; k < n; k++) {
      const image = (j: number) =>
        suppressCheckerboard(unitRangeToImage(g.subarray(j * pixels, (j + 1) * pixels), size, size));
      const own = px(owns.subarray(k * LANDMARK_VALUES, (k + 1) * LANDMARK_VALUES));
      const target = px(marks.subarray(k * LANDMARK_VALUES, (k + 1) * LANDMARK_VALUES));
      const change = appearanceChange(
        image(k),
        image(n + k),
        own,
        target,
        cropMask(facePolygon(own, target), size),
      );
      const { view } = warpedFaceView(inputs[k]!, [1, 0, 0, 0, 1, 0], size, size, own, target, { change });
      out.set(imageToUnitRange(view), k * pixels);
    }
    return out;
  };
} else if (values.warp) {
  generate = (crops, owns, marks, n) => warpCropsToTargets(crops, owns, marks, n, size);
} else {
  if (!values.model) throw new Error('--model DIR or --warp');
  generate = (await loadExpressionModel(values.model)).model.generate;
}
const started = Date.now();
const result = await compareLikeModes(cache, Number(values.fold), generate);
console.log(
  `${values.warp ? 'piecewise-affine warp' : `model ${values.model}`}, ${((Date.now() - started) / 1000).toFixed(1)} s`,
);
console.log(comparisonTable(result));
