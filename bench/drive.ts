// `node --import tsx bench/drive.ts [--seconds 10,30,60] [--max-side 512] [--photo PATH]`: `mimic drive` end to end
// on 640×480, 25 fps drivers of the given lengths (made from the test clip, looped and padded), one fresh process
// per length. Prints output frames/s end to end (tracking + rendering + encoding, after the model has loaded), CPU
// seconds and the peak resident memory of the process tree's largest process (GNU time's %M), plus the load average,
// because this machine is shared.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ffmpegPath } from '../src/video/ffmpeg.js';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string', default: '10,30,60' },
    'max-side': { type: 'string', default: '512' },
    photo: { type: 'string', default: 'assets/samples/canada-019f.jpg' },
  },
});
const dir = mkdtempSync(join(tmpdir(), 'mimic-bench-drive-'));
const load = (): string =>
  loadavg()
    .map((v) => v.toFixed(1))
    .join(' ');
console.log(`mimic drive, 640×480 25 fps drivers, --max-side ${values['max-side']}, photo ${values.photo}`);
console.log(
  '| driver | frames | output frames/s end to end | tracking / rendering frames/s | CPU s (user+sys) | peak RSS MiB | load avg before → after |',
);
console.log('|---|---:|---:|---:|---:|---:|---|');
try {
  for (const seconds of values.seconds.split(',').map(Number)) {
    const driver = join(dir, `driver-${seconds}s.mp4`);
    const made = spawnSync(ffmpegPath(), [
      '-v',
      'error',
      '-y',
      '-stream_loop',
      '-1',
      '-i',
      'test/fixtures/drive/driver.mp4',
      '-t',
      String(seconds),
      '-vf',
      'scale=-2:480,pad=640:480:(ow-iw)/2:0:color=gray,fps=25',
      '-c:v',
      'libx264',
      '-preset',
      'veryfast',
      '-pix_fmt',
      'yuv420p',
      '-c:a',
      'aac',
      driver,
    ]);
    if (made.status !== 0) throw new Error(made.stderr.toString());
    const before = load();
    const run = spawnSync(
      '/usr/bin/time',
      [
        '-f',
        'TIME %M %U %S',
        process.execPath,
        '--import',
        'tsx',
        'src/cli/run-dev.ts',
        'drive',
        values.photo,
        '--video',
        driver,
        '--out',
        join(dir, `out-${seconds}s.mp4`),
        '--max-side',
        values['max-side'],
      ],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const stats = /TIME (\d+) ([\d.]+) ([\d.]+)/.exec(run.stderr);
    const result = /(\d+) frames of .* \(([\d.]+) frames\/s end to end\)/.exec(run.stdout);
    if (run.status !== 0 || !stats || !result)
      throw new Error(`mimic drive failed:\n${run.stdout}\n${run.stderr.slice(-2000)}`);
    const cpu = Number(stats[2]) + Number(stats[3]);
    const phase = (name: string): string =>
      [...run.stderr.matchAll(new RegExp(`${name} .* ([\\d.]+) frames/s`, 'g'))].at(-1)?.[1] ?? '?';
    const rss = Number(stats[1]) / 1024;
    console.log(
      `| ${seconds} s | ${result[1]} | ${result[2]} | ${phase('tracking')} / ${phase('rendering')} | ${cpu.toFixed(0)} | ${rss.toFixed(0)} | ${before} → ${load()} |`,
    );
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
