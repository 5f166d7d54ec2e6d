/** The camera mode's own measurement (web/src/liveStats.ts): frames per second and the mean time per stage. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { LiveStats } from '../../web/src/liveStats.js';

const frame = (shown: number, trackMs = 20, generateMs = 10, pasteMs = 15) => ({
  grabbed: shown - trackMs - generateMs - pasteMs,
  shown,
  trackMs,
  generateMs,
  pasteMs,
});

test('frames/s counts shown frames over the last two seconds; a slow spell shows at once', () => {
  const stats = new LiveStats();
  for (let t = 0; t <= 1000; t += 50) stats.add(frame(t)); // 20 frames/s
  assert.ok(Math.abs(stats.summary().fps - 20) < 1e-9);
  for (let t = 1100; t <= 3000; t += 100) stats.add(frame(t)); // then 10 frames/s
  const s = stats.summary();
  assert.ok(Math.abs(s.fps - 10) < 0.5, `fps ${s.fps}`);
  assert.equal(s.shown, 21 + 20);
});

test('the stage times are means over recent frames; grab → shown is their sum here', () => {
  const stats = new LiveStats();
  stats.add(frame(100, 30, 10, 20));
  stats.add(frame(200, 10, 10, 0));
  const s = stats.summary();
  assert.equal(s.trackMs, 20);
  assert.equal(s.generateMs, 10);
  assert.equal(s.pasteMs, 10);
  assert.equal(s.latencyMs, 40);
  assert.equal(s.fps, 10);
  stats.reset();
  assert.deepEqual(stats.summary(), {
    shown: 0,
    fps: 0,
    latencyMs: 0,
    trackMs: 0,
    generateMs: 0,
    pasteMs: 0,
  });
});
