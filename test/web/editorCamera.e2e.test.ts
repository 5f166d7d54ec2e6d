/**
 * "Drive with camera" end to end in Chromium, with Chromium's fake camera playing the drive test clip
 * (test/fixtures/drive/driver.mp4, converted at test time to a small .y4m in a temporary folder): the photo's mouth
 * must open and close with the clip's, recording must download a playable WebM, and without a camera the page must
 * say so. The page's own frames/s and time per stage are printed (not asserted: speed is a benchmark's business).
 *
 * The pairs compared are exact: the page puts each camera frame on screen together with the picture it drove, and
 * the test reads both canvases in one evaluation. Both are then measured here, independently of the page, by the
 * CLI's tracker (the mouth opening in aligned-crop pixels, as test/drive/follows.test.ts measures `mimic drive`).
 * Runs on the shipped model (models/default), so the face is a real one the tracker can follow.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { MotionMeter } from '../../src/drive/motion.js';
import { neutralityFeatures } from '../../src/drive/neutral.js';
import { DriverTracker } from '../../src/drive/tracker.js';
import { nodeFaceDetection } from '../../src/face/detect.js';
import { initBackend } from '../../src/engine/backend.js';
import { DEFAULT_ALIGNMENT } from '../../src/face/align.js';
import { decodeImage } from '../../src/image/io.js';
import { DEFAULT_MODEL_DIR } from '../../src/transfer/defaultModel.js';
import { probeVideo } from '../../src/video/ffmpeg.js';
import { editorMounts, WEB_APP_DIR } from '../../src/web/mounts.js';
import { startWebServer, type RunningWebServer } from '../../src/web/server.js';
import { tempDir } from '../helpers/paths.js';
import { chromiumMissing, launchChromium, waitForGeneration } from './browser.js';
import { fakeCameraFlags, makeFakeCameraClip } from './fakeCamera.js';
import { correlation } from '../helpers/correlation.js';

const require = createRequire(import.meta.url);

/**
 * Mouth opening (aligned-crop pixels) of the face in each picture, tracked as `mimic drive` tracks a driver; null
 * where this tracker finds no face. It is the test's own instrument, fed pictures at irregular intervals, so it can
 * lose a face the page itself tracked (CI once saw one such picture among ~40 on a loaded machine).
 */
async function mouthOpenings(pictures: Buffer[]): Promise<(number | null)[]> {
  const tracker = new DriverTracker(nodeFaceDetection);
  const meter = new MotionMeter(DEFAULT_ALIGNMENT);
  const out: (number | null)[] = [];
  for (const picture of pictures) {
    const points = await tracker.track(await decodeImage(picture));
    out.push(points ? neutralityFeatures(meter.measure(points).expression)[0]! : null);
  }
  return out;
}

function pngBytes(dataUrl: string): Buffer {
  return Buffer.from(dataUrl.slice(dataUrl.indexOf(',') + 1), 'base64');
}

describe('web editor: drive with camera', { skip: chromiumMissing }, () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  let server: RunningWebServer;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(WEB_APP_DIR, 'index.html')), 'the web app is not built; run npm run build:web');
    ({ dir, cleanup } = await tempDir('mimic-camera-'));
    const clip = join(dir, 'clip.y4m');
    // 3.4 s at 30 fps, 270×360: 15 MB in the temporary folder.
    makeFakeCameraClip(clip, { fps: 30, height: 360, holdFirst: 1 });
    await initBackend();
    server = await startWebServer({ mounts: editorMounts({ modelDir: DEFAULT_MODEL_DIR }) });
    browser = await launchChromium(fakeCameraFlags(clip));
    page = await browser.newPage({ viewport: { width: 1280, height: 1400 }, acceptDownloads: true });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    page.on('console', (message) => {
      if (message.type() === 'error') pageErrors.push(message.text());
    });
  });

  after(async () => {
    await browser?.close();
    await server?.close();
    await cleanup?.();
  });

  test('the photo opens and closes its mouth with the camera, live', async () => {
    await page.goto(`${server.url}?backend=wasm`);
    await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
    await page.click('#sample-button');
    await page.waitForSelector('body[data-face="ready"]', { timeout: 60_000 });
    await waitForGeneration(page, 0);
    await page.click('#camera-start');
    await page.waitForSelector('body[data-camera="running"]', { timeout: 60_000 });
    assert.equal(await page.getAttribute('#camera-start', 'aria-pressed'), 'true');
    await page.waitForFunction(
      () => Number((document.querySelector('#camera-result') as HTMLElement).dataset.shown ?? 0) >= 10,
      undefined,
      { timeout: 120_000 },
    );
    const tensorsAt = (): Promise<number> =>
      page.evaluate(() => Number((document.querySelector('#camera-result') as HTMLElement).dataset.tensors));
    const tensorsBefore = await tensorsAt();
    // Pairs (camera frame, the picture it drove) over two loops of the clip.
    const driver: Buffer[] = [];
    const driven: Buffer[] = [];
    let last = -1;
    const end = Date.now() + 7500;
    while (Date.now() < end) {
      const pair = await page.evaluate((previous) => {
        const result = document.querySelector('#camera-result') as HTMLCanvasElement;
        const shown = Number(result.dataset.shown);
        if (shown === previous) return undefined;
        const camera = document.querySelector('#camera-driver') as HTMLCanvasElement;
        return { shown, camera: camera.toDataURL('image/png'), result: result.toDataURL('image/png') };
      }, last);
      if (pair !== undefined) {
        last = pair.shown;
        driver.push(pngBytes(pair.camera));
        driven.push(pngBytes(pair.result));
      }
      await new Promise((resolve) => setTimeout(resolve, 60));
    }
    assert.equal(await tensorsAt(), tensorsBefore, 'every frame disposes its tensors');
    const stats = await page.evaluate(() => ({
      ...(document.querySelector('#camera-result') as HTMLElement).dataset,
    }));
    console.log(`camera mode in the page: ${JSON.stringify(stats)}`);
    console.log(`shown: ${await page.textContent('#camera-stats')}`);
    // The page's own tracker held the last pose for at most a tenth of the shown frames (the clip is one clear face).
    assert.ok(
      Number(stats.missing) <= 0.1 * Number(stats.shown),
      `the page lost the face in ${stats.missing} of ${stats.shown} frames`,
    );
    assert.ok(driver.length >= 20, `at least 20 distinct pictures in 7.5 s (got ${driver.length})`);
    const driverOpenings = await mouthOpenings(driver);
    const drivenOpenings = await mouthOpenings(driven);
    // Pairs where the instrument found a face in both pictures; nearly all of them must count.
    const measured = driverOpenings
      .map((d, i) => [d, drivenOpenings[i]] as const)
      .filter((pair): pair is readonly [number, number] => pair[0] !== null && pair[1] !== null);
    assert.ok(
      measured.length >= 0.9 * driver.length,
      `a face in nearly every picture (${measured.length} of ${driver.length} pairs)`,
    );
    const driverMouth = measured.map(([d]) => d);
    const drivenMouth = measured.map(([, p]) => p);
    const r = correlation(driverMouth, drivenMouth);
    console.log(`${measured.length} of ${driver.length} pairs measured, mouth opening r = ${r.toFixed(3)}`);
    console.log(`camera mouth ${driverMouth.map((v) => v.toFixed(1)).join(' ')}`);
    console.log(`photo mouth  ${drivenMouth.map((v) => v.toFixed(1)).join(' ')}`);
    assert.ok(r > 0.7, `the photo's mouth follows the camera's (r = ${r})`);
    // It really opens, not only correlates: where the camera's mouth is most open (its top fifth), the photo's is
    // half as wide open again as where the camera's is closed (its lower half).
    const order = driverMouth.map((_, i) => i).sort((a, b) => driverMouth[a]! - driverMouth[b]!);
    const meanOf = (indices: number[]): number =>
      indices.reduce((s, i) => s + drivenMouth[i]!, 0) / indices.length;
    const closed = meanOf(order.slice(0, Math.floor(order.length / 2)));
    const open = meanOf(order.slice(Math.floor(order.length * 0.8)));
    console.log(`photo mouth opening: ${closed.toFixed(2)} closed, ${open.toFixed(2)} open (crop px)`);
    assert.ok(open > 1.5 * closed, 'the mouth visibly opens');
  });

  test('the camera panel passes axe-core (WCAG 2.1 A/AA) while driving', async () => {
    await page.evaluate(await readFile(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await page.evaluate(async () => {
      const axe = (
        window as unknown as {
          axe: {
            run: (
              context: unknown,
              o: unknown,
            ) => Promise<{ violations: { id: string; impact: string; nodes: unknown[] }[] }>;
          };
        }
      ).axe;
      const result = await axe.run('#camera-panel', {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return result.violations.map((v) => ({ id: v.id, impact: v.impact, nodes: v.nodes.length }));
    });
    const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
    assert.deepEqual(serious, [], JSON.stringify(violations));
  });

  test('Set neutral takes the current camera frame as the neutral face', async () => {
    const neutralFrame = (): Promise<number> =>
      page.evaluate(() =>
        Number((document.querySelector('#camera-result') as HTMLElement).dataset.neutralFrame),
      );
    assert.equal(await neutralFrame(), 0, 'the first frame with a face, until the button is pressed');
    await page.focus('#camera-neutral');
    await page.keyboard.press('Space');
    await page.waitForFunction(
      () => Number((document.querySelector('#camera-result') as HTMLElement).dataset.neutralFrame) > 0,
    );
  });

  test('Record, then Stop recording downloads a playable WebM of the live picture; Stop ends the camera', async () => {
    await page.focus('#camera-record');
    await page.keyboard.press('Enter');
    await page.waitForSelector('body[data-camera="recording"]');
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    assert.match(download.suggestedFilename(), /-driven\.webm$/);
    const path = join(dir, 'driven.webm');
    await download.saveAs(path);
    const bytes = await readFile(path);
    assert.ok(bytes.length > 1000, `the WebM has ${bytes.length} bytes`);
    assert.equal(bytes.readUInt32BE(0), 0x1a45dfa3, 'an EBML (WebM) header');
    const info = await probeVideo(path);
    const size = await page.evaluate(() => {
      const c = document.querySelector('#camera-result') as HTMLCanvasElement;
      return { width: c.width, height: c.height };
    });
    assert.deepEqual({ width: info.width, height: info.height }, size, 'the recording is the live picture');
    await page.click('#camera-start');
    await page.waitForFunction(() => document.body.dataset.camera === undefined);
    assert.equal(await page.isVisible('#camera-stage'), false);
    assert.equal(await page.getAttribute('#camera-start', 'aria-pressed'), 'false');
    assert.equal(
      await page.evaluate(() => (document.querySelector('#camera-video') as HTMLVideoElement).srcObject),
      null,
    );
    assert.deepEqual(pageErrors, []);
  });

  for (const [what, flags, code] of [
    ['without a camera', [], 'camera-missing'],
    // A camera, but nobody answers the permission prompt (headless Chromium refuses it).
    ['without permission', ['--use-fake-device-for-media-stream'], 'camera-denied'],
  ] as const)
    test(`${what}, the page says so, and Start can be tried again`, async () => {
      const plain = await launchChromium(flags);
      try {
        const other = await plain.newPage();
        await other.goto(`${server.url}?backend=wasm`);
        await other.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
        await other.click('#sample-button');
        await other.waitForSelector('body[data-face="ready"]', { timeout: 60_000 });
        await other.waitForFunction(
          () => document.querySelector('#model-status')?.textContent !== 'Model: loading…',
        );
        await other.click('#camera-start');
        await other.waitForSelector('#message[data-kind="error"]', { timeout: 60_000 });
        const text = await other.textContent('#message');
        console.log(`${what}: ${text}`);
        assert.equal(await other.getAttribute('#message', 'data-code'), code, text ?? '');
        assert.equal(await other.getAttribute('#camera-start', 'aria-pressed'), 'false');
        assert.equal(await other.isDisabled('#camera-start'), false, 'can be tried again');
        assert.equal(await other.isVisible('#camera-stage'), false);
      } finally {
        await plain.close();
      }
    });
});
