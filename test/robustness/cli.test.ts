// The CLI against the robustness corpus (corpus.ts): every case runs through `main(argv)` in this process (the
// code path of the `mimic` command), and must exit with the given code, print one line with the expected message
// (no stack, no code dump), write nothing and leave every input as it was. A representative set also runs as a
// real child process (cliProcess.test.ts), where process-level behaviour (exit code, stderr bytes) is visible.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import sharp from 'sharp';
import { join } from 'node:path';
import { initBackend } from '../../src/engine/backend.js';
import { tempDir } from '../helpers/paths.js';
import { buildCorpus, type Corpus } from './corpus.js';
import { assertCleanFailure, assertSameState, folderState, runMain } from './harness.js';

export interface CliCase {
  name: string;
  argv: (c: Corpus, out: (name: string) => string) => string[];
  code: number;
  message: RegExp;
}

const transfer = (c: Corpus, out: string, ...rest: string[]): string[] => [
  'transfer',
  c.photo,
  '--out',
  out,
  ...rest,
];
const animate = (c: Corpus, keys: string, ...rest: string[]): string[] => [
  'animate',
  c.photo,
  '--keys',
  keys,
  '--out',
  join(c.dir, 'anim.gif'),
  ...rest,
];

export const CLI_CASES: CliCase[] = [
  // Names inherited from Object.prototype, in every name lookup.
  ...['constructor', '__proto__', 'toString', 'hasOwnProperty', 'valueOf'].map((name): CliCase => ({
    name: `--expression ${name}`,
    argv: (c, out) => transfer(c, out('x.jpg'), '--expression', name),
    code: 2,
    // (__proto__ does not even look like a name: refused by the --expression parser.)
    message: new RegExp(
      `unknown expression "${name}" \\(known: neutral, smile, surprise|--expression "${name}" is not a preset name`,
    ),
  })),
  ...['toString', 'constructor', 'isPrototypeOf'].map((name): CliCase => ({
    name: `--edit ${name}=2`,
    argv: (c, out) => transfer(c, out('x.jpg'), '--edit', `${name}=2`),
    code: 2,
    message: new RegExp(`unknown landmark edit "${name}"`),
  })),
  {
    name: '--edit __proto__=1',
    argv: (c, out) => transfer(c, out('x.jpg'), '--edit', '__proto__=1'),
    code: 2,
    message: /landmark edit "__proto__=1" must look like name=\+2/,
  },
  {
    name: 'animate --keys input,constructor',
    argv: (c) => animate(c, 'input,constructor'),
    code: 2,
    message: /unknown expression "constructor"/,
  },
  {
    name: 'animate --keys input,hasOwnProperty@0.5',
    argv: (c) => animate(c, 'input,hasOwnProperty@0.5'),
    code: 2,
    message: /unknown expression "hasOwnProperty"/,
  },
  {
    name: 'animate --edit 1:constructor=1',
    argv: (c) => animate(c, 'input,smile', '--edit', '1:constructor=1'),
    code: 2,
    message: /unknown landmark edit "constructor"/,
  },
  {
    name: 'prepare --layout constructor',
    argv: (c, out) => ['prepare', c.bad.folder, '--layout', 'constructor', '--out', out('cache')],
    code: 2,
    message: /--layout must be one of .* \(got "constructor"\)/,
  },
  // Blank and out-of-range numbers, edit limits on totals.
  {
    name: "--intensity ''",
    argv: (c, out) => transfer(c, out('x.jpg'), '--expression', 'smile', '--intensity', ''),
    code: 2,
    message: /--intensity must be a number from 0 to 1\.5 \(got ""\)/,
  },
  {
    name: "--intensity ' '",
    argv: (c, out) => transfer(c, out('x.jpg'), '--expression', 'smile', '--intensity', ' '),
    code: 2,
    message: /--intensity must be a number from 0 to 1/,
  },
  {
    name: '--intensity NaN',
    argv: (c, out) => transfer(c, out('x.jpg'), '--expression', 'smile', '--intensity', 'NaN'),
    code: 2,
    message: /--intensity must be a number from 0 to 1/,
  },
  {
    name: "--face ''",
    argv: (c, out) => transfer(c, out('x.jpg'), '--expression', 'smile', '--face', ''),
    code: 2,
    message: /--face must be a whole number/,
  },
  {
    name: 'animate key smile@ (blank intensity)',
    argv: (c) => animate(c, 'input,smile@ '),
    code: 2,
    message: /key "smile@ ": intensity must be a number from 0 to 1\.5/,
  },
  {
    name: 'animate key smile@1e (not a number)',
    argv: (c) => animate(c, 'input,smile@1e'),
    code: 2,
    message: /key "smile@1e": intensity must be a number from 0 to 1/,
  },
  {
    name: 'repeated edits over the limit in total',
    argv: (c, out) => transfer(c, out('x.jpg'), '--edit', 'mouthCorners=10,mouthCorners=10'),
    code: 2,
    message: /landmark edit mouthCorners=20 \(the total of its repeats\) is over 16 crop pixels/,
  },
  {
    name: 'repeated animate --edit over the limit in total',
    argv: (c) => animate(c, 'input,smile', '--edit', '1:eyelids=-9', '--edit', '1:eyelids=-9'),
    code: 2,
    message: /landmark edit eyelids=-18 .* is over 16 crop pixels/,
  },
  {
    name: "serve --port ''",
    argv: () => ['serve', '--port', ''],
    code: 2,
    message: /--port must be an integer/,
  },
  // Degenerate and broken landmark files, as a target and as an animation key.
  ...(
    [
      ['allEqual', /points 39 and 42\) are 0 apart/],
      ['eyesEqual', /points 39 and 42\) are 0 apart/],
      ['hugeScale', /"imageSize" 1e\+300×1e\+300 is over the limit/],
      ['lipOnEyeLine', /the lower lip \(point 57\) lies on the line through the inner eye corners/],
      ['truncatedJson', /not valid JSON/],
      ['randomBytes', /not valid JSON/],
      ['nullPoint', /point 0 must hold two numbers/],
      ['protoKeys', /"scheme" must be "ibug68"/],
    ] as const
  ).flatMap(([kind, message]): CliCase[] => [
    {
      name: `--landmarks ${kind}`,
      argv: (c, out) => transfer(c, out('x.png'), '--landmarks', c.landmarks[kind]),
      code: 2,
      message,
    },
    {
      name: `animate key ${kind}`,
      argv: (c) => animate(c, `input,${c.landmarks[kind]}`),
      code: 2,
      message,
    },
  ]),
  // No command writes over one of its inputs.
  {
    name: 'transfer --out = the photo',
    argv: (c) => transfer(c, c.photo, '--expression', 'smile'),
    code: 2,
    message: /refusing to write .*photo\.jpg: it is the input/,
  },
  {
    name: 'transfer --out = a symbolic link to the photo',
    argv: (c) => transfer(c, c.symlinkToPhoto, '--expression', 'smile'),
    code: 2,
    message: /refusing to write .*photo-symlink\.jpg: it is the input/,
  },
  {
    name: 'transfer --out = a hard link to the photo',
    argv: (c) => transfer(c, c.hardlinkToPhoto, '--expression', 'smile'),
    code: 2,
    message: /refusing to write .*photo-hardlink\.jpg: it is the input/,
  },
  {
    name: 'transfer --out = the photo through ../',
    argv: (c) => transfer(c, join(c.dir, 'models', '..', 'photo.jpg'), '--expression', 'smile'),
    code: 2,
    message: /refusing to write .*photo\.jpg: it is the input/,
  },
  {
    name: 'transfer --out = the --like photo',
    argv: (c) => transfer(c, c.other, '--like', c.other),
    code: 2,
    message: /refusing to write .*other\.jpg: it is the input/,
  },
  {
    name: 'landmarks --out = the photo',
    argv: (c) => ['landmarks', c.photo, '--out', c.photo],
    code: 2,
    message: /refusing to write .*photo\.jpg: it is the input/,
  },
  {
    name: 'landmarks --json = the photo',
    argv: (c) => ['landmarks', c.photo, '--json', c.photo],
    code: 2,
    message: /refusing to write .*photo\.jpg: it is the input/,
  },
  {
    name: 'align --out = the photo',
    argv: (c) => ['align', c.photoPng, '--out', c.photoPng],
    code: 2,
    message: /refusing to write .*photo\.png: it is the input/,
  },
  {
    name: 'animate --out = the photo',
    argv: (c) => ['animate', c.photoPng, '--keys', 'input,smile', '--out', c.photoPng],
    code: 2,
    message: /refusing to write .*photo\.png: it is the input/,
  },
  {
    name: 'animate --out = a key photo',
    argv: (c) => ['animate', c.photo, '--keys', `input,${c.photoPng}`, '--out', c.photoPng],
    code: 2,
    message: /refusing to write .*photo\.png: it is the input/,
  },
  {
    name: 'animate: the same --out twice',
    argv: (c, out) => [
      'animate',
      c.photo,
      '--keys',
      'input,smile',
      '--out',
      out('a.gif'),
      '--out',
      out('a.gif'),
    ],
    code: 2,
    message: /a\.gif is given as two outputs/,
  },
  {
    name: 'train --out = --data',
    argv: (c) => ['train', '--data', c.dir, '--out', c.dir],
    code: 2,
    message: /refusing to write .*: it is the input folder/,
  },
  {
    name: 'prepare --out = a folder around the data set (it would be replaced)',
    argv: (c) => ['prepare', c.bad.folder, '--layout', 'folders', '--out', c.dir],
    code: 2,
    message: /refusing to write .*: it contains the input folder .*folder\.jpg/,
  },
  // Damaged, empty, foreign and oversized photos.
  ...(
    [
      ['empty', 2, /the file is empty/],
      ['truncated', 2, /the image is damaged or truncated/],
      ['random', 2, /not an image Mimic can read/],
      ['text', 2, /not an image Mimic can read/],
      ['pngBomb', 2, /100000×100000 is 10000\.0 megapixels, over the limit of 40\.0/],
      ['jpegBomb', 2, /65000×65000 is 4225\.0 megapixels, over the limit of 40\.0/],
      // A folder is a batch of photos (mimic transfer DIR --out-dir OUT): with one --out it is refused.
      ['folder', 2, /--out-dir/],
    ] as const
  ).flatMap(([kind, code, message]): CliCase[] => [
    {
      name: `transfer on a ${kind} photo`,
      argv: (c, out) => ['transfer', c.bad[kind], '--expression', 'smile', '--out', out('x.jpg')],
      code,
      message,
    },
    {
      name: `landmarks on a ${kind} photo`,
      argv: (c, out) => ['landmarks', c.bad[kind], '--json', out('l.json')],
      code,
      message,
    },
  ]),
  {
    name: 'transfer --like a truncated photo',
    argv: (c, out) => transfer(c, out('x.jpg'), '--like', c.bad.truncated),
    code: 2,
    message: /truncated\.jpg: the image is damaged or truncated/,
  },
  {
    name: 'a photo that does not exist',
    argv: (c, out) => [
      'transfer',
      join(c.dir, 'missing.jpg'),
      '--expression',
      'smile',
      '--out',
      out('x.jpg'),
    ],
    code: 3,
    message: /missing\.jpg: cannot read: ENOENT \(no such file or folder\)/,
  },
  // Damaged model folders.
  ...(
    [
      ['randomWeights', /generator\/weights\.bin: the file is corrupt \(its checksum does not match/],
      ['nanWeights', /generator\/weights\.bin: the file is corrupt/],
      ['flippedByte', /generator\/weights\.bin: the file is corrupt/],
      ['truncatedWeights', /generator\/weights\.bin: the file is corrupt/],
      ['garbageJson', /generator\/model\.json: the file is corrupt/],
      ['nanWeightsNoChecksums', /generator\/weights\.bin: weight ".*" holds NaN \(corrupt weights\)/],
      [
        'truncatedNoChecksums',
        /generator\/weights\.bin: \d+ bytes of weights, expected \d+ \(truncated or corrupt\)/,
      ],
      ['missingGenerator', /generator\/weights\.bin: missing$/],
    ] as const
  ).map(([kind, message]): CliCase => ({
    name: `--model with ${kind}`,
    argv: (c, out) => transfer(c, out('x.jpg'), '--expression', 'smile', '--model', c.models[kind]),
    code: 3,
    message,
  })),
  // Outputs that cannot be written, in a format the extension does not name.
  {
    name: 'landmarks --out /proc/o.png',
    argv: (c) => ['landmarks', c.photo, '--out', '/proc/o.png'],
    code: 2,
    message: /cannot write \/proc\/o\.png: (ENOENT|EACCES)/,
  },
  {
    name: 'landmarks --out x.bmp',
    argv: (c, out) => ['landmarks', c.photo, '--out', out('x.bmp')],
    code: 2,
    message: /unsupported image extension "\.bmp"/,
  },
  {
    name: 'animate --out x.avi',
    argv: (c, out) => ['animate', c.photo, '--keys', 'input,smile', '--out', out('x.avi')],
    code: 2,
    message: /unsupported animation extension "\.avi"/,
  },
];

test(`the CLI's ${CLI_CASES.length} bad-input cases: one line, the exit code, nothing written, inputs untouched`, async (t) => {
  await initBackend();
  const { dir, cleanup } = await tempDir('mimic-robust-');
  try {
    const corpus = await buildCorpus(dir);
    const out = (name: string): string => join(dir, name);
    for (const c of CLI_CASES)
      await t.test(c.name, async () => {
        const before = await folderState(dir);
        const result = await runMain(c.argv(corpus, out));
        assertCleanFailure(result, c.code, c.message);
        assertSameState(before, await folderState(dir), 'nothing written, nothing changed');
      });
  } finally {
    await cleanup();
  }
});

test('mimic landmarks writes only what was asked, in the format its extension names', async () => {
  await initBackend();
  const { dir, cleanup } = await tempDir('mimic-robust-');
  try {
    const corpus = await buildCorpus(dir);
    const before = await folderState(dir);
    const json = join(dir, 'out', 'face.json');
    const onlyJson = await runMain(['landmarks', corpus.photo, '--json', json]);
    assert.equal(onlyJson.code, 0, onlyJson.stderr);
    const after = await folderState(dir);
    assert.deepEqual(
      [...after.keys()].filter((k) => !before.has(k)),
      [join(dir, 'out') + '/', json],
      '--json alone writes the landmark file and nothing else (no overlay beside the photo)',
    );
    const jpeg = join(dir, 'out', 'overlay.jpg');
    const overlay = await runMain(['landmarks', corpus.photo, '--out', jpeg]);
    assert.equal(overlay.code, 0, overlay.stderr);
    const bytes = await readFile(jpeg);
    assert.deepEqual([...bytes.subarray(0, 3)], [0xff, 0xd8, 0xff], 'JPEG bytes under .jpg');
    assert.equal((await sharp(bytes).metadata()).format, 'jpeg');
  } finally {
    await cleanup();
  }
});
