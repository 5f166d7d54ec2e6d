// The warp paste's per-pixel loop written for speed (src/transfer/warpPaste.ts: pixels the warp leaves in place with
// all-zero layer taps skipped, the bilinear sample inlined, each layer evaluated only where one of its taps is
// non-zero) and the warp's triangle lookup filled by row intervals (BackwardWarp), against the plain versions they
// replaced, kept here: they must agree bit for bit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  affineFromThreePoints,
  composeAffine,
  invertAffine,
  type Affine,
} from '../../src/geometry/affine.js';
import type { Landmarks } from '../../src/face/landmarks.js';
import { BackwardWarp, delaunayTriangles, frameAnchors } from '../../src/image/piecewiseAffineWarp.js';
import { createRgbImage, sampleBilinear, sampleGrid, type RgbImage } from '../../src/image/rgbImage.js';
import { photoBox } from '../../src/transfer/paste.js';
import { pasteWarpedFace, WARP_MARGIN, type WarpLayers } from '../../src/transfer/warpPaste.js';
import { Rng } from '../../src/util/random.js';
import { shadeSkin } from '../../src/face/auAppearance.js';
import { syntheticFace } from '../helpers/syntheticFace.js';

/** BackwardWarp's lookup as it was: every cell of each triangle's bounding box tested; first triangle wins. */
class PlainBackwardWarp {
  private readonly maps: Float64Array;
  private readonly cells: Int32Array;
  private readonly side: number;
  private readonly span: number;
  constructor(
    from: Landmarks,
    to: Landmarks,
    size: number,
    grid: number,
    private readonly margin = 0,
  ) {
    const anchors = frameAnchors(size, margin);
    const source = [...from, ...anchors];
    const target = [...to, ...anchors];
    const triangles = delaunayTriangles(target);
    this.span = size + 2 * margin;
    this.side = Math.max(1, Math.round(this.span * grid));
    this.cells = new Int32Array(this.side * this.side).fill(-1);
    this.maps = new Float64Array(6 * triangles.length);
    const scale = this.side / this.span;
    triangles.forEach(([a, b, c], t) => {
      const ta = target[a]!;
      const tb = target[b]!;
      const tc = target[c]!;
      const area = (tb[0] - ta[0]) * (tc[1] - ta[1]) - (tc[0] - ta[0]) * (tb[1] - ta[1]);
      if (Math.abs(area) < 1e-9) return;
      let back: Affine;
      try {
        back = affineFromThreePoints([ta, tb, tc], [source[a]!, source[b]!, source[c]!]);
      } catch {
        return;
      }
      this.maps.set(back, 6 * t);
      const x0 = Math.max(0, Math.floor((Math.min(ta[0], tb[0], tc[0]) + margin) * scale));
      const x1 = Math.min(this.side - 1, Math.ceil((Math.max(ta[0], tb[0], tc[0]) + margin) * scale));
      const y0 = Math.max(0, Math.floor((Math.min(ta[1], tb[1], tc[1]) + margin) * scale));
      const y1 = Math.min(this.side - 1, Math.ceil((Math.max(ta[1], tb[1], tc[1]) + margin) * scale));
      for (let y = y0; y <= y1; y++)
        for (let x = x0; x <= x1; x++) {
          const cell = y * this.side + x;
          if (this.cells[cell] !== -1) continue;
          const px = (x + 0.5) / scale - margin;
          const py = (y + 0.5) / scale - margin;
          const wa = ((tb[0] - px) * (tc[1] - py) - (tc[0] - px) * (tb[1] - py)) / area;
          const wb = ((tc[0] - px) * (ta[1] - py) - (ta[0] - px) * (tc[1] - py)) / area;
          if (wa < -1e-9 || wb < -1e-9 || 1 - wa - wb < -1e-9) continue;
          this.cells[cell] = t;
        }
    });
  }
  map(x: number, y: number, out: Float64Array): void {
    const cx = Math.min(this.side - 1, Math.max(0, Math.floor(((x + this.margin) * this.side) / this.span)));
    const cy = Math.min(this.side - 1, Math.max(0, Math.floor(((y + this.margin) * this.side) / this.span)));
    const t = this.cells[cy * this.side + cx]!;
    if (t < 0) {
      out[0] = x;
      out[1] = y;
      return;
    }
    const m = this.maps;
    const o = 6 * t;
    out[0] = m[o]! * x + m[o + 1]! * y + m[o + 2]!;
    out[1] = m[o + 3]! * x + m[o + 4]! * y + m[o + 5]!;
  }
}

function plainAddLayers(
  rgb: Float64Array,
  layers: WarpLayers,
  cropSize: number,
  qx: number,
  qy: number,
): void {
  const { change, logGain, shade, detail } = layers;
  if (change || logGain) {
    const sx = Math.min(cropSize - 1, Math.max(0, qx - 0.5));
    const sy = Math.min(cropSize - 1, Math.max(0, qy - 0.5));
    const x0 = Math.floor(sx);
    const y0 = Math.floor(sy);
    const x1 = Math.min(x0 + 1, cropSize - 1);
    const y1 = Math.min(y0 + 1, cropSize - 1);
    const fx = sx - x0;
    const fy = sy - y0;
    const i00 = y0 * cropSize + x0;
    const i01 = y0 * cropSize + x1;
    const i10 = y1 * cropSize + x0;
    const i11 = y1 * cropSize + x1;
    if (change)
      for (let c = 0; c < 3; c++)
        rgb[c] =
          rgb[c]! +
          ((change[i00 * 3 + c]! * (1 - fx) + change[i01 * 3 + c]! * fx) * (1 - fy) +
            (change[i10 * 3 + c]! * (1 - fx) + change[i11 * 3 + c]! * fx) * fy);
    if (logGain) {
      const gain = Math.exp(
        (logGain[i00]! * (1 - fx) + logGain[i01]! * fx) * (1 - fy) +
          (logGain[i10]! * (1 - fx) + logGain[i11]! * fx) * fy,
      );
      for (let c = 0; c < 3; c++) rgb[c] = rgb[c]! * gain;
    }
  }
  if (shade) {
    // the creases' shading of one pixel (shadeSkin, tested on its own in test/face/auAppearance.test.ts)
    const side = Math.round(cropSize * shade.zoom);
    shadeSkin(rgb, sampleGrid(shade.logGain, side, qx * shade.zoom, qy * shade.zoom), shade.skinLuma);
  }
  if (detail) {
    const { values, zoom, cover } = detail;
    const side = Math.round(cropSize * zoom);
    for (let c = 0; c < 3; c++) rgb[c] = rgb[c]! + sampleGrid(values, side, qx * zoom, qy * zoom, 3, c);
    if (cover) {
      const alpha = sampleGrid(cover.alpha, side, qx * zoom, qy * zoom);
      if (alpha > 0)
        for (let c = 0; c < 3; c++)
          rgb[c] = rgb[c]! + alpha * (sampleGrid(cover.painted, side, qx * zoom, qy * zoom, 3, c) - rgb[c]!);
    }
  }
}

const toByte = (v: number): number => (v < 0 ? 0 : v > 255 ? 255 : Math.round(v));

/** pasteWarpedFace as it was: every photo pixel of the crop mapped, sampled and given every layer. */
function plainPaste(
  photo: RgbImage,
  toCrop: Affine,
  cropSize: number,
  own: Landmarks,
  target: Landmarks,
  layers: WarpLayers,
  grid: number,
): RgbImage {
  const out: RgbImage = { width: photo.width, height: photo.height, data: Uint8Array.from(photo.data) };
  const margin = WARP_MARGIN * cropSize;
  const warp = new PlainBackwardWarp(own, target, cropSize, grid, margin);
  const toPhoto = invertAffine(toCrop);
  const box = photoBox(toCrop, [
    [-margin, -margin],
    [cropSize + margin, -margin],
    [cropSize + margin, cropSize + margin],
    [-margin, cropSize + margin],
  ]);
  const x0 = Math.max(0, Math.floor(box.minX));
  const x1 = Math.min(photo.width - 1, Math.ceil(box.maxX));
  const y0 = Math.max(0, Math.floor(box.minY));
  const y1 = Math.min(photo.height - 1, Math.ceil(box.maxY));
  const source = new Float64Array(2);
  const rgb = new Float64Array(3);
  const sampled = new Uint8Array(3);
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const px = x + 0.5;
      const py = y + 0.5;
      const qx = toCrop[0] * px + toCrop[1] * py + toCrop[2];
      const qy = toCrop[3] * px + toCrop[4] * py + toCrop[5];
      if (qx < -margin || qy < -margin || qx >= cropSize + margin || qy >= cropSize + margin) continue;
      warp.map(qx, qy, source);
      const sx = toPhoto[0] * source[0]! + toPhoto[1] * source[1]! + toPhoto[2];
      const sy = toPhoto[3] * source[0]! + toPhoto[4] * source[1]! + toPhoto[5];
      const o = (y * photo.width + x) * 3;
      if (Math.abs(sx - px) < 1e-6 && Math.abs(sy - py) < 1e-6) {
        for (let c = 0; c < 3; c++) rgb[c] = photo.data[o + c]!;
      } else {
        sampleBilinear(photo, sx, sy, sampled, 0);
        for (let c = 0; c < 3; c++) rgb[c] = sampled[c]!;
      }
      // the layers belong to the crop; past it only the warp's frame reaches
      if (qx >= 0 && qy >= 0 && qx < cropSize && qy < cropSize) plainAddLayers(rgb, layers, cropSize, qx, qy);
      for (let c = 0; c < 3; c++) out.data[o + c] = toByte(rgb[c]!);
    }
  return out;
}

/** A noisy photo: every pixel differs from its neighbours, so a sample taken elsewhere shows. */
function noisyPhoto(rng: Rng, width: number, height: number): RgbImage {
  const image = createRgbImage(width, height);
  for (let i = 0; i < image.data.length; i++) image.data[i] = Math.floor(rng.uniform(0, 256));
  return image;
}

/** Values on a side × side grid (`channels` a cell), non-zero only inside a disc, as the masked layers are. */
function discLayer(
  rng: Rng,
  side: number,
  channels: number,
  cx: number,
  cy: number,
  r: number,
  scale: number,
): Float32Array {
  const values = new Float32Array(side * side * channels);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      if ((x + 0.5 - cx) ** 2 + (y + 0.5 - cy) ** 2 < r * r)
        for (let c = 0; c < channels; c++) values[(y * side + x) * channels + c] = rng.uniform(-scale, scale);
  return values;
}

/** Own landmarks of a synthetic face, and a target with the mouth and jaw moved (a smile or an open mouth). */
function faces(rng: Rng, size: number, amount: number): { own: Landmarks; target: Landmarks } {
  const own: Landmarks = syntheticFace(size).map(([x, y]) => [
    x + rng.uniform(-0.3, 0.3),
    y + rng.uniform(-0.3, 0.3),
  ]);
  const target: Landmarks = own.map(([x, y], i) =>
    i >= 48 || (i >= 4 && i <= 12)
      ? [x + rng.uniform(-amount, amount), y + rng.uniform(-amount, amount)]
      : [x, y],
  );
  return { own, target };
}

function assertSameImage(got: RgbImage, want: RgbImage, what: string): void {
  for (let i = 0; i < want.data.length; i++)
    if (got.data[i] !== want.data[i])
      assert.fail(
        `${what}: byte ${i} (pixel ${Math.floor(i / 3)}) is ${got.data[i]}, the plain paste gives ${want.data[i]}`,
      );
}

test('BackwardWarp: the row-interval lookup maps every point as the plain lookup does', () => {
  const rng = new Rng(5);
  const out = new Float64Array(2);
  const want = new Float64Array(2);
  for (let trial = 0; trial < 8; trial++) {
    const size = 64;
    const grid = [1, 2.5, 3, 7.3][trial % 4]!;
    const { own, target } = faces(rng, size, trial < 6 ? 3 : 9); // the last two fold triangles over
    const margin = trial % 2 === 0 ? 0 : 16; // with the control frame on the crop's border, and past it
    const fast = new BackwardWarp(own, target, size, grid, margin);
    const plain = new PlainBackwardWarp(own, target, size, grid, margin);
    for (let k = 0; k < 40000; k++) {
      const x = rng.uniform(-1 - margin, size + 1 + margin);
      const y = rng.uniform(-1 - margin, size + 1 + margin);
      fast.map(x, y, out);
      plain.map(x, y, want);
      if (out[0] !== want[0] || out[1] !== want[1])
        assert.fail(
          `trial ${trial}: (${x}, ${y}) maps to (${out[0]}, ${out[1]}), plainly (${want[0]}, ${want[1]})`,
        );
    }
  }
});

/** A side × side grid (`channels` values a cell) that is 0 except on its first and last rows and columns. */
function edges(side: number, channels: number): Float32Array {
  const grid = new Float32Array(side * side * channels);
  for (let y = 0; y < side; y++)
    for (let x = 0; x < side; x++)
      if (x === 0 || y === 0 || x === side - 1 || y === side - 1)
        for (let c = 0; c < channels; c++) grid[(y * side + x) * channels + c] = 0.2 + 10 * c;
  return grid;
}

test('pasteWarpedFace: the same bytes as the plain per-pixel paste, with and without each layer', () => {
  const rng = new Rng(11);
  const size = 64;
  for (let trial = 0; trial < 6; trial++) {
    const zoom = [3, 4.5, 2][trial % 3]!;
    const angle = rng.uniform(-0.4, 0.4);
    const toCrop: Affine = composeAffine(
      [Math.cos(angle) / zoom, Math.sin(angle) / zoom, 0, -Math.sin(angle) / zoom, Math.cos(angle) / zoom, 0],
      [1, 0, -rng.uniform(10, 40), 0, 1, -rng.uniform(10, 40)],
    );
    const photo = noisyPhoto(rng, 360, 340);
    const { own, target } = faces(rng, size, trial === 5 ? 0 : 2.5); // trial 5: nothing moves
    const side = Math.round(size * zoom);
    const change = discLayer(rng, size, 3, 32, 34, 20, 30);
    const logGain = discLayer(rng, size, 1, 30, 30, 14, 0.3);
    const values = discLayer(rng, side, 3, side * 0.5, side * 0.75, side * 0.12, 60);
    const alpha = discLayer(rng, side, 1, side * 0.35, side * 0.4, side * 0.06, 1).map(Math.abs);
    const painted = Float32Array.from({ length: side * side * 3 }, () => rng.uniform(0, 255));
    const shade = {
      logGain: discLayer(rng, side, 1, side * 0.5, side * 0.3, side * 0.1, 0.4),
      zoom,
      skinLuma: 120,
    };
    const options: [string, WarpLayers][] = [
      ['no layers', {}],
      ['change', { change }],
      ['gain', { logGain }],
      ['change and gain', { change, logGain }],
      ['detail', { detail: { values, zoom } }],
      ['all, with a cover', { change, logGain, detail: { values, zoom, cover: { alpha, painted } } }],
      ['shade (creases)', { shade }],
      ['all and the shade', { change, logGain, shade, detail: { values, zoom, cover: { alpha, painted } } }],
      [
        'all-zero layers',
        { change: new Float32Array(change.length), logGain: new Float32Array(logGain.length) },
      ],
      [
        'all-zero detail and shade',
        {
          detail: { values: new Float32Array(values.length), zoom },
          shade: { ...shade, logGain: new Float32Array(shade.logGain.length) },
        },
      ],
      [
        "detail and shade on the grids' edges",
        { detail: { values: edges(side, 3), zoom }, shade: { ...shade, logGain: edges(side, 1) } },
      ],
    ];
    for (const [what, layers] of options)
      assertSameImage(
        pasteWarpedFace(photo, toCrop, size, own, target, layers, zoom, WARP_MARGIN * size),
        plainPaste(photo, toCrop, size, own, target, layers, zoom),
        `trial ${trial}, ${what}`,
      );
  }
});
