// Speed of the web editor in Chromium (Debian's, through playwright-core), per TF.js backend: page start, face
// detection of the sample photo, one generated face after a slider move (what "the face follows the slider"
// costs), a slider move until "In the photo" shows its face (generation + paste), a 25-frame animation and its GIF. Needs the built app (npm run build:web) and /usr/bin/chromium.
// Usage: node --import tsx bench/webEditor.ts [model folder] [--pause-ms N] [--app DIR] [--photo FILE]
//   [--network-mbit N] [--gzip]
// The model folder: default, an untrained model of the default size. --pause-ms: wait that long between page ready
// and the click on the sample, as a person would, so that what the page does in the background after it is ready is
// done. --app: another build of the page, e.g. another work tree's dist/web-app, to compare two builds on the same
// server and model. --photo: open this photo through the file input instead of clicking the bundled sample, e.g. a
// phone selfie whose face fills the frame. --network-mbit: Chromium's network emulation, N Mbit/s down with 20 ms
// latency, as a page served from elsewhere loads. --gzip: the server gzips the script, JSON and WASM, as
// `mimic serve --host ADDRESS` does when it is reachable from the network (on loopback it does not).
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Page } from 'playwright-core';
import { editorMounts } from '../src/web/mounts.js';
import { startWebServer } from '../src/web/server.js';
import { launchChromium } from '../test/web/browser.js';
import { writeFixtureModel } from '../test/web/fixtureModel.js';

const SLIDER_MOVES = 20;

const temp = await mkdtemp(join(tmpdir(), 'mimic-bench-web-'));
const option = (name: string): string | undefined => {
  const at = process.argv.indexOf(name);
  return at > 0 ? process.argv[at + 1] : undefined;
};
const pauseMs = Number(option('--pause-ms') ?? 0);
const appDir = option('--app');
const photoFile = option('--photo');
const networkMbit = option('--network-mbit');
const gzip = process.argv.includes('--gzip');
let modelDir = process.argv[2]?.startsWith('--') ? undefined : process.argv[2];
if (modelDir === undefined) {
  modelDir = join(temp, 'model');
  await writeFixtureModel(modelDir);
}
const server = await startWebServer({
  mounts: editorMounts({ modelDir: resolve(modelDir), ...(appDir ? { appDir: resolve(appDir) } : {}) }),
  compress: gzip,
});
const browser = await launchChromium();

/** Milliseconds until the page has generated one more face, measured inside the page. */
function timeNextGeneration(page: Page, action: string): Promise<number> {
  return page.evaluate(async (what) => {
    const canvas = document.querySelector('#output-face') as HTMLCanvasElement;
    const before = Number(canvas.dataset.generation ?? 0);
    const start = performance.now();
    const done = new Promise<void>((resolveDone) => {
      const observer = new MutationObserver(() => {
        if (
          Number(canvas.dataset.generation ?? 0) > before &&
          document.body.dataset.generating === undefined
        ) {
          observer.disconnect();
          resolveDone();
        }
      });
      observer.observe(document.body, { attributes: true, subtree: true });
    });
    if (what === 'slider') {
      const slider = document.querySelector('#intensity') as HTMLInputElement;
      slider.value = String((Number(slider.value) + 37) % 101);
      slider.dispatchEvent(new Event('input'));
    } else (document.querySelector(what) as HTMLElement).click();
    await done;
    return performance.now() - start;
  }, action);
}

/** Milliseconds from a slider move until "In the photo" shows the face generated for it, measured in the page. */
function timeSliderToPhoto(page: Page): Promise<number> {
  return page.evaluate(async () => {
    const face = document.querySelector('#output-face') as HTMLCanvasElement;
    const pasted = document.querySelector('#pasted') as HTMLCanvasElement;
    const before = Number(face.dataset.generation ?? 0);
    const start = performance.now();
    const done = new Promise<void>((resolveDone) => {
      const observer = new MutationObserver(() => {
        if (Number(pasted.dataset.generation ?? 0) > before) {
          observer.disconnect();
          resolveDone();
        }
      });
      observer.observe(pasted, { attributes: true });
    });
    const slider = document.querySelector('#intensity') as HTMLInputElement;
    slider.value = String((Number(slider.value) + 37) % 101);
    slider.dispatchEvent(new Event('input'));
    await done;
    return performance.now() - start;
  });
}

const median = (values: number[]): number =>
  [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

try {
  for (const backend of ['wasm', 'webgl']) {
    const page = await browser.newPage({ acceptDownloads: true });
    // Bytes the page fetches (as they came over the wire) until its first face is ready.
    const network = await page.context().newCDPSession(page);
    await network.send('Network.enable');
    if (networkMbit !== undefined)
      await network.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 20,
        downloadThroughput: (Number(networkMbit) * 1e6) / 8,
        uploadThroughput: 1e6,
      });
    let fetchedBytes = 0;
    let counting = true;
    network.on('Network.loadingFinished', (event: { encodedDataLength: number }) => {
      if (counting) fetchedBytes += event.encodedDataLength;
    });
    let t = Date.now();
    await page.goto(`${server.url}?backend=${backend}`);
    const ready = await Promise.race([
      page.waitForSelector('body[data-ready="true"]', { timeout: 60_000 }).then(() => true),
      page.waitForSelector('#message[data-code="no-backend"]', { timeout: 60_000 }).then(() => false),
    ]);
    if (!ready) {
      console.log(`${backend}: not available in this browser`);
      await page.close();
      continue;
    }
    const startMs = Date.now() - t;
    await new Promise((resolveWait) => setTimeout(resolveWait, pauseMs));
    t = Date.now();
    if (photoFile === undefined) await page.click('#sample-button');
    else await page.locator('#file-input').setInputFiles(resolve(photoFile));
    await page.waitForSelector('body[data-face="ready"]', { timeout: 120_000 });
    const detectMs = Date.now() - t;
    counting = false;
    await page.waitForSelector('#output-face[data-generation]', { timeout: 60_000 });
    await page.waitForSelector('#pasted[data-generation]', { timeout: 60_000 });
    const firstPasteMs = Date.now() - t;
    await timeNextGeneration(page, '#presets button[data-preset="smile"]');
    const slider: number[] = [];
    for (let i = 0; i < SLIDER_MOVES; i++) slider.push(await timeNextGeneration(page, 'slider'));
    const toPhoto: number[] = [];
    for (let i = 0; i < SLIDER_MOVES; i++) {
      // Each move starts with no paste running (the previous one has shown its face).
      await page.waitForFunction(
        () =>
          (document.querySelector('#pasted') as HTMLElement).dataset.generation ===
          (document.querySelector('#output-face') as HTMLElement).dataset.generation,
      );
      toPhoto.push(await timeSliderToPhoto(page));
    }
    await page.click('#add-key');
    await page.click('#reset');
    await page.click('#add-key');
    await page.locator('.frames-to-next').first().fill('24');
    await page.locator('.frames-to-next').first().dispatchEvent('change');
    t = Date.now();
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#download-gif')]);
    await download.path();
    const gifMs = Date.now() - t;
    console.log(
      `${backend}: ${networkMbit ? `(network ${networkMbit} Mbit/s, 20 ms) ` : ''}${gzip ? '(gzip) ' : ''}page ready ${startMs} ms, ` +
        `${pauseMs ? `(pause ${pauseMs} ms) ` : ''}` +
        `${photoFile ?? 'sample photo'} → landmarks + ` +
        `first face ${detectMs} ms (${(fetchedBytes / 1e6).toFixed(2)} MB fetched until then), its first ` +
        `generated face in the photo ${firstPasteMs} ms, ` +
        `face after a slider move median ${median(slider).toFixed(1)} ms (min ${Math.min(...slider).toFixed(1)}, ` +
        `${SLIDER_MOVES} moves), slider move → "In the photo" median ${median(toPhoto).toFixed(1)} ms ` +
        `(min ${Math.min(...toPhoto).toFixed(1)}), 25-frame animation → GIF download ${gifMs} ms`,
    );
    await page.close();
  }
} finally {
  await browser.close();
  await server.close();
  await rm(temp, { recursive: true, force: true });
}
