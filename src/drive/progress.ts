/** A one-line progress bar on stderr: phase, frames done, frames/s and ETA. Redrawn in place on a terminal. */
import type { DriveProgress } from './drive.js';

function clock(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

export class ProgressBar {
  private phase = '';
  private started = 0;
  private lastDrawn = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  update(p: DriveProgress): void {
    const now = performance.now();
    if (p.phase !== this.phase) {
      if (this.phase) this.end();
      this.phase = p.phase;
      this.started = now;
      this.lastDrawn = 0;
    }
    const tty = this.stream.isTTY === true;
    // A terminal gets a redraw every 100 ms; a log file a line every 5 s (and the last one).
    if (now - this.lastDrawn < (tty ? 100 : 5000) && p.done !== p.total) return;
    this.lastDrawn = now;
    const rate = p.done / Math.max(1e-3, (now - this.started) / 1000);
    const total = p.total !== undefined ? Math.max(p.total, p.done) : undefined;
    const width = 24;
    const filled = total ? Math.round((width * p.done) / total) : 0;
    const bar = total ? `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ` : '';
    const count = total ? `${p.done}/${total}` : `${p.done}`;
    const eta = total ? `  ETA ${clock((total - p.done) / rate)}` : '';
    const line = `${p.phase.padEnd(9)} ${bar}${count} frames  ${rate.toFixed(1)} frames/s${eta}`;
    this.stream.write(tty ? `\r${line}\x1b[K` : `${line}\n`);
  }

  /** Ends the current line (call before printing anything else). */
  end(): void {
    if (this.phase && this.stream.isTTY) this.stream.write('\n');
    this.phase = '';
  }
}
