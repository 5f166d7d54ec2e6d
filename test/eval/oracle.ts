/**
 * A "perfect model" for tests: for each requested target landmark set it returns the cache's real photo with
 * exactly those landmarks. Scoring it must give SSIM 1 and infinite PSNR against the real target.
 */
import { cacheImage, cacheLandmarks, type DataCache } from '../../src/data/cache.js';
import { imageToUnitRange } from '../../src/image/rgbImage.js';
import type { GenerateFn } from '../../src/model/inference.js';

export function oracleGenerator(cache: DataCache): GenerateFn {
  const count = cache.manifest.items.length;
  return (_crops, _sources, landmarks, n) => {
    const pixels = cache.manifest.size ** 2 * 3;
    const out = new Float32Array(n * pixels);
    for (let i = 0; i < n; i++) {
      const wanted = landmarks.subarray(i * 136, (i + 1) * 136);
      let match = -1;
      for (let k = 0; k < count && match < 0; k++)
        if (cacheLandmarks(cache, k).every((v, j) => v === wanted[j])) match = k;
      if (match < 0) throw new Error('oracle: no photo has these landmarks');
      out.set(imageToUnitRange(cacheImage(cache, match)), i * pixels);
    }
    return out;
  };
}
