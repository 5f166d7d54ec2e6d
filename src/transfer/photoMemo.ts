/**
 * Results worked out from a photo file (its face's landmarks), kept per path and face so that a batch of transfers
 * `--like` one photo, or an animation with that photo as several keys, detects and aligns it once. The file's size
 * and modification time are part of the key: a photo replaced on disk is read again.
 */
import { stat } from 'node:fs/promises';

export class PhotoMemo<T> {
  private readonly entries = new Map<string, Promise<T>>();

  async get(path: string, face: number, compute: () => Promise<T>): Promise<T> {
    let version = 'missing';
    try {
      const info = await stat(path);
      version = `${info.size}:${info.mtimeMs}`;
    } catch {
      return compute(); // let the computation report the unreadable file
    }
    const key = `${path}\u0000${face}\u0000${version}`;
    let entry = this.entries.get(key);
    if (entry === undefined) {
      entry = compute();
      this.entries.set(key, entry);
      // A failure is not remembered: the next call tries again (and reports it again).
      entry.catch(() => this.entries.delete(key));
    }
    return entry;
  }
}
