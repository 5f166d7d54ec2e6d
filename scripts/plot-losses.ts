/**
 * Draws the loss curves of a training run (its log.jsonl) as a PNG: one small panel per loss, raw values in
 * light colour and a moving average on top.
 *   node --import tsx scripts/plot-losses.ts runs/frl-all/log.jsonl docs/loss-curve.png
 */
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';

const PANELS: { key: string; title: string }[] = [
  { key: 'wasserstein', title: 'critic: Wasserstein estimate' },
  { key: 'gradientPenalty', title: 'critic: gradient penalty' },
  { key: 'contrastive', title: 'L: contrastive loss' },
  { key: 'landmarkL2', title: 'L: landmark reconstruction (squared L2)' },
  { key: 'imageL1', title: 'G: image reconstruction (L1, summed)' },
  { key: 'adversarial', title: 'G: adversarial loss' },
];

const [logPath, outPath] = process.argv.slice(2);
if (!logPath || !outPath) {
  console.error('usage: plot-losses <log.jsonl> <out.png>');
  process.exit(2);
}
const rows = (await readFile(logPath, 'utf8'))
  .split('\n')
  .filter((l) => l.trim() !== '')
  .map((l) => JSON.parse(l) as Record<string, number>);

const W = 420;
const H = 200;
const M = { left: 52, right: 12, top: 26, bottom: 24 };
const cols = 3;
const panels = PANELS.filter((p) => rows.some((r) => typeof r[p.key] === 'number'));
const svgParts: string[] = [];

function movingAverage(values: number[], window: number): number[] {
  return values.map((_, i) => {
    const from = Math.max(0, i - window + 1);
    const slice = values.slice(from, i + 1);
    return slice.reduce((a, b) => a + b, 0) / slice.length;
  });
}

panels.forEach((panel, index) => {
  const ox = (index % cols) * W;
  const oy = Math.floor(index / cols) * H;
  const points = rows
    .filter((r) => Number.isFinite(r[panel.key]))
    .map((r) => [r.step!, r[panel.key]!] as const);
  const xs = points.map((p) => p[0]);
  const ys = points.map((p) => p[1]);
  const [xMin, xMax] = [Math.min(...xs), Math.max(...xs)];
  const sorted = [...ys].sort((a, b) => a - b);
  // Clip the y range to the 1st–99th percentile so one early spike does not flatten the curve.
  const yMin = sorted[Math.floor(sorted.length * 0.01)]!;
  const yMax = sorted[Math.ceil(sorted.length * 0.99) - 1]!;
  const sx = (x: number): number => ox + M.left + ((x - xMin) / (xMax - xMin || 1)) * (W - M.left - M.right);
  const sy = (y: number): number => {
    const t = (Math.min(Math.max(y, yMin), yMax) - yMin) / (yMax - yMin || 1);
    return oy + H - M.bottom - t * (H - M.top - M.bottom);
  };
  const line = (values: number[], colour: string, width: number): string =>
    `<polyline fill="none" stroke="${colour}" stroke-width="${width}" points="${values
      .map((v, i) => `${sx(xs[i]!).toFixed(1)},${sy(v).toFixed(1)}`)
      .join(' ')}"/>`;
  svgParts.push(
    `<rect x="${ox + M.left}" y="${oy + M.top}" width="${W - M.left - M.right}" height="${H - M.top - M.bottom}" fill="#fafafa" stroke="#ccc"/>`,
    `<text x="${ox + M.left}" y="${oy + 17}" font-size="13" font-family="sans-serif">${panel.title}</text>`,
    `<text x="${ox + 4}" y="${oy + M.top + 10}" font-size="10" font-family="sans-serif">${yMax.toPrecision(3)}</text>`,
    `<text x="${ox + 4}" y="${oy + H - M.bottom}" font-size="10" font-family="sans-serif">${yMin.toPrecision(3)}</text>`,
    `<text x="${ox + W - M.right - 60}" y="${oy + H - 6}" font-size="10" font-family="sans-serif">step ${xMax}</text>`,
    line(ys, '#9ecae1', 1),
    line(movingAverage(ys, 25), '#08519c', 2),
  );
});

const width = cols * W;
const height = Math.ceil(panels.length / cols) * H;
const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}"><rect width="100%" height="100%" fill="white"/>${svgParts.join('')}</svg>`;
await sharp(Buffer.from(svg)).png().toFile(outPath);
console.log(`${outPath}: ${panels.length} panels, ${rows.length} steps`);
