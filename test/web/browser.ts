/**
 * Debian's Chromium driven by playwright-core (no browser download). The flags are the ones that work as root in
 * a closed network: no sandbox, no GPU, nothing phoning home.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const chromiumMissing = existsSync(CHROMIUM)
  ? false
  : `${CHROMIUM} is not installed (apt-get install -y chromium); the browser tests are skipped`;

/** `extraArgs`: flags one test needs on top (the fake camera of the camera-mode test). */
export function launchChromium(extraArgs: readonly string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      ...extraArgs,
    ],
  });
}

/** RGBA bytes of a canvas in the page. */
export async function canvasPixels(
  page: Page,
  selector: string,
): Promise<{ width: number; height: number; data: number[] }> {
  return page.evaluate((sel) => {
    const canvas = document.querySelector(sel) as HTMLCanvasElement;
    const ctx = canvas.getContext('2d')!;
    const image = ctx.getImageData(0, 0, canvas.width, canvas.height);
    return { width: canvas.width, height: canvas.height, data: Array.from(image.data) };
  }, selector);
}

/** Mean absolute difference of the RGB channels of two same-sized RGBA pixel arrays (0..255). */
export function meanAbsDiff(a: number[], b: number[]): number {
  if (a.length !== b.length) throw new Error(`pixel arrays differ in length (${a.length} vs ${b.length})`);
  let sum = 0;
  let n = 0;
  for (let i = 0; i < a.length; i++) {
    if (i % 4 === 3) continue;
    sum += Math.abs(a[i]! - b[i]!);
    n++;
  }
  return sum / n;
}

/** Resolves once the page has generated more faces than `after` and nothing is being generated. */
export async function waitForGeneration(page: Page, after: number): Promise<number> {
  await page.waitForFunction(
    (prev) =>
      Number((document.querySelector('#output-face') as HTMLElement).dataset.generation ?? 0) > prev &&
      document.body.dataset.generating === undefined,
    after,
    { timeout: 60_000 },
  );
  return generationCount(page);
}

export async function generationCount(page: Page): Promise<number> {
  return page.evaluate(() =>
    Number((document.querySelector('#output-face') as HTMLElement).dataset.generation ?? 0),
  );
}
