// Where the time of a `node --cpu-prof` run goes: self time summed by origin (a package under node_modules, a
// folder of src/, node's own internals, garbage collection, idle) and the functions with the most self time.
// Proportions stay meaningful on a loaded machine even when the absolute figures do not.
//   node --cpu-prof --cpu-prof-name=run.cpuprofile bin/mimic.js transfer … ; node --import tsx bench/profileSummary.ts run.cpuprofile
// Options: --top N (functions listed, default 15)
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

if (import.meta.url === `file://${process.argv[1]}`) {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { top: { type: 'string' } } });
  for (const path of positionals) {
    console.log(`== ${path}`);
    console.log(summarize(JSON.parse(readFileSync(path, 'utf8')) as CpuProfile, Number(values.top ?? 15)));
  }
}
