/**
 * The mouth bank's and the ratio images' file formats without file access (mouthBankFormat.ts,
 * ratioImageFormat.ts), which the web page parses with: the shipped files give exactly what the CLI's readers give,
 * and a bad file gives the page the same clear message the CLI's reader gives (the file named, what is wrong).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { copyFile, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  MOUTH_BANK_FILE,
  MOUTH_SPRITE_FILE,
  parseMouthBank,
  parseMouthBankJson,
} from '../../src/face/mouthBankFormat.js';
import { readMouthBank } from '../../src/face/mouthBankFile.js';
import { parseRatioImage, ratioFileName } from '../../src/face/ratioImageFormat.js';
import { readRatioImages } from '../../src/face/ratioImageFile.js';
import { decodeImage } from '../../src/image/io.js';
import { DEFAULT_MODEL_DIR } from '../../src/index.js';
import { tempDir } from '../helpers/paths.js';

const SHIPPED_BANK = join(DEFAULT_MODEL_DIR, MOUTH_BANK_FILE);
const SHIPPED_RATIO = join(DEFAULT_MODEL_DIR, ratioFileName('smile'));

/** The message of what `act` throws (it must throw). */
async function messageOf(act: () => unknown): Promise<string> {
  try {
    await act();
  } catch (error) {
    return (error as Error).message;
  }
  assert.fail('it did not throw');
}

test('the shipped mouth bank and smile ratio image parse to exactly what the CLI reads', async () => {
  const text = await readFile(SHIPPED_BANK, 'utf8');
  const sprite = await decodeImage(join(DEFAULT_MODEL_DIR, MOUTH_SPRITE_FILE));
  const parsed = parseMouthBank(parseMouthBankJson(text, SHIPPED_BANK), sprite, SHIPPED_BANK);
  const read = await readMouthBank(DEFAULT_MODEL_DIR);
  assert.ok(read !== undefined && parsed.exemplars.length > 10);
  assert.deepEqual(parsed, read);

  const ratio = parseRatioImage(await readFile(SHIPPED_RATIO, 'utf8'), SHIPPED_RATIO);
  assert.deepEqual(ratio, (await readRatioImages(DEFAULT_MODEL_DIR)).get('smile'));
  assert.equal(ratio.log.length, ratio.size * ratio.size);
});

test('a bad mouth bank gives the same message from the parser as from the CLI reader', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, MOUTH_BANK_FILE);
    await copyFile(join(DEFAULT_MODEL_DIR, MOUTH_SPRITE_FILE), join(dir, MOUTH_SPRITE_FILE));
    const sprite = await decodeImage(join(dir, MOUTH_SPRITE_FILE));
    const shipped = JSON.parse(await readFile(SHIPPED_BANK, 'utf8')) as {
      exemplars: { x: number; id: string }[];
    };
    const tooFar = structuredClone(shipped);
    tooFar.exemplars[3]!.x = sprite.width;
    const cases: [string, RegExp][] = [
      ['{"format": "mimic-mouth-bank", ', /mouth-bank\.json: unreadable \(.*JSON/],
      [
        '{"format": "mimic-presets", "zoom": 5, "exemplars": []}',
        /mouth-bank\.json: not a Mimic mouth bank$/,
      ],
      ['null', /mouth-bank\.json: not a Mimic mouth bank$/],
      [JSON.stringify(tooFar), new RegExp(`exemplar ${tooFar.exemplars[3]!.id} does not fit its sprite`)],
    ];
    for (const [text, expected] of cases) {
      await writeFile(path, text);
      const fromReader = await messageOf(() => readMouthBank(dir));
      const fromParser = await messageOf(() => parseMouthBank(parseMouthBankJson(text, path), sprite, path));
      assert.match(fromReader, expected);
      assert.ok(fromReader.startsWith(path), `"${fromReader}" does not name the file`);
      assert.equal(fromParser, fromReader);
    }
  } finally {
    await cleanup();
  }
});

test('a bad ratio image gives the same message from the parser as from the CLI reader', async () => {
  const { dir, cleanup } = await tempDir();
  try {
    const path = join(dir, ratioFileName('smile'));
    const shipped = JSON.parse(await readFile(SHIPPED_RATIO, 'utf8')) as Record<string, unknown>;
    const short = { ...shipped, log: (shipped.log as number[]).slice(1) };
    const old = { ...shipped, motion: undefined };
    const cases: [string, RegExp][] = [
      ['{"format": ', /ratio-smile\.json: unreadable \(.*JSON/],
      [JSON.stringify(short), /ratio-smile\.json: not a Mimic ratio image$/],
      [JSON.stringify({ format: 'mimic-ratio-image' }), /ratio-smile\.json: not a Mimic ratio image$/],
      [JSON.stringify(old), /without its landmark motion.*build-ratio-image/],
    ];
    for (const [text, expected] of cases) {
      await writeFile(path, text);
      const fromReader = await messageOf(() => readRatioImages(dir));
      const fromParser = await messageOf(() => parseRatioImage(text, path));
      assert.match(fromReader, expected);
      assert.ok(fromReader.startsWith(path), `"${fromReader}" does not name the file`);
      assert.equal(fromParser, fromReader);
    }
  } finally {
    await cleanup();
  }
});
