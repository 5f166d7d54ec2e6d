// Where the time of a `node --cpu-prof` run goes: self time summed by origin (a package under node_modules, a
// folder of src/, node's own internals, garbage collection, idle) and the functions with the most self time.
// Proportions stay meaningful on a loaded machine even when the absolute figures do not.
//   node --cpu-prof --cpu-prof-name=run.cpuprofile bin/mimic.js transfer … ; node --import tsx bench/profileSummary.ts run.cpuprofile
// Options: --top N (functions listed, default 15); --phases A,B,… (functions by name, e.g.
// generate,pasteInMode,encodeGif: the CPU time spent inside each, callees included, and the span from its first to
// its last sample, in ms since the profile started: where a run's phases begin and end).
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
  startTime: number;
  endTime: number;
}

/** A readable origin for a script URL: "tfjs-backend-wasm", "src/transfer", "node internals", "(gc)". */
export function origin(url: string, functionName: string): string {
  if (url === '') return functionName.startsWith('(') ? functionName : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1]!;
  const own = /\/(src|dist|bench)\/([^/]+)\//.exec(url);
  if (own) return `${own[1] === 'dist' ? 'src' : own[1]}/${own[2]}`;
  if (url.startsWith('node:')) return 'node internals';
  if (url.startsWith('wasm://')) return 'wasm';
  return url.replace(/^file:\/\//, '');
}

export function summarize(profile: CpuProfile, top = 15): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const selfUs = new Map<number, number>();
  profile.samples.forEach((id, k) => selfUs.set(id, (selfUs.get(id) ?? 0) + (profile.timeDeltas[k] ?? 0)));
  const total = profile.endTime - profile.startTime;
  const byOrigin = new Map<string, number>();
  const byFunction = new Map<string, number>();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id)!.callFrame;
    const o = origin(frame.url, frame.functionName);
    byOrigin.set(o, (byOrigin.get(o) ?? 0) + us);
    const f = `${frame.functionName || '(anonymous)'} ${o}:${frame.lineNumber + 1}`;
    byFunction.set(f, (byFunction.get(f) ?? 0) + us);
  }
  const rows = (m: Map<string, number>, n: number): string[] =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, n)
      .map(
        ([k, us]) =>
          `  ${(us / 1000).toFixed(0).padStart(7)} ms ${((100 * us) / total).toFixed(1).padStart(5)} %  ${k}`,
      );
  return [
    `profile: ${(total / 1000).toFixed(0)} ms`,
    'self time by origin:',
    ...rows(byOrigin, 20),
    `top ${top} functions by self time:`,
    ...rows(byFunction, top),
  ].join('\n');
}

/**
 * Per function name: the CPU time of the samples with it on the stack (once per sample, however deep it recurses),
 * and the times of its first and last such sample, in ms since the profile started.
 */
export function phases(profile: CpuProfile, names: string[]): string {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const found = new Map(names.map((n) => [n, { cpuUs: 0, first: -1, last: -1 }]));
  let at = 0; // µs since the profile started
  profile.samples.forEach((leaf, k) => {
    at += profile.timeDeltas[k] ?? 0;
    // A sample lasts until the next one.
    const lasts = profile.timeDeltas[k + 1] ?? 0;
    const onStack = new Set<string>();
    for (let id: number | undefined = leaf; id !== undefined; id = parent.get(id))
      onStack.add(byId.get(id)!.callFrame.functionName);
    for (const [name, phase] of found) {
      if (!onStack.has(name)) continue;
      phase.cpuUs += lasts;
      if (phase.first < 0) phase.first = at;
      phase.last = at;
    }
  });
  return [...found]
    .map(([name, p]) =>
      p.first < 0
        ? `  ${name}: not sampled`
        : `  ${name}: ${(p.cpuUs / 1000).toFixed(0)} ms of CPU, from ${(p.first / 1000).toFixed(0)} to ${(p.last / 1000).toFixed(0)} ms`,
    )
    .join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: { top: { type: 'string' }, phases: { type: 'string' } },
  });
  for (const path of positionals) {
    console.log(`== ${path}`);
    const profile = JSON.parse(readFileSync(path, 'utf8')) as CpuProfile;
    console.log(summarize(profile, Number(values.top ?? 15)));
    if (values.phases) console.log(`phases:\n${phases(profile, values.phases.split(','))}`);
  }
}
