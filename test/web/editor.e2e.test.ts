/**
 * The web editor end to end in a real browser (Debian's Chromium through playwright-core), one browser session:
 * load the page and the sample photo, apply "smile", drag a mouth corner, undo, build a two-key animation and
 * download the GIF, the face and the pasted photo; then the page's messages for an unreadable file, a photo with
 * no face, a photo with two faces and a model that does not load.
 *
 * Needs the built app (npm run build:web, which `npm ci` runs through the prepare script). Screenshots go to
 * test-output/web/. MIMIC_E2E_MODEL=<model folder> runs it on a real model instead of the untrained fixture.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { initBackend } from '../../src/engine/backend.js';
import { detectFaces } from '../../src/face/detect.js';
import { decodeImage } from '../../src/image/io.js';
import { disposeMimicModel, loadMimicModel } from '../../src/model/io.js';
import { generateFaces } from '../../src/model/inference.js';
import { editorMounts, WEB_APP_DIR } from '../../src/web/mounts.js';
import { startWebServer, type RunningWebServer } from '../../src/web/server.js';
import { REPO_ROOT, sample } from '../helpers/paths.js';
import {
  canvasPixels,
  chromiumMissing,
  generationCount,
  launchChromium,
  meanAbsDiff,
  waitForGeneration,
} from './browser.js';
import { writeFixtureModel } from './fixtureModel.js';

const OUT = join(REPO_ROOT, 'test-output', 'web');

/** Runs in the page before its scripts: every canvas refuses WebGL contexts, as on a machine without any GL. */
function hideWebGl(): void {
  type GetContext = (this: unknown, type: string, ...rest: unknown[]) => unknown;
  for (const proto of [HTMLCanvasElement.prototype, OffscreenCanvas.prototype] as unknown as {
    getContext: GetContext;
  }[]) {
    const original = proto.getContext;
    proto.getContext = function (this: unknown, type: string, ...rest: unknown[]) {
      return /webgl/i.test(type) ? null : original.call(this, type, ...rest);
    };
  }
}

function webGlAvailable(): boolean {
  return (
    new OffscreenCanvas(1, 1).getContext('webgl2') !== null ||
    document.createElement('canvas').getContext('webgl') !== null
  );
}

/** The GL renderer's name in the page, or null without WebGL. */
function glRenderer(): string | null {
  const gl = document.createElement('canvas').getContext('webgl');
  if (gl === null) return null;
  const info = gl.getExtension('WEBGL_debug_renderer_info');
  return String(info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
}

describe('web editor in Chromium', { skip: chromiumMissing }, () => {
  let browser: Browser;
  let server: RunningWebServer;
  let page: Page;
  let modelDir: string;
  const pageErrors: string[] = [];
  let tensorsAfterSmile: string | null = null;
  const foreignRequests: string[] = [];
  /** Paths the page asked for under /model/, in order. */
  const modelRequests: string[] = [];

  before(async () => {
    assert.ok(
      existsSync(join(WEB_APP_DIR, 'index.html')),
      `the web app is not built (${WEB_APP_DIR}); run npm run build:web`,
    );
    await rm(OUT, { recursive: true, force: true });
    await mkdir(OUT, { recursive: true });
    // The Node side (fixture model, the CLI's generate for comparison) runs on the CLI's backend.
    await initBackend();
    modelDir = resolve(process.env.MIMIC_E2E_MODEL ?? join(OUT, 'model'));
    if (process.env.MIMIC_E2E_MODEL === undefined) await writeFixtureModel(modelDir);
    server = await startWebServer({ mounts: editorMounts({ modelDir }) });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 }, acceptDownloads: true });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('request', (request) => {
      if (!request.url().startsWith(server.url) && !/^(blob|data):/.test(request.url()))
        foreignRequests.push(request.url());
      const path = new URL(request.url()).pathname;
      if (path.startsWith('/model/')) modelRequests.push(path);
    });
    page.on('console', (message) => {
      // presets.json is optional: a model folder without it answers 404, which the page treats as "no presets"
      // (tested in editorLogic.test.ts); Chromium still logs the 404 as a console error.
      const optionalMissing =
        message.text().includes('404') && message.location().url.endsWith('/presets.json');
      if (message.type() === 'error' && !optionalMissing) pageErrors.push(message.text());
    });
    // The main page runs as on a machine without WebGL (no GPU, no software GL), so everything below exercises
    // the WASM fallback; the last tests check the page with the browser's own WebGL.
    await page.addInitScript(hideWebGl);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('without WebGL the page falls back to WASM', async () => {
    await page.goto(server.url);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    assert.equal(await page.evaluate(webGlAvailable), false);
    assert.equal(await page.getAttribute('body', 'data-backend'), 'wasm');
    assert.equal(await page.locator('#message[data-kind="error"]').count(), 0);
    // The manifest and the two networks are requested as the page starts (mimicModel.ts, openModelFolder), and
    // every model file is downloaded once: none is fetched early and then again.
    for (const file of ['mimic-model.json', 'generator/model.json', 'generator/weights.bin'])
      assert.ok(modelRequests.includes(`/model/${file}`), `${file} was not requested`);
    const repeated = modelRequests.filter((path, i) => modelRequests.indexOf(path) !== i);
    assert.deepEqual(repeated, [], 'model files requested twice');
  });

  test('the sample photo is one click away; its face gets 68 landmarks', async () => {
    await page.click('#sample-button');
    await page.waitForSelector('body[data-face="ready"]', { timeout: 60_000 });
    assert.equal(await page.locator('circle.landmark').count(), 68);
    // The page finds the face as `mimic` does (src/face/faceDetection.ts, the tiny detector first): the same points,
    // up to the browser's and sharp's JPEG decoders (the page used to run the SSD alone: 2.5 px apart on average here).
    const onPage = await page.$$eval('circle.landmark', (circles) =>
      circles.map((c) => [Number(c.getAttribute('cx')), Number(c.getAttribute('cy'))]),
    );
    const [cli] = await detectFaces(await decodeImage(sample('canada-019f.jpg')));
    const distances = onPage.map(([x, y], i) =>
      Math.hypot(x! - cli!.landmarks[i]![0], y! - cli!.landmarks[i]![1]),
    );
    const mean = distances.reduce((a, b) => a + b, 0) / distances.length;
    assert.ok(mean < 0.5, `the page's points are ${mean.toFixed(2)} px from the CLI's on average`);
    await waitForGeneration(page, 0);
    await page.screenshot({ path: join(OUT, '1-sample.png') });
  });

  test('"smile" draws a generated face that differs from the input', async () => {
    // The SSD loads after the first face (groups, "Find more faces"); once it is in memory, the tensors counted after
    // this face are the baseline the later tests hold the page to.
    await page.waitForFunction(() => document.body.dataset.faceNets?.split(' ').includes('detector'));
    const before = await generationCount(page);
    await page.click('#presets button[data-preset="smile"]');
    await waitForGeneration(page, before);
    tensorsAfterSmile = await page.getAttribute('#output-face', 'data-tensors');
    assert.ok(Number(tensorsAfterSmile) > 0);
    const input = await canvasPixels(page, '#input-face');
    const output = await canvasPixels(page, '#output-face');
    assert.equal(output.width, input.width);
    const diff = meanAbsDiff(input.data, output.data);
    assert.ok(diff > 2, `generated face too close to the input (mean |Δ| ${diff.toFixed(2)})`);
    // Not a blank canvas either: a drawn face has contrast.
    const values = output.data.filter((_, i) => i % 4 !== 3);
    assert.ok(Math.max(...values) - Math.min(...values) > 20, 'generated face is flat');
    await page.screenshot({ path: join(OUT, '2-smile.png') });

    // One model format for both: the CLI's code (src/model/io.ts) makes the same face from the same crop and
    // landmarks.
    const landmarks = JSON.parse(
      (await page.getAttribute('#output-face', 'data-landmarks')) ?? '[]',
    ) as number[];
    const sources = JSON.parse(
      (await page.getAttribute('#output-face', 'data-source-landmarks')) ?? '[]',
    ) as number[];
    const crop = new Float32Array(64 * 64 * 3);
    for (let i = 0; i < 64 * 64; i++)
      for (let c = 0; c < 3; c++) crop[3 * i + c] = input.data[4 * i + c]! / 127.5 - 1;
    const model = await loadMimicModel(modelDir);
    try {
      const cli = await generateFaces(
        model,
        crop,
        Float32Array.from(sources),
        Float32Array.from(landmarks),
        1,
      );
      let worst = 0;
      for (let i = 0; i < 64 * 64; i++)
        for (let c = 0; c < 3; c++) {
          const value = Math.min(255, Math.max(0, Math.round((cli[3 * i + c]! + 1) * 127.5)));
          worst = Math.max(worst, Math.abs(value - output.data[4 * i + c]!));
        }
      assert.ok(worst <= 2, `page and CLI disagree by up to ${worst} levels`);
    } finally {
      disposeMimicModel(model);
    }

    // The face follows the intensity slider.
    const atHalf = await generationCount(page);
    await page.locator('#intensity').fill('50');
    await waitForGeneration(page, atHalf);
    const half = await canvasPixels(page, '#output-face');
    assert.ok(meanAbsDiff(half.data, output.data) > 0.05, 'the slider did not change the face');
    const atFull = await generationCount(page);
    await page.locator('#intensity').fill('100');
    await waitForGeneration(page, atFull);
    assert.ok(meanAbsDiff((await canvasPixels(page, '#output-face')).data, output.data) < 0.01);
  });

  test('dragging a mouth corner changes the output; undo brings it back', async () => {
    await page.selectOption('#drag-mode', 'mouthCorner');
    const beforeDrag = await canvasPixels(page, '#output-face');
    const corner = page.locator('circle.landmark[data-index="48"]');
    const box = await corner.boundingBox();
    assert.ok(box !== null);
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const count = await generationCount(page);
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x - 15, y - 30, { steps: 5 });
    await page.mouse.up();
    await waitForGeneration(page, count);
    const afterDrag = await canvasPixels(page, '#output-face');
    const moved = await corner.boundingBox();
    assert.ok(moved !== null && moved.y < box.y - 10, 'the mouth corner did not follow the pointer');
    // The group moved with it: the inner-lip corner (60) too.
    const diff = meanAbsDiff(beforeDrag.data, afterDrag.data);
    assert.ok(diff > 0.05, `output did not change after the drag (mean |Δ| ${diff.toFixed(3)})`);
    await page.screenshot({ path: join(OUT, '3-drag.png') });

    const beforeUndo = await generationCount(page);
    await page.click('#undo');
    await waitForGeneration(page, beforeUndo);
    const undone = await canvasPixels(page, '#output-face');
    assert.ok(meanAbsDiff(beforeDrag.data, undone.data) < 0.01, 'undo did not restore the face');
    // Many generations later (every drag step, undo) the page holds as many tensors as after the smile.
    assert.equal(await page.getAttribute('#output-face', 'data-tensors'), tensorsAfterSmile);
  });

  test('a two-key animation downloads as a GIF with the right number of frames', async () => {
    await page.click('#add-key'); // key 1: the smile
    const resetCount = await generationCount(page);
    await page.click('#reset');
    await waitForGeneration(page, resetCount);
    await page.click('#add-key'); // key 2: the photo's own landmarks
    await page.locator('.frames-to-next').first().fill('4');
    await page.locator('.frames-to-next').first().dispatchEvent('change');
    assert.equal(await page.getAttribute('#frame-count', 'data-frames'), '5');

    const [gifDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-gif')]);
    const gifPath = join(OUT, 'animation.gif');
    await gifDownload.saveAs(gifPath);
    const gif = await sharp(await readFile(gifPath)).metadata();
    assert.equal(gif.format, 'gif');
    assert.equal(gif.pages, 5);
    assert.equal(gif.width, 128);

    await page.click('#play');
    await page.waitForSelector('#output-face[data-playing-frame="4"]', { timeout: 30_000 });
    await page.click('#play');
    // The README's picture of the editor (docs/web-editor.png is copied from here).
    await page.screenshot({ path: join(OUT, 'editor.png'), fullPage: true });
  });

  test('the face and the photo with the face pasted back download as PNGs', async () => {
    // An expression to paste: with the photo's own landmarks every paste mode gives the photo back unchanged.
    const before = await generationCount(page);
    await page.click('#presets button[data-preset="smile"]');
    await waitForGeneration(page, before);
    const [faceDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-face')]);
    const face = await sharp(await faceDownload.path()).metadata();
    assert.equal(face.format, 'png');
    assert.equal(face.width, 64);
    const [photoDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-photo')]);
    const photoPath = join(OUT, 'photo-pasted.png');
    await photoDownload.saveAs(photoPath);
    const photo = await sharp(photoPath).metadata();
    const original = await sharp(sample('canada-019f.jpg')).metadata();
    assert.deepEqual([photo.format, photo.width, photo.height], ['png', original.width, original.height]);

    // The default is the CLI's default, "warp" (the photo's own face warped to the target, at photo
    // resolution); "residual" gives another picture.
    assert.equal(await page.inputValue('#paste-mode'), 'warp');
    await page.selectOption('#paste-mode', 'residual');
    const [warpDownload] = await Promise.all([page.waitForEvent('download'), page.click('#download-photo')]);
    const warpPath = join(OUT, 'photo-pasted-warp.png');
    await warpDownload.saveAs(warpPath);
    const [warped, residual] = await Promise.all(
      [photoPath, warpPath].map((path) => sharp(path).raw().toBuffer({ resolveWithObject: true })),
    );
    assert.deepEqual([warped!.info.width, warped!.info.height], [original.width, original.height]);
    assert.ok(!residual!.data.equals(warped!.data), 'the paste mode made no difference');
    await page.selectOption('#paste-mode', 'warp');
  });

  test('clear messages: unreadable file, no face, several faces (pick one)', async () => {
    const input = page.locator('#file-input');
    // Dropped on the drop zone, as a user drags a file from their desktop.
    const dropped = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['not an image'], 'notes.jpg', { type: 'image/jpeg' }));
      return transfer;
    });
    await page.dispatchEvent('#drop-zone', 'drop', { dataTransfer: dropped });
    await page.waitForSelector('#message[data-code="unreadable"]');
    assert.match(await page.locator('#message').innerText(), /“notes\.jpg” could not be read as an image/);
    // An unreadable file leaves the photo being edited, and its result, as they were.
    assert.ok(await page.locator('#result').isVisible(), '"In the photo" went with an unreadable file');

    const blank = await sharp({ create: { width: 320, height: 240, channels: 3, background: '#8090a0' } })
      .png()
      .toBuffer();
    await input.setInputFiles({ name: 'wall.png', mimeType: 'image/png', buffer: blank });
    await page.waitForSelector('#message[data-code="no-face"]', { timeout: 60_000 });
    // The new photo has no face: "In the photo" must not go on showing the last photo's face beside it.
    assert.equal(await page.locator('#result').isVisible(), false, 'the last face stayed in "In the photo"');

    const twoFaces = await sharp(sample('canada-019f.jpg'))
      .resize({ height: 400 })
      .extend({ right: 420, background: '#ffffff' })
      .composite([
        {
          input: await sharp(sample('canada-095m.jpg')).resize({ height: 340 }).toBuffer(),
          left: 330,
          top: 30,
        },
      ])
      .jpeg()
      .toBuffer();
    await writeFile(join(OUT, 'two-faces.jpg'), twoFaces);
    await input.setInputFiles({ name: 'two.jpg', mimeType: 'image/jpeg', buffer: twoFaces });
    await page.waitForSelector('#message[data-code="several-faces"]', { timeout: 60_000 });
    assert.equal(await page.locator('#face-choice button').count(), 2);
    await page.screenshot({ path: join(OUT, '5-two-faces.png') });
    await page.click('#face-choice button[data-face="1"]');
    await page.waitForFunction(() => document.querySelectorAll('circle.landmark').length === 68);

    // A portrait on a transparent background: edited, and the page says what became of the transparency.
    const cutOut = await sharp(sample('canada-019f.jpg'))
      .resize({ height: 400 })
      .extend({ top: 30, bottom: 30, left: 30, right: 30, background: { r: 0, g: 0, b: 0, alpha: 0 } })
      .png()
      .toBuffer();
    await input.setInputFiles({ name: 'cut-out.png', mimeType: 'image/png', buffer: cutOut });
    await page.waitForSelector('#message[data-code="transparent"]', { timeout: 60_000 });
    assert.match(await page.locator('#message').innerText(), /“cut-out\.png” has transparent parts/);
    await page.waitForFunction(() => document.querySelectorAll('circle.landmark').length === 68);
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(foreignRequests, [], 'the page must only talk to the local server');
  });

  test('auto mode takes WebGL only from a hardware GL; forced WebGL generates faces too', async () => {
    const plain = await browser.newPage();
    try {
      await plain.goto(server.url);
      await plain.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      const renderer = await plain.evaluate(glRenderer);
      const hardware = renderer !== null && !/swiftshader|llvmpipe|softpipe|software/i.test(renderer);
      assert.equal(
        await plain.getAttribute('body', 'data-backend'),
        hardware ? 'webgl' : 'wasm',
        `GL: ${renderer}`,
      );
    } finally {
      await plain.close();
    }
    const forced = await browser.newPage({ viewport: { width: 1280, height: 1100 } });
    try {
      await forced.goto(server.url + '?backend=webgl');
      const started = await Promise.race([
        forced.waitForSelector('body[data-ready="true"]', { timeout: 60_000 }).then(() => true),
        forced.waitForSelector('#message[data-code="no-backend"]', { timeout: 60_000 }).then(() => false),
      ]);
      if (!started) return; // this browser has no WebGL at all: nothing more to check
      assert.equal(await forced.getAttribute('body', 'data-backend'), 'webgl');
      await forced.click('#sample-button');
      await forced.waitForSelector('body[data-face="ready"]', { timeout: 90_000 });
      await waitForGeneration(forced, 0);
      await forced.click('#presets button[data-preset="smile"]');
      await waitForGeneration(forced, 1);
      const input = await canvasPixels(forced, '#input-face');
      const output = await canvasPixels(forced, '#output-face');
      assert.ok(meanAbsDiff(input.data, output.data) > 2);
      await forced.screenshot({ path: join(OUT, '6-webgl.png') });
    } finally {
      await forced.close();
    }
  });

  test('a model that fails to load is reported in the page', async () => {
    const empty = join(OUT, 'no-model');
    await mkdir(empty, { recursive: true });
    const broken = await startWebServer({ mounts: editorMounts({ modelDir: empty }) });
    try {
      const other = await browser.newPage();
      await other.goto(broken.url + '?backend=wasm');
      await other.waitForSelector('#message[data-code="model-failed"]', { timeout: 60_000 });
      assert.match(await other.locator('#message').innerText(), /model failed to load/);
      await other.close();
    } finally {
      await broken.close();
    }
  });
});
