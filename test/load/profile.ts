/**
 * Summarise a V8 `.cpuprofile` (from `node --cpu-prof`) over a time window:
 * self time by function, inclusive time of our own functions, and self time
 * by package. Also a CLI:
 * `node --import tsx test/load/profile.ts FILE [fromUs toUs]`.
 */
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { ROOT } from './children.ts';

interface CallFrame {
  functionName: string;
  url: string;
  lineNumber: number;
}
interface ProfileNode {
  id: number;
  callFrame: CallFrame;
  children?: number[];
}
interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
  samples: number[];
  timeDeltas: number[];
}

export interface ProfileSummary {
  windowMs: number;
  samples: number;
  /** Share of the window's samples that were not idle. */
  busy: number;
  self: { fn: string; share: number }[];
  inclusive: { fn: string; share: number }[];
  packages: { pkg: string; share: number }[];
}

/** A file URL shortened to something readable: `socket.io/dist/socket.js`, `server/src/rooms/fanout.ts`. */
function shortUrl(url: string): string {
  if (url === '') return '';
  let path = url.replace(/^file:\/\//, '');
  const nm = path.lastIndexOf('/node_modules/');
  if (nm >= 0) return path.slice(nm + '/node_modules/'.length);
  if (path.startsWith(ROOT + '/')) path = path.slice(ROOT.length + 1);
  return path;
}

function packageOf(frame: CallFrame): string {
  const url = shortUrl(frame.url);
  if (url === '') return frame.functionName.startsWith('(') ? frame.functionName : '(native / V8 builtins)';
  if (url.startsWith('node:')) return 'node: internals';
  if (url.startsWith('server/src/')) return 'server/src/' + url.slice('server/src/'.length).split('/')[0];
  if (url.startsWith('shared/src/')) return 'shared/src/' + url.slice('shared/src/'.length).split('/')[0];
  const parts = url.split('/');
  return parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
}

const label = (f: CallFrame) => {
  const url = shortUrl(f.url);
  // tsx's output of our .ts files keeps no useful line numbers: name the file only.
  const where = url === '' ? '' : url.endsWith('.ts') ? ` ${url}` : ` ${url}:${f.lineNumber + 1}`;
  return `${f.functionName || '(anonymous)'}${where}`;
};

export function summarizeProfile(file: string, fromUs = -Infinity, toUs = Infinity, top = 25): ProfileSummary {
  const p = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  // The distinct functions on each node's stack, for inclusive time.
  const stacks = new Map<number, Set<string>>();
  const stackOf = (id: number): Set<string> => {
    let s = stacks.get(id);
    if (s === undefined) {
      const up = parent.get(id);
      s = new Set(up === undefined ? [] : stackOf(up));
      s.add(label(byId.get(id)!.callFrame));
      stacks.set(id, s);
    }
    return s;
  };
  const self = new Map<string, number>();
  const incl = new Map<string, number>();
  const pkgs = new Map<string, number>();
  let t = p.startTime;
  let n = 0;
  let idle = 0;
  let first = Infinity;
  let last = -Infinity;
  for (let i = 0; i < p.samples.length; i++) {
    t += p.timeDeltas[i];
    if (t < fromUs || t > toUs) continue;
    first = Math.min(first, t);
    last = Math.max(last, t);
    n++;
    const node = byId.get(p.samples[i])!;
    const fn = label(node.callFrame);
    if (node.callFrame.functionName === '(idle)') idle++;
    self.set(fn, (self.get(fn) ?? 0) + 1);
    const pkg = packageOf(node.callFrame);
    pkgs.set(pkg, (pkgs.get(pkg) ?? 0) + 1);
    for (const f of stackOf(node.id)) incl.set(f, (incl.get(f) ?? 0) + 1);
  }
  const ranked = (m: Map<string, number>, keep: (k: string) => boolean = () => true) =>
    [...m].filter(([k]) => keep(k)).sort((a, b) => b[1] - a[1]).slice(0, top).map(([k, c]) => [k, c / Math.max(1, n)] as const);
  const ours = (k: string) => / (server|shared|test)\/(src|load)\//.test(k) || / (socket\.io|engine\.io|ws|socket\.io-parser|socket\.io-adapter|socket\.io-client|engine\.io-client|@socket\.io\/component-emitter)[@/]/.test(k);
  return {
    windowMs: (last - first) / 1000,
    samples: n,
    busy: n === 0 ? 0 : 1 - idle / n,
    self: ranked(self).map(([fn, share]) => ({ fn, share })),
    inclusive: ranked(incl, ours).map(([fn, share]) => ({ fn, share })),
    packages: ranked(pkgs).map(([pkg, share]) => ({ pkg, share })),
  };
}

const pct = (x: number) => `${(x * 100).toFixed(1).padStart(5)}%`;

export function formatProfile(s: ProfileSummary): string {
  const lines = [
    `profile window ${(s.windowMs / 1000).toFixed(1)} s, ${s.samples} samples, busy ${pct(s.busy)} of the window (shares below are of all samples)`,
    'self time by package:',
    ...s.packages.map((x) => `  ${pct(x.share)}  ${x.pkg}`),
    'self time by function:',
    ...s.self.map((x) => `  ${pct(x.share)}  ${x.fn}`),
    'inclusive time (our code and the socket.io stack):',
    ...s.inclusive.map((x) => `  ${pct(x.share)}  ${x.fn}`),
  ];
  return lines.join('\n');
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, from, to] = process.argv.slice(2);
  if (file === undefined) throw new Error('usage: profile.ts FILE.cpuprofile [fromUs toUs]');
  process.stdout.write(formatProfile(summarizeProfile(file, from ? Number(from) : -Infinity, to ? Number(to) : Infinity)) + '\n');
}
