import { readFileSync } from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** Self time of one function or one area, as a share of the profile's samples. */
export interface ProfileEntry {
  name: string;
  percent: number;
}

export interface ProfileSummary {
  /** Functions by self time. */
  functions: ProfileEntry[];
  /** Self time by where the code lives: a package, Node's internals, oidc-tap, the engine (GC, program). */
  areas: ProfileEntry[];
}

function area(url: string, fn: string): string {
  if (!url) return fn.startsWith('(') ? fn : '(native)';
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url)?.[1];
  if (pkg) return pkg;
  if (url.startsWith('node:')) return 'node: internals';
  if (url.includes('/dist/')) return 'oidc-tap (dist/)';
  return url;
}

/** Summarise a V8 .cpuprofile (node --cpu-prof): top functions and areas by self time, as shares of the busy time. */
export function summariseProfile(file: string, top = 15): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const fnTime = new Map<string, number>();
  const areaTime = new Map<string, number>();
  let total = 0;
  p.samples.forEach((id, i) => {
    const node = byId.get(id);
    const dt = p.timeDeltas[i] ?? 0;
    if (!node || node.callFrame.functionName === '(idle)') return;
    const { functionName, url, lineNumber } = node.callFrame;
    const short = url.replace(/^.*node_modules\//, '').replace(/^file:\/\/.*\/dist\//, 'dist/');
    const name = `${functionName || '(anonymous)'} ${short ? `${short}:${lineNumber + 1}` : ''}`.trim();
    fnTime.set(name, (fnTime.get(name) ?? 0) + dt);
    const a = area(url, functionName);
    areaTime.set(a, (areaTime.get(a) ?? 0) + dt);
    total += dt;
  });
  const rank = (m: Map<string, number>, n: number) =>
    [...m]
      .sort((x, y) => y[1] - x[1])
      .slice(0, n)
      .map(([name, t]) => ({ name, percent: Math.round((1000 * t) / total) / 10 }));
  return { functions: rank(fnTime, top), areas: rank(areaTime, top) };
}
