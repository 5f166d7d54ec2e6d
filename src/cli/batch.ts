/**
 * Several photos in one run (`mimic transfer|landmarks|align A B C … --out-dir DIR`, or a folder of photos): the
 * model and face-api load once for the whole batch, each photo gets a progress line, a photo that fails is reported
 * by name and the others still run, and the exit code is non-zero when any photo failed.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, extname, join, resolve } from 'node:path';
import { isMimicError, MimicError } from '../util/errors.js';

/** Extensions taken from a folder (the formats decodeImage reads). */
export const PHOTO_EXTENSIONS = ['.jpg', '.jpeg', '.png', '.webp', '.gif', '.tif', '.tiff', '.avif'];

export interface BatchJob {
  photo: string;
  /** Output path (files of the same name with other suffixes go beside it: see `outputPath`). */
  out: string;
}

/**
 * The photos named on the command line, each folder replaced by the photos in it (sorted by name, not recursive,
 * hidden files skipped), each file once. A path that does not exist stays in the list: it fails in its own turn, by
 * name.
 */
export async function expandPhotos(paths: string[]): Promise<string[]> {
  const photos: string[] = [];
  for (const path of paths) {
    let isFolder = false;
    try {
      isFolder = (await stat(path)).isDirectory();
    } catch {
      isFolder = false;
    }
    if (!isFolder) {
      photos.push(path);
      continue;
    }
    const names = (await readdir(path))
      .filter((name) => !name.startsWith('.') && PHOTO_EXTENSIONS.includes(extname(name).toLowerCase()))
      .sort();
    if (names.length === 0)
      throw new MimicError(`${path}: no photos in this folder (${PHOTO_EXTENSIONS.join(' ')})`);
    photos.push(...names.map((name) => join(path, name)));
  }
  // The same file named twice (a folder and a file in it, or one path written two ways) is one photo, done once.
  const seen = new Set<string>();
  return photos.filter((photo) => {
    const key = resolve(photo);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** --out names one file: a batch needs --out-dir instead. */
export function checkBatchFlags(out: string | undefined, outDir: string | undefined): void {
  if (out !== undefined)
    throw new MimicError(
      `--out names one file; for several photos or a folder use --out-dir DIR (see --help)`,
    );
  if (outDir === undefined) throw new MimicError(`several photos need --out-dir DIR (see --help)`);
}

/** The photo's own extension when Mimic writes that format (.png .jpg .jpeg .webp), else .png. */
export function sameImageExtension(photo: string): string {
  const ext = extname(photo).toLowerCase();
  return ['.png', '.jpg', '.jpeg', '.webp'].includes(ext) ? ext : '.png';
}

/** A progress line's text: what was written, and the several-faces notice without the photo's name. */
export function withNotice(written: string, photo: string, notice: string | undefined): string {
  if (notice === undefined) return written;
  return `${written}; ${notice.startsWith(photo) ? notice.slice(photo.length).replace(/^:\s*/, '') : notice}`;
}

/** Whether the command line asks for a batch: several photos, a folder, or --out-dir. */
export async function isBatch(positionals: string[], outDir: string | undefined): Promise<boolean> {
  if (outDir !== undefined || positionals.length > 1) return true;
  if (positionals.length === 1) {
    try {
      return (await stat(positionals[0]!)).isDirectory();
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * One output per photo in `outDir`: `<name><suffix>` where name is the photo's file name without its extension.
 * Refuses (before any work) a batch where two photos would write the same file or an output would replace a photo.
 */
export function planBatch(photos: string[], outDir: string, suffix: (photo: string) => string): BatchJob[] {
  const jobs = photos.map((photo) => ({
    photo,
    out: join(outDir, basename(photo, extname(photo)) + suffix(photo)),
  }));
  const seen = new Map<string, string>();
  const inputs = new Set(photos.map((p) => resolve(p)));
  for (const job of jobs) {
    const key = resolve(job.out);
    if (inputs.has(key))
      throw new MimicError(`${job.out} would replace the photo ${job.photo}; choose another --out-dir`);
    const other = seen.get(key);
    if (other !== undefined)
      throw new MimicError(
        `${other} and ${job.photo} would both write ${job.out}; rename one or run them apart`,
      );
    seen.set(key, job.photo);
  }
  return jobs;
}

export interface BatchReport {
  done: number;
  failed: number;
}

/**
 * Runs `work` on every job in turn. Progress goes to stderr, one line per photo (`[k/n] photo: what was written` or
 * `[k/n] photo: failed: reason`), then a summary; what `work` returns is the line's text.
 */
export async function runBatch(
  jobs: BatchJob[],
  work: (job: BatchJob) => Promise<string>,
  log: (line: string) => void = (line) => console.error(line),
): Promise<BatchReport> {
  const report: BatchReport = { done: 0, failed: 0 };
  const started = Date.now();
  const width = String(jobs.length).length;
  for (const [k, job] of jobs.entries()) {
    const counter = `[${String(k + 1).padStart(width)}/${jobs.length}]`;
    const t0 = Date.now();
    try {
      const what = await work(job);
      report.done++;
      log(`${counter} ${job.photo}: ${what} (${((Date.now() - t0) / 1000).toFixed(2)} s)`);
    } catch (error) {
      report.failed++;
      // A MimicError's message already names the photo (decode, detection and write errors do); say it anyway.
      const message = (error as Error).message ?? String(error);
      const reason = message.startsWith(job.photo)
        ? message.slice(job.photo.length).replace(/^:\s*/, '')
        : message;
      log(`${counter} ${job.photo}: failed: ${isMimicError(error) ? reason : `internal error: ${reason}`}`);
    }
  }
  const seconds = (Date.now() - started) / 1000;
  log(
    `${report.done} of ${jobs.length} photos done in ${seconds.toFixed(1)} s` +
      (report.failed > 0 ? `; ${report.failed} failed` : ''),
  );
  return report;
}
