/**
 * The web editor as a new user drives it, in Chromium: each test reproduces one defect of issue 15 (numbered as
 * there) and checks the behaviour a user would notice. Plus the page's accessibility (axe-core, WCAG 2.1 A/AA)
 * and a phone-sized viewport with touch drags. Screenshots go to test-output/web/ (the README's pictures).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import sharp from 'sharp';
import { initBackend } from '../../src/engine/backend.js';
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
const require = createRequire(import.meta.url);

type Box = { x: number; y: number; width: number; height: number };
const centre = (b: Box): [number, number] => [b.x + b.width / 2, b.y + b.height / 2];

async function pointBox(page: Page, index: number): Promise<Box> {
  const box = await page.locator(`circle.landmark[data-index="${index}"]`).boundingBox();
  assert.ok(box !== null, `landmark ${index} is not on screen`);
  return box;
}

/** The target landmarks of the face on screen (136 normalized coordinates). */
async function shownLandmarks(page: Page): Promise<number[]> {
  return JSON.parse((await page.getAttribute('#output-face', 'data-landmarks')) ?? '[]') as number[];
}

async function idle(page: Page): Promise<void> {
  await page.waitForFunction(() => document.body.dataset.generating === undefined);
}

/** Drags with the mouse from the centre of landmark `index` by (dx, dy) CSS pixels; waits for the new face. */
async function drag(page: Page, index: number, dx: number, dy: number, wait = true): Promise<void> {
  const [x, y] = centre(await pointBox(page, index));
  const count = await generationCount(page);
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 4 });
  await page.mouse.up();
  if (wait) await waitForGeneration(page, count);
}

async function undoAll(page: Page): Promise<void> {
  while (!(await page.locator('#undo').isDisabled())) {
    const count = await generationCount(page);
    await page.click('#undo');
    await waitForGeneration(page, count);
  }
}

describe('web editor: issue 15, as a new user drives it', { skip: chromiumMissing }, () => {
  let browser: Browser;
  let server: RunningWebServer;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(WEB_APP_DIR, 'index.html')), 'the web app is not built; run npm run build:web');
    await mkdir(OUT, { recursive: true });
    await initBackend();
    // MIMIC_E2E_MODEL=<model folder> runs it on a real model (the README's pictures) instead of the fixture.
    const modelDir = resolve(process.env.MIMIC_E2E_MODEL ?? join(OUT, 'model-issues'));
    if (process.env.MIMIC_E2E_MODEL === undefined) await writeFixtureModel(modelDir);
    server = await startWebServer({ mounts: editorMounts({ modelDir }) });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1100 }, acceptDownloads: true });
    page.on('pageerror', (error) => pageErrors.push(error.message));
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('2 and 12: no blank square before a photo; a model that arrives after the face still gives the face and the photo', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    await page.route('**/model/generator/*.bin', async (route) => {
      await gate;
      await route.continue();
    });
    await page.goto(server.url + '?backend=wasm');
    assert.equal(await page.locator('#photo-stage').isVisible(), false, 'an empty photo area is shown');
    await page.click('#sample-button');
    await page.waitForSelector('body[data-face="ready"]', { timeout: 60_000 });
    release();
    await waitForGeneration(page, 0);
    await page.waitForSelector('#result:not([hidden])');
    const faceView = await canvasPixels(page, '#face-view');
    assert.ok(faceView.width > 64, `the face view is ${faceView.width} px wide`);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-photo')]);
    const photo = await sharp(await download.path()).metadata();
    const original = await sharp(sample('canada-019f.jpg')).metadata();
    assert.deepEqual([photo.width, photo.height], [original.width, original.height]);
    assert.equal(photo.channels, 3, 'the photo PNG has an alpha channel');
    await page.unroute('**/model/generator/*.bin');
  });

  test('7: the intensity slider scales a drag (0 % = the photo, 50 % = half way)', async () => {
    await page.selectOption('#drag-mode', 'point');
    const own = JSON.parse(
      (await page.getAttribute('#output-face', 'data-source-landmarks')) ?? '[]',
    ) as number[];
    await drag(page, 48, -12, 24);
    const dragged = await shownLandmarks(page);
    let count = await generationCount(page);
    await page.locator('#intensity').fill('0');
    await waitForGeneration(page, count);
    (await shownLandmarks(page)).forEach((v, i) => assert.ok(Math.abs(v - own[i]!) < 1e-5));
    count = await generationCount(page);
    await page.locator('#intensity').fill('50');
    await waitForGeneration(page, count);
    (await shownLandmarks(page)).forEach((v, i) =>
      assert.ok(Math.abs(v - (own[i]! + dragged[i]!) / 2) < 1e-4, `coordinate ${i}`),
    );
    await undoAll(page);
  });

  test('6: single points hidden under another can each be grabbed (outer mouth corners, nose)', async () => {
    await page.selectOption('#drag-mode', 'point');
    for (const [grabbed, hidden] of [
      [48, 60],
      [54, 64],
      [33, 32],
      [51, 62],
    ] as const) {
      const before = await shownLandmarks(page);
      await drag(page, grabbed, 0, 14);
      const after = await shownLandmarks(page);
      assert.ok(after[2 * grabbed + 1]! - before[2 * grabbed + 1]! > 0.02, `point ${grabbed} did not move`);
      assert.equal(
        after[2 * hidden + 1],
        before[2 * hidden + 1],
        `point ${hidden} moved instead of ${grabbed}`,
      );
      await undoAll(page);
    }
  });

  test('8 and 12: a landmark dragged off the photo stays on it; Reset only when there is something to reset', async () => {
    assert.equal(await page.locator('#reset').isDisabled(), true, 'Reset is enabled on an unedited face');
    const photo = await page.locator('#photo').boundingBox();
    assert.ok(photo !== null);
    const [x, y] = centre(await pointBox(page, 8));
    const count = await generationCount(page);
    await page.mouse.move(x, y);
    await page.mouse.down();
    await page.mouse.move(x, photo.y + photo.height + 400, { steps: 4 });
    await page.mouse.up();
    await waitForGeneration(page, count);
    const [, cy] = centre(await pointBox(page, 8));
    assert.ok(cy <= photo.y + photo.height, `the chin is ${cy - photo.y - photo.height} px below the photo`);
    assert.ok(
      (await shownLandmarks(page)).every((v) => Math.abs(v) <= 1),
      'a landmark left the crop',
    );
    assert.equal(await page.locator('#reset').isDisabled(), false);
    await undoAll(page);
  });

  test('1: a drag during Play is what Stop shows (and what the face PNG saves)', async () => {
    await page.click('#add-key');
    await page.click('#presets button[data-preset="smile"]');
    await page.click('#add-key');
    await idle(page);
    await page.click('#play');
    await page.waitForSelector('#output-face[data-playing-frame]', { timeout: 30_000 });
    await page.selectOption('#drag-mode', 'lips');
    await drag(page, 57, 0, 20, false);
    await page.click('#play'); // Stop
    await idle(page);
    const shown = await canvasPixels(page, '#output-face');
    // The same landmarks generated afresh (undo, redo) give the very face Stop showed.
    const count = await generationCount(page);
    await page.click('#undo');
    await page.click('#redo');
    await waitForGeneration(page, count);
    const fresh = await canvasPixels(page, '#output-face');
    assert.ok(meanAbsDiff(shown.data, fresh.data) < 0.01, 'Stop showed a stale face');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-face')]);
    const saved = await sharp(await download.path())
      .raw()
      .toBuffer();
    let worst = 0;
    for (let i = 0; i < 64 * 64; i++)
      for (let c = 0; c < 3; c++)
        worst = Math.max(worst, Math.abs(saved[3 * i + c]! - fresh.data[4 * i + c]!));
    assert.equal(worst, 0, 'the face PNG is not the face on screen');
  });

  test('12: moving a key keeps the frames between positions', async () => {
    await page.locator('.frames-to-next').first().fill('4');
    await page.locator('.frames-to-next').first().dispatchEvent('change');
    assert.equal(await page.getAttribute('#frame-count', 'data-frames'), '5');
    await page.getByRole('button', { name: 'Move later (key 1)' }).click();
    assert.equal(await page.getAttribute('#frame-count', 'data-frames'), '5');
    assert.equal(await page.locator('.frames-to-next').first().inputValue(), '4');
  });

  test('9: keyboard only: the file chooser, the landmarks and the key thumbnails are reachable and named', async () => {
    await page.locator('body').focus();
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    const reached: string[] = [];
    for (let i = 0; i < 40; i++) {
      await page.keyboard.press('Tab');
      reached.push(
        await page.evaluate(() => document.activeElement?.id || document.activeElement?.className || ''),
      );
    }
    assert.ok(reached.includes('file-input'), `Tab never reaches the file chooser: ${reached.join(', ')}`);
    assert.ok(reached.includes('overlay'), 'Tab never reaches the landmarks');
    assert.ok(reached.includes('key-open'), 'Tab never reaches a key thumbnail');
    // Landmarks by keyboard: ] picks the next movable point, the arrow keys move it.
    await page.selectOption('#drag-mode', 'point');
    await page.focus('#overlay');
    await page.keyboard.press(']');
    const index = Number(await page.getAttribute('#overlay', 'data-selected'));
    const before = await shownLandmarks(page);
    const count = await generationCount(page);
    await page.keyboard.press('ArrowUp');
    await waitForGeneration(page, count);
    assert.ok(
      (await shownLandmarks(page))[2 * index + 1]! < before[2 * index + 1]!,
      'ArrowUp did not move the point',
    );
    // Key buttons say what they do.
    for (const name of ['Move earlier (key 2)', 'Delete key (key 1)', 'Edit the landmarks of key 1'])
      assert.equal(await page.getByRole('button', { name }).count(), 1, name);
  });

  test('WCAG 2.1 A/AA: axe-core finds no serious or critical violations', async () => {
    await page.evaluate(await readFile(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (o: unknown) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
          };
        }
      ).axe;
      const result = await axe.run({
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious, [], JSON.stringify(violations));
  });

  test('10 and 12: a file dropped anywhere opens; the error goes once the face is edited again', async () => {
    const dropped = await page.evaluateHandle(() => {
      const transfer = new DataTransfer();
      transfer.items.add(new File(['not an image'], 'notes.jpg', { type: 'image/jpeg' }));
      return transfer;
    });
    await page.dispatchEvent('#face-panel', 'drop', { dataTransfer: dropped });
    await page.waitForSelector('#message[data-code="unreadable"]');
    const count = await generationCount(page);
    await page.click('#presets button[data-preset="smile"]');
    await waitForGeneration(page, count);
    assert.equal(await page.locator('#message').isVisible(), false, 'the old error stays');
    await page.screenshot({ path: join(OUT, 'editor-issues.png'), fullPage: true });
  });

  test('3: a huge photo is refused from its header; a large one is edited smaller, previewed at the size shown and saved at full size', async () => {
    // A JPEG whose frame header says 18000×24000 (patched into a small JPEG: the page must not decode it).
    const small = await sharp({ create: { width: 64, height: 48, channels: 3, background: '#808080' } })
      .jpeg()
      .toBuffer();
    const sof = small.findIndex((b, i) => b === 0xff && small[i + 1] === 0xc0);
    small.writeUInt16BE(24000, sof + 5);
    small.writeUInt16BE(18000, sof + 7);
    await page
      .locator('#file-input')
      .setInputFiles({ name: 'huge.jpg', mimeType: 'image/jpeg', buffer: small });
    await page.waitForSelector('#message[data-code="too-large"]', { timeout: 5_000 });
    assert.match(await page.locator('#message').innerText(), /18000×24000/);

    // 3000×4000: the sample enlarged (its face well over 2048 px away from the edges).
    const large = await sharp(sample('canada-019f.jpg'))
      .resize({ width: 3000, height: 4000, fit: 'fill' })
      .jpeg({ quality: 90 })
      .toBuffer();
    const progress = page.waitForSelector('#message[data-code="decoding"]', { timeout: 30_000 });
    await page
      .locator('#file-input')
      .setInputFiles({ name: 'large.jpg', mimeType: 'image/jpeg', buffer: large });
    await progress;
    // Edited at 1536×2048 (the longest side 2048).
    await page.waitForFunction(
      () =>
        (document.querySelector('#photo') as HTMLCanvasElement).height === 2048 &&
        document.body.dataset.face === 'ready',
      undefined,
      { timeout: 60_000 },
    );
    assert.equal(
      await page.evaluate(() => (document.querySelector('#photo') as HTMLCanvasElement).width),
      1536,
    );
    const count = await generationCount(page);
    await page.click('#presets button[data-preset="smile"]');
    await waitForGeneration(page, count);
    const [download] = await Promise.all([
      page.waitForEvent('download', { timeout: 60_000 }),
      page.click('#download-photo'),
    ]);
    const saved = await sharp(await download.path())
      .raw()
      .toBuffer({ resolveWithObject: true });
    assert.deepEqual([saved.info.width, saved.info.height, saved.info.channels], [3000, 4000, 3]);
    const original = await sharp(large).raw().toBuffer();
    // Changed around the mouth, untouched in a corner: the face went back into the full-size photo.
    const mean = (x0: number, y0: number, w: number, h: number): number => {
      let sum = 0;
      for (let y = y0; y < y0 + h; y++)
        for (let x = x0; x < x0 + w; x++)
          for (let c = 0; c < 3; c++)
            sum += Math.abs(saved.data[(y * 3000 + x) * 3 + c]! - original[(y * 3000 + x) * 3 + c]!);
      return sum / (w * h * 3);
    };
    assert.ok(mean(0, 0, 400, 400) < 2, `a corner changed by ${mean(0, 0, 400, 400)}`);
    assert.ok(mean(1200, 2300, 600, 400) > 1, 'the mouth did not change');

    // "In the photo" pastes this face (a region about 1500 edited pixels wide) at the size the page shows it, no
    // wider than twice the large view's 360 CSS pixels, and still shows what the download holds: made as small as
    // the preview's whole-photo canvas, the download is the same picture around the mouth up to the two scalers'
    // rounding, and the photo before the paste is not.
    await page.waitForSelector(`#pasted[data-generation="${await generationCount(page)}"]`, {
      timeout: 30_000,
    });
    const faceView = await canvasPixels(page, '#face-view');
    assert.ok(
      faceView.width <= 730, // 720, and the region's rounding to whole pixels
      `the preview's face region is ${faceView.width}×${faceView.height}`,
    );
    const shown = await canvasPixels(page, '#pasted');
    const asShown = (rgb: Buffer): Promise<Buffer> =>
      sharp(rgb, { raw: { width: 3000, height: 4000, channels: 3 } })
        .resize(shown.width, shown.height, { fit: 'fill' })
        .raw()
        .toBuffer();
    const f = shown.width / 3000;
    // the mouth's box above, in the preview's pixels
    const mx = Math.round(1200 * f);
    const my = Math.round(2300 * f);
    const mw = Math.round(600 * f);
    const mh = Math.round(400 * f);
    const fromShown = (rgb: Buffer): number => {
      let sum = 0;
      for (let y = my; y < my + mh; y++)
        for (let x = mx; x < mx + mw; x++)
          for (let c = 0; c < 3; c++)
            sum += Math.abs(shown.data[(y * shown.width + x) * 4 + c]! - rgb[(y * shown.width + x) * 3 + c]!);
      return sum / (mw * mh * 3);
    };
    const toDownload = fromShown(await asShown(saved.data));
    const toOriginal = fromShown(await asShown(original));
    assert.ok(toDownload < 3, `the preview's mouth is ${toDownload.toFixed(2)} levels from the download's`);
    assert.ok(
      toOriginal > toDownload + 1,
      `the preview's mouth is as close to the photo before (${toOriginal.toFixed(2)}) as to the download`,
    );
  });

  test('5: a group photo: dots follow the face, numbers are readable, another face can be picked any time', async () => {
    const face = (file: string, height: number) => sharp(sample(file)).resize({ height }).toBuffer();
    const group = await sharp({ create: { width: 1920, height: 1080, channels: 3, background: '#e8e8e8' } })
      .composite([
        { input: await face('canada-019f.jpg', 420), left: 300, top: 300 },
        { input: await face('canada-095m.jpg', 400), left: 1300, top: 320 },
      ])
      .jpeg()
      .toBuffer();
    await page
      .locator('#file-input')
      .setInputFiles({ name: 'group.jpg', mimeType: 'image/jpeg', buffer: group });
    await page.waitForSelector('#message[data-code="several-faces"]', { timeout: 60_000 });
    const label = await page.locator('.face-box text').first().boundingBox();
    assert.ok(label !== null && label.height >= 12, `face numbers are ${label?.height} px tall`);
    await page.click('#face-choice button[data-face="0"]');
    await page.waitForSelector('body[data-face="ready"]');
    const jawWidth = (await pointBox(page, 16)).x - (await pointBox(page, 0)).x;
    const dot = (await pointBox(page, 30)).width;
    assert.ok(dot < jawWidth / 20, `dots of ${dot} px on a face ${jawWidth} px wide`);
    const nose = centre(await pointBox(page, 30));
    await page.click('#face-choice button[data-face="1"]');
    await page.waitForFunction((x) => {
      const c = document.querySelector('circle.landmark[data-index="30"]');
      return c !== null && Math.abs(c.getBoundingClientRect().x - x) > 50;
    }, nose[0]);
    assert.deepEqual(pageErrors, []);
  });

  test('a small face the tiny detector misses: "Find more faces" offers it, the face being edited stays', async () => {
    const face = (file: string, height: number) => sharp(sample(file)).resize({ height }).toBuffer();
    // A portrait and, far behind, a face about 45 px tall: the tiny detector (at 320 and 512) finds the portrait
    // alone, the SSD both (as bench/detectors.ts found for such photos).
    const photo = await sharp({ create: { width: 1000, height: 600, channels: 3, background: '#d0d0d0' } })
      .composite([
        { input: await face('canada-019f.jpg', 560), left: 40, top: 20 },
        { input: await face('composite-f_easian.jpg', 120), left: 700, top: 200 },
      ])
      .jpeg()
      .toBuffer();
    await page
      .locator('#file-input')
      .setInputFiles({ name: 'behind.jpg', mimeType: 'image/jpeg', buffer: photo });
    await page.waitForSelector('body[data-face="ready"]', { timeout: 60_000 });
    await page.waitForSelector('#find-more-faces', { state: 'visible' });
    assert.equal(await page.locator('#face-choice button[data-face]').count(), 0);
    // (the nose on the photo: the message and buttons above it move the photo itself down the page)
    const noseOnPhoto = async (): Promise<[number, number]> => {
      const [x, y] = centre(await pointBox(page, 30));
      const photoBox = (await page.locator('#photo').boundingBox())!;
      return [x - photoBox.x, y - photoBox.y];
    };
    const nose = centre(await pointBox(page, 30));
    const noseBefore = await noseOnPhoto();
    await page.click('#find-more-faces');
    await page.waitForSelector('#message[data-code="several-faces"]', { timeout: 60_000 });
    assert.equal(await page.locator('#face-choice button[data-face]').count(), 2);
    // the portrait, still being edited, is face 1 (the largest), pressed; its points did not move
    assert.equal(await page.getAttribute('#face-choice button[data-face="0"]', 'aria-pressed'), 'true');
    assert.equal(await page.getAttribute('#face-choice button[data-face="1"]', 'aria-pressed'), 'false');
    assert.deepEqual(await noseOnPhoto(), noseBefore);
    await page.screenshot({ path: join(OUT, 'find-more-faces.png') });
    await page.click('#face-choice button[data-face="1"]');
    await page.waitForFunction((x) => {
      const c = document.querySelector('circle.landmark[data-index="30"]');
      return c !== null && c.getBoundingClientRect().x - x > 100;
    }, nose[0]);

    // A photo of one face: the SSD finds no other, and says so.
    await page.click('#sample-button');
    await page.waitForSelector('#find-more-faces', { state: 'visible', timeout: 60_000 });
    await page.click('#find-more-faces');
    await page.waitForSelector('#message[data-code="no-more-faces"]', { timeout: 60_000 });
    assert.equal(await page.locator('#find-more-faces').count(), 0);
    assert.deepEqual(pageErrors, []);
  });

  test('11: a missing weights file is named with its HTTP status', async () => {
    for (const [pattern, code, file] of [
      ['**/model/generator/*.bin', 'model-failed', /model\/generator\/\S+\.bin: (HTTP 404|missing)/],
      [
        '**/face-api/tiny_face_detector_model*.bin',
        'detector-failed',
        /face-api\/tiny_face_detector_model\S*: HTTP 404/,
      ],
    ] as const) {
      const other = await browser.newPage();
      try {
        await other.route(pattern, (route) => route.fulfill({ status: 404, body: 'not found' }));
        await other.goto(server.url + '?backend=wasm');
        await other.waitForSelector(`#message[data-code="${code}"]`, { timeout: 60_000 });
        assert.match(await other.locator('#message').innerText(), file);
      } finally {
        await other.close();
      }
    }
    // The SSD loads after the first face (groups, "Find more faces"): missing, it is named where it is needed.
    const other = await browser.newPage();
    try {
      await other.route('**/face-api/ssd_mobilenetv1_model*.bin', (route) =>
        route.fulfill({ status: 404, body: 'not found' }),
      );
      await other.goto(server.url + '?backend=wasm');
      await other.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
      await other.click('#sample-button');
      await other.waitForSelector('#find-more-faces', { state: 'visible', timeout: 60_000 });
      await other.click('#find-more-faces');
      await other.waitForSelector('#message[data-code="detection-failed"]', { timeout: 60_000 });
      assert.match(
        await other.locator('#message').innerText(),
        /face-api\/ssd_mobilenetv1_model\S*: HTTP 404/,
      );
    } finally {
      await other.close();
    }
  });

  test('4: a 390-px phone: nothing off-screen, a finger drags a landmark, dots are visible', async () => {
    const phone = await browser.newContext({
      viewport: { width: 390, height: 844 },
      hasTouch: true,
      isMobile: true,
      deviceScaleFactor: 2,
    });
    const small = await phone.newPage();
    try {
      await small.goto(server.url + '?backend=wasm');
      await small.click('#sample-button');
      await small.waitForSelector('body[data-face="ready"]', { timeout: 60_000 });
      await waitForGeneration(small, 0);
      assert.ok(
        (await small.evaluate(() => document.documentElement.scrollWidth)) <= 390,
        'the page is wider than the phone',
      );
      const dot = await pointBox(small, 48);
      assert.ok(dot.width >= 5.5, `dots are ${dot.width} px`);
      const [x, y] = centre(dot);
      const cdp = await phone.newCDPSession(small);
      const touch = (type: 'touchStart' | 'touchMove' | 'touchEnd', px: number, py: number) =>
        cdp.send('Input.dispatchTouchEvent', {
          type,
          touchPoints: type === 'touchEnd' ? [] : [{ x: px, y: py }],
        });
      const scrollBefore = await small.evaluate(() => window.scrollY);
      await touch('touchStart', x, y);
      for (let k = 1; k <= 6; k++) await touch('touchMove', x, y + 5 * k);
      await touch('touchEnd', x, y + 30);
      const moved = centre(await pointBox(small, 48));
      assert.ok(moved[1] - y > 20, `the finger moved the point by ${moved[1] - y} px`);
      assert.equal(await small.evaluate(() => window.scrollY), scrollBefore, 'the page scrolled');
      await idle(small);
      await small.screenshot({ path: join(OUT, 'editor-phone.png'), fullPage: true });
    } finally {
      await phone.close();
    }
  });
});
