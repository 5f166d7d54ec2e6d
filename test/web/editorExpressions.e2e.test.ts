/**
 * The web editor's expression buttons and action-unit sliders in Chromium (issue 16), as a user drives them: a
 * button for every preset the CLI offers, "surprise" raising the brows and opening the mouth exactly as
 * `mimic transfer --expression surprise` computes it, the jaw slider opening the mouth further and changing the
 * result, sliders at 0 giving the preset back exactly, sliders by keyboard, and drags and undo beside the sliders.
 *
 * Needs the built app (npm run build:web). MIMIC_E2E_MODEL=<model folder> runs it on a real model and
 * MIMIC_E2E_PHOTO=<photo> on another photo than the bundled sample; the README's picture
 * docs/web-editor-expressions.png is test-output/web/editor-surprise.png from such a run.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { initBackend } from '../../src/engine/backend.js';
import { applyExpression, expressionNames } from '../../src/transfer/expressionCatalogue.js';
import { interocularOf } from '../../src/transfer/actionUnits.js';
import { parsePresets, PRESETS_FILE, type PresetsFile } from '../../src/transfer/presets.js';
import { editorMounts, WEB_APP_DIR } from '../../src/web/mounts.js';
import { startWebServer, type RunningWebServer } from '../../src/web/server.js';
import {
  ACTION_UNIT_SLIDERS,
  expressionPanelLandmarks,
  sliderActionUnits,
  withoutActionUnits,
  zeroSliders,
} from '../../web/src/actionUnitSliders.js';
import { REPO_ROOT } from '../helpers/paths.js';
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

/** The target landmarks of the face on screen (136 normalized coordinates). */
async function shownLandmarks(page: Page): Promise<Float32Array> {
  return Float32Array.from(
    JSON.parse((await page.getAttribute('#output-face', 'data-landmarks')) ?? '[]') as number[],
  );
}

async function ownLandmarks(page: Page): Promise<Float32Array> {
  return Float32Array.from(
    JSON.parse((await page.getAttribute('#output-face', 'data-source-landmarks')) ?? '[]') as number[],
  );
}

/** Runs `act` and waits for the face it asks for. */
async function andWait(page: Page, act: () => Promise<unknown>): Promise<void> {
  const count = await generationCount(page);
  await act();
  await waitForGeneration(page, count);
}

/** Waits until "In the photo" shows the paste of the latest generated face. */
async function pasteShown(page: Page): Promise<void> {
  const generation = await generationCount(page);
  await page.waitForSelector(`#pasted[data-generation="${generation}"]`, { timeout: 30_000 });
}

/**
 * Keeps the pixels of a canvas in the page, to compare later with inPageChange: the face at the photo's
 * resolution is too large to carry to Node and back quickly.
 */
async function keepPixels(page: Page, selector: string): Promise<void> {
  await page.evaluate((sel) => {
    const canvas = document.querySelector(sel) as HTMLCanvasElement;
    const kept = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    (window as unknown as { keptPixels: Uint8ClampedArray }).keptPixels = kept;
  }, selector);
}

/** Mean absolute RGB difference (0..255) between a canvas now and what keepPixels kept of it. */
async function inPageChange(page: Page, selector: string): Promise<number> {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(sel) as HTMLCanvasElement;
    const now = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    const kept = (window as unknown as { keptPixels: Uint8ClampedArray }).keptPixels;
    if (kept.length !== now.length) return 255;
    let sum = 0;
    for (let i = 0; i < now.length; i++) if (i % 4 !== 3) sum += Math.abs(now[i]! - kept[i]!);
    return sum / ((now.length / 4) * 3);
  }, selector);
}

function assertClose(actual: Float32Array, expected: Float32Array, what: string, tolerance = 1e-6): void {
  assert.equal(actual.length, expected.length, what);
  actual.forEach((v, i) =>
    assert.ok(
      Math.abs(v - expected[i]!) <= tolerance,
      `${what}: coordinate ${i} is ${v}, not ${expected[i]}`,
    ),
  );
}

const y = (flat: Float32Array, point: number): number => flat[2 * point + 1]!;
/** The mean height of both brows (points 17–26); smaller is higher up. */
const browsY = (flat: Float32Array): number =>
  Array.from({ length: 10 }, (_, k) => y(flat, 17 + k)).reduce((a, b) => a + b, 0) / 10;
/** The inner lips' opening: bottom centre (66) below top centre (62). */
const mouthOpening = (flat: Float32Array): number => y(flat, 66) - y(flat, 62);

/** A landmark dot's centre on screen (CSS pixels). */
async function dotCentre(page: Page, index: number): Promise<[number, number]> {
  const box = await page.locator(`circle.landmark[data-index="${index}"]`).boundingBox();
  assert.ok(box !== null, `landmark ${index} is not on screen`);
  return [box.x + box.width / 2, box.y + box.height / 2];
}

describe('web editor: emotion buttons and action-unit sliders (issue 16)', { skip: chromiumMissing }, () => {
  let browser: Browser;
  let server: RunningWebServer;
  let page: Page;
  let presets: PresetsFile;
  let own: Float32Array;
  let iod: number;
  const pageErrors: string[] = [];

  before(async () => {
    assert.ok(existsSync(join(WEB_APP_DIR, 'index.html')), 'the web app is not built; run npm run build:web');
    await mkdir(OUT, { recursive: true });
    await initBackend();
    const modelDir = resolve(process.env.MIMIC_E2E_MODEL ?? join(OUT, 'model-expressions'));
    if (process.env.MIMIC_E2E_MODEL === undefined) await writeFixtureModel(modelDir);
    presets = parsePresets(await readFile(join(modelDir, PRESETS_FILE)), PRESETS_FILE);
    server = await startWebServer({ mounts: editorMounts({ modelDir }) });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 1300 } });
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(server.url + '?backend=wasm');
    // MIMIC_E2E_PHOTO=<photo> edits that photo (the README's picture) instead of the bundled sample.
    const photo = process.env.MIMIC_E2E_PHOTO;
    if (photo === undefined) await page.click('#sample-button');
    else await page.locator('#file-input').setInputFiles(resolve(photo));
    await page.waitForSelector('body[data-face="ready"]', { timeout: 60_000 });
    await waitForGeneration(page, 0);
    own = await ownLandmarks(page);
    iod = interocularOf(own);
  });

  after(async () => {
    await browser?.close();
    await server?.close();
  });

  test('a button for every preset the CLI offers; a labelled slider per part of the face, naming its AUs', async () => {
    const buttons = await page
      .locator('#presets button')
      .evaluateAll((list) => list.map((b) => (b as HTMLButtonElement).dataset.preset));
    const cli = expressionNames(presets);
    assert.deepEqual(buttons, ['neutral', 'smile', ...cli.filter((n) => n !== 'neutral' && n !== 'smile')]);
    for (const name of ['surprise', 'sad', 'angry', 'fear', 'disgust', 'contempt', 'blink', 'aaa', 'ooo'])
      assert.ok(buttons.includes(name), `no "${name}" button`);
    assert.match(
      (await page.getAttribute('#presets button[data-preset="surprise"]', 'title')) ?? '',
      /AU 1@1\.2/,
    );

    for (const slider of ACTION_UNIT_SLIDERS) {
      const input = page.getByRole('slider', { name: slider.label, exact: true });
      assert.equal(await input.count(), 1, `no slider labelled "${slider.label}"`);
      assert.equal(await input.isEnabled(), true);
      assert.equal(await input.inputValue(), '0');
    }
    // The AUs a slider drives are on the page, not only in a tooltip.
    assert.match(await page.locator('#au-brows-hint').innerText(), /lowered \(AU4\).*raised \(AU1\+2\)/);
    assert.match((await page.getAttribute('#au-brows', 'title')) ?? '', /AU4/);
    assert.match(await page.locator('#au-jaw-hint').innerText(), /AU25\+26/);
  });

  test('"surprise" raises the brows and opens the mouth, exactly as the CLI computes it', async () => {
    const before = await canvasPixels(page, '#output-face');
    const browBefore = (await dotCentre(page, 19))[1];
    const lipBefore = (await dotCentre(page, 57))[1];
    await andWait(page, () => page.click('#presets button[data-preset="surprise"]'));
    const shown = await shownLandmarks(page);
    assertClose(shown, applyExpression(presets, own, 'surprise', 1), 'surprise');
    assert.ok(browsY(own) - browsY(shown) > 0.08 * iod, 'the brows did not go up');
    assert.ok(mouthOpening(shown) - mouthOpening(own) > 0.15 * iod, 'the mouth did not open');
    // The overlay shows it: a brow dot up, the lower lip's dot down.
    assert.ok((await dotCentre(page, 19))[1] < browBefore - 2, 'the brow dot did not move up');
    assert.ok((await dotCentre(page, 57))[1] > lipBefore + 2, 'the lower lip dot did not move down');
    assert.equal(await page.getAttribute('#presets button[data-preset="surprise"]', 'aria-pressed'), 'true');
    const after = await canvasPixels(page, '#output-face');
    assert.ok(meanAbsDiff(before.data, after.data) > 0.05, 'the generated face did not change');
    await pasteShown(page);
    await page.screenshot({ path: join(OUT, 'editor-surprise.png'), fullPage: true });
  });

  test('the jaw slider at its maximum opens the mouth further and changes the result; back at 0 the preset exactly', async () => {
    const surprise = await shownLandmarks(page);
    const face = await canvasPixels(page, '#output-face');
    await keepPixels(page, '#face-view');
    await andWait(page, () => page.locator('#au-jaw').fill('1.5'));
    const open = await shownLandmarks(page);
    assertClose(
      open,
      applyExpression(
        presets,
        own,
        'surprise',
        1,
        new Map([
          ['25', 1.5],
          ['26', 1.5],
        ]),
      ),
      'surprise --au 25=1.5,26=1.5',
    );
    assert.ok(
      mouthOpening(open) - mouthOpening(surprise) > 0.2 * iod,
      'the jaw slider did not open the mouth',
    );
    assert.ok(y(open, 8) - y(surprise, 8) > 0.2 * iod, 'the chin did not drop');
    assert.equal(await page.locator('#au-jaw-value').innerText(), 'open 1.5 (AU25+26)');
    assert.ok(meanAbsDiff(face.data, (await canvasPixels(page, '#output-face')).data) > 0.05);
    await pasteShown(page);
    const change = await inPageChange(page, '#face-view');
    assert.ok(change > 0.05, `the face in the photo did not change (mean |Δ| ${change.toFixed(3)})`);

    await andWait(page, () => page.locator('#au-jaw').fill('0'));
    assert.deepEqual(await shownLandmarks(page), surprise, 'sliders at 0 must give the preset exactly');
    assert.ok(meanAbsDiff(face.data, (await canvasPixels(page, '#output-face')).data) < 0.01);
  });

  test('keyboard: the brows slider steps with the arrow keys and says what it does', async () => {
    const surprise = await shownLandmarks(page);
    await page.locator('#au-brows').focus();
    for (let k = 0; k < 10; k++) await andWait(page, () => page.keyboard.press('ArrowLeft'));
    assert.equal(Number(await page.locator('#au-brows').inputValue()), -0.5);
    assert.equal(await page.getAttribute('#au-brows', 'aria-valuetext'), 'lowered 0.5 (AU4)');
    const lowered = await shownLandmarks(page);
    assertClose(
      lowered,
      applyExpression(presets, own, 'surprise', 1, new Map([['4', 0.5]])),
      'surprise --au 4=0.5',
    );
    assert.ok(browsY(lowered) > browsY(surprise) + 0.02 * iod, 'the brows did not come down');
    // The preset stays chosen: the sliders add to it.
    assert.equal(await page.getAttribute('#presets button[data-preset="surprise"]', 'aria-pressed'), 'true');
  });

  test('a drag stays when a slider moves after it; undo sets the sliders back to 0', async () => {
    await page.selectOption('#drag-mode', 'point');
    const [x, y0] = await dotCentre(page, 48);
    const count = await generationCount(page);
    await page.mouse.move(x, y0);
    await page.mouse.down();
    await page.mouse.move(x - 10, y0 + 20, { steps: 4 });
    await page.mouse.up();
    await waitForGeneration(page, count);
    const dragged = await shownLandmarks(page);
    const sliders = { ...zeroSliders(), brows: -0.5 };
    assert.equal(await page.getAttribute('#presets button[data-preset="surprise"]', 'aria-pressed'), 'false');

    await andWait(page, () => page.locator('#au-jaw').fill('1'));
    // What the page promises: the drag (and the rest of the face as it was) with the jaw's AUs on top.
    const before = sliderActionUnits(sliders);
    const after = sliderActionUnits({ ...sliders, jaw: 1 });
    const expected = expressionPanelLandmarks(
      own,
      undefined,
      1,
      withoutActionUnits(dragged, own, before),
      after,
    );
    const shown = await shownLandmarks(page);
    assertClose(shown, expected, 'drag + jaw', 1e-5);
    assert.ok(
      mouthOpening(shown) > mouthOpening(dragged) + 0.1 * iod,
      'the jaw slider did nothing after the drag',
    );
    assert.ok(
      Math.abs(shown[2 * 48]! - dragged[2 * 48]!) < 0.02 * iod,
      'the dragged corner was moved sideways',
    );

    await andWait(page, () => page.click('#undo'));
    assertClose(await shownLandmarks(page), dragged, 'undo of the jaw slider');
    for (const slider of ACTION_UNIT_SLIDERS)
      assert.equal(await page.locator(`#au-${slider.id}`).inputValue(), '0', `${slider.id} after undo`);
    await andWait(page, () => page.click('#undo'));
    assert.ok(mouthOpening(await shownLandmarks(page)) > mouthOpening(own), 'undo skipped the slider steps');
    while (!(await page.locator('#undo').isDisabled())) await andWait(page, () => page.click('#undo'));
    assertClose(await shownLandmarks(page), own, 'undone to the photo');
  });

  test('every button gives the landmarks the CLI computes for its preset at the intensity set (70 %)', async () => {
    await andWait(page, () => page.locator('#intensity').fill('70'));
    const names = await page
      .locator('#presets button')
      .evaluateAll((list) => list.map((b) => (b as HTMLButtonElement).dataset.preset!));
    for (const name of names) {
      await andWait(page, () => page.click(`#presets button[data-preset="${name}"]`));
      const cliName = name === 'neutral' ? presets.neutral : name;
      assertClose(await shownLandmarks(page), applyExpression(presets, own, cliName, 0.7), `${name}@0.7`);
    }
    assert.deepEqual(pageErrors, []);
  });
});
