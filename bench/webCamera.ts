// Speed of "Drive with camera" in Chromium without a GPU (Debian's, through playwright-core), measured by the page
// itself: frames shown per second (camera frame grabbed → its result on the canvas; slower frames are dropped, not
// queued) and the mean time per stage (face tracking, generation, paste). The camera is Chromium's fake camera
// playing the drive test clip at 30 fps, letterboxed to 640×480 like a webcam. Nothing reads the canvases while it
// runs. Needs the built app (npm run build:web) and /usr/bin/chromium.
// Usage: node --import tsx bench/webCamera.ts [--seconds 30] [--backend wasm] [--model models/default]
import { mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DEFAULT_MODEL_DIR } from '../src/transfer/defaultModel.js';
import { editorMounts } from '../src/web/mounts.js';
import { startWebServer } from '../src/web/server.js';
import { launchChromium } from '../test/web/browser.js';
import { fakeCameraFlags, makeFakeCameraClip } from '../test/web/fakeCamera.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '30' },
    backend: { type: 'string', default: 'wasm' },
    model: { type: 'string', default: DEFAULT_MODEL_DIR },
  },
});
const seconds = Number(values.seconds);
const temp = await mkdtemp(join(tmpdir(), 'mimic-bench-camera-'));
const clip = join(temp, 'clip.y4m');
makeFakeCameraClip(clip, { fps: 30, width: 640, height: 480 });
const server = await startWebServer({ mounts: editorMounts({ modelDir: resolve(values.model) }) });
const browser = await launchChromium(fakeCameraFlags(clip));
const load = (): string =>
  loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 1400 } });
  await page.goto(`${server.url}?backend=${values.backend}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 120_000 });
  await page.click('#sample-button');
  await page.waitForSelector('body[data-face="ready"]', { timeout: 60_000 });
  await page.waitForFunction(
    () => Number((document.querySelector('#output-face') as HTMLElement).dataset.generation) > 0,
  );
  const backend = await page.getAttribute('body', 'data-backend');
  console.log(`backend ${backend}, camera 640×480 at 30 fps, ${seconds} s; load average before: ${load()}`);
  await page.click('#camera-start');
  await page.waitForFunction(
    () => Number((document.querySelector('#camera-result') as HTMLElement).dataset.shown ?? 0) >= 30,
    undefined,
    { timeout: 120_000 },
  );
  const readStats = () =>
    page.evaluate(() => ({ ...(document.querySelector('#camera-result') as HTMLElement).dataset }));
  const start = await readStats();
  const startTime = Date.now();
  console.log('elapsed s | frames/s (last 2 s) | tracking ms | generating ms | pasting ms | grab→shown ms');
  for (let t = 5; t <= seconds; t += 5) {
    await new Promise((r) => setTimeout(r, startTime + t * 1000 - Date.now()));
    const s = await readStats();
    console.log(`${t} | ${s.fps} | ${s.trackMs} | ${s.generateMs} | ${s.pasteMs} | ${s.latencyMs}`);
  }
  const end = await readStats();
  const shown = Number(end.shown) - Number(start.shown);
  const wall = (Date.now() - startTime) / 1000;
  console.log(
    `overall: ${shown} frames shown in ${wall.toFixed(1)} s = ${(shown / wall).toFixed(1)} frames/s; load average after: ${load()}`,
  );
} finally {
  await browser.close();
  await server.close();
  await rm(temp, { recursive: true, force: true });
}
