// The folders of src/ form a one-way stack: a module imports only from its own folder or from folders below it.
// And the web page (web/src/) reaches no Node-only module, so it needs no shims. Both read every import of every
// file (static, `export … from` and dynamic import()) with TypeScript's own parser.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(import.meta.dirname, '../..');

/**
 * The stack, lowest first. A folder may import the folders of earlier rows; folders in the same row (train and
 * eval) are independent of each other. src/index.ts, the library's entry, sits on top and may import anything.
 */
export const LAYERS: readonly (readonly string[])[] = [
  ['util'], //      errors, atomic writes, the seeded PRNG
  ['engine'], //    TF.js backend choice, WASM kernels and gradients, data-parallel workers
  ['geometry'], //  points and affine maps
  ['image'], //     RgbImage, decoding/encoding (sharp), warps
  ['face'], //      iBUG-68 landmarks, detection, alignment, landmark interpolation
  ['data'], //      data set readers, split, cache
  ['model'], //     config, networks, the model folder, checkpoints, inference
  ['train', 'eval'],
  ['transfer'], //  targets, presets, edits, paste-back, the Mimic class
  ['animate'], //   GIF / MP4 / strip writers
  ['video'], //     ffmpeg: probing, decoding frames, streaming video writers
  ['drive'], //     driving a photo by a video: tracking, motion, smoothing, rendering
  ['web'], //       the local server of `mimic serve`
  ['cli'], //       one module per command
];

const rankOf = new Map(LAYERS.flatMap((row, rank) => row.map((folder) => [folder, rank] as const)));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return /\.c?ts$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

export interface Import {
  specifier: string;
  /** `import type …` or every name imported as a type: erased at compile time, no code of it is loaded. */
  typeOnly: boolean;
}

/** Every module a file imports: import and `export … from` declarations and dynamic import() calls. */
export function importsOf(file: string): Import[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, true);
  const found: Import[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const bindings = clause?.namedBindings;
      const typeOnly =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            bindings !== undefined &&
            ts.isNamedImports(bindings) &&
            bindings.elements.length > 0 &&
            bindings.elements.every((e) => e.isTypeOnly)));
      found.push({ specifier: node.moduleSpecifier.text, typeOnly });
    } else if (
      ts.isExportDeclaration(node) &&
      node.moduleSpecifier &&
      ts.isStringLiteral(node.moduleSpecifier)
    ) {
      found.push({ specifier: node.moduleSpecifier.text, typeOnly: node.isTypeOnly });
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteral(node.arguments[0])
    ) {
      found.push({ specifier: node.arguments[0].text, typeOnly: false });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** A relative specifier → the .ts file it names, or undefined when it names something else. */
function resolveRelative(from: string, specifier: string): string | undefined {
  const target = resolve(dirname(from), specifier);
  for (const candidate of [
    target.replace(/\.js$/, '.ts'),
    target.replace(/\.cjs$/, '.cts'),
    target,
    `${target}.ts`,
    join(target, 'index.ts'),
  ])
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  return undefined;
}

/** The src/ folder of a file ('index.ts' for the entry), or undefined outside src/. */
function srcFolder(file: string): string | undefined {
  const rel = relative(join(ROOT, 'src'), file);
  if (rel.startsWith('..')) return undefined;
  return rel.split(sep)[0];
}

/** Upward (or sideways) imports in src/, one line per offence: "file imports specifier (a → b)". */
export function upwardImports(files = sourceFiles(join(ROOT, 'src'))): string[] {
  const problems: string[] = [];
  for (const file of files) {
    const from = srcFolder(file)!;
    if (from === 'index.ts') continue;
    const fromRank = rankOf.get(from);
    const name = relative(ROOT, file);
    if (fromRank === undefined) {
      problems.push(`${name}: folder src/${from}/ is not in the stack (test/architecture/imports.test.ts)`);
      continue;
    }
    for (const { specifier } of importsOf(file)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolveRelative(file, specifier);
      const to = target === undefined ? undefined : srcFolder(target);
      if (to === undefined) {
        problems.push(`${name} imports ${specifier}, which is not a module of src/`);
        continue;
      }
      if (to === from) continue;
      const toRank = to === 'index.ts' ? Infinity : rankOf.get(to);
      if (toRank === undefined || toRank >= fromRank)
        problems.push(`${name} imports ${specifier} (${from} → ${to}: not below ${from} in the stack)`);
    }
  }
  return problems;
}

/** Modules the page's bundle takes in place of others (web/vite.config.ts's aliases). */
const PAGE_ALIASES = new Map([[join(ROOT, 'src/engine/tfjs.cts'), join(ROOT, 'src/engine/tfjsPage.ts')]]);

/** Modules that exist only in Node: the page must not reach them (it would need shims). */
const NODE_ONLY = /^(node:|sharp$|h264-mp4-encoder$|fs$|path$|url$|module$|child_process$|worker_threads$)/;

/** Node-only imports reachable from the page's entry, each with the chain of files that leads to it. */
export function nodeImportsOfPage(entry = join(ROOT, 'web/src/main.ts')): string[] {
  const problems: string[] = [];
  const parent = new Map<string, string | undefined>([[entry, undefined]]);
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.shift()!;
    for (const { specifier, typeOnly } of importsOf(file)) {
      if (typeOnly) continue; // erased: nothing of it reaches the bundle
      if (specifier.startsWith('.')) {
        const resolved = resolveRelative(file, specifier);
        const target = resolved === undefined ? undefined : (PAGE_ALIASES.get(resolved) ?? resolved);
        if (target !== undefined && !parent.has(target)) {
          parent.set(target, file);
          queue.push(target);
        }
      } else if (NODE_ONLY.test(specifier)) {
        const chain: string[] = [];
        for (let f: string | undefined = file; f !== undefined; f = parent.get(f))
          chain.push(relative(ROOT, f));
        problems.push(`${specifier} ← ${chain.join(' ← ')}`);
      }
    }
  }
  return problems;
}

test('src/ folders import only downwards: util → engine → geometry → image → face → data → model → train | eval → transfer → animate → video → drive → web → cli', () => {
  const problems = upwardImports();
  assert.deepEqual(problems, [], `upward imports:\n${problems.join('\n')}`);
});

test('the web page reaches no Node-only module (no shims needed)', () => {
  const problems = nodeImportsOfPage();
  assert.deepEqual(problems, [], `Node-only imports in the page:\n${problems.join('\n')}`);
});
