import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { ssimGray, ssimRgb } from '../../src/eval/ssim.js';
import { psnr } from '../../src/eval/psnr.js';
import type { RgbImage } from '../../src/image/rgbImage.js';

interface ReferenceCase {
  name: string;
  width: number;
  height: number;
  a: string;
  b: string;
  ssimGray: number;
  ssimRgb: number;
  psnr: number | null;
}

// Computed once with scikit-image by test/fixtures/eval/ssim_reference.py.
const reference = JSON.parse(
  readFileSync(new URL('../fixtures/eval/ssim_reference.json', import.meta.url), 'utf8'),
) as { skimage: string; cases: ReferenceCase[] };

function image(c: ReferenceCase, which: 'a' | 'b'): RgbImage {
  return { width: c.width, height: c.height, data: new Uint8Array(Buffer.from(c[which], 'base64')) };
}

for (const c of reference.cases) {
  test(`SSIM and PSNR match scikit-image ${reference.skimage}: ${c.name}`, () => {
    const a = image(c, 'a');
    const b = image(c, 'b');
    assert.ok(Math.abs(ssimGray(a, b) - c.ssimGray) < 1e-9, `gray ${ssimGray(a, b)} vs ${c.ssimGray}`);
    assert.ok(Math.abs(ssimRgb(a, b) - c.ssimRgb) < 1e-9, `rgb ${ssimRgb(a, b)} vs ${c.ssimRgb}`);
    if (c.psnr === null) assert.equal(psnr(a, b), Infinity);
    else assert.ok(Math.abs(psnr(a, b) - c.psnr) < 1e-9, `psnr ${psnr(a, b)} vs ${c.psnr}`);
  });
}

test('SSIM is symmetric and lower for a worse copy', () => {
  const c = reference.cases[0]!;
  const a = image(c, 'a');
  const b = image(c, 'b');
  assert.ok(Math.abs(ssimRgb(a, b) - ssimRgb(b, a)) < 1e-12);
  const worse: RgbImage = { ...b, data: b.data.map((v, i) => (i % 7 === 0 ? 255 - v : v)) };
  assert.ok(ssimRgb(a, worse) < ssimRgb(a, b));
  assert.ok(psnr(a, worse) < psnr(a, b));
});

test('images of different sizes are refused', () => {
  const c = reference.cases[0]!;
  const small: RgbImage = { width: 20, height: 20, data: new Uint8Array(20 * 20 * 3) };
  assert.throws(() => ssimRgb(image(c, 'a'), small), /sizes differ/);
  assert.throws(() => psnr(image(c, 'a'), small), /sizes differ/);
});
