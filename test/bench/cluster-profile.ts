/**
 * Optional CPU profiles of the cluster benchmark's phases, through the V8 profiler of this very process
 * (node:inspector), so one run gives one profile per phase (start, deployment, idle) instead of one for the whole
 * process. `PhaseProfiler.start(phase)` / `stop()`; when off (no directory given) both do nothing. Each stopped
 * profile is written as `<dir>/cluster-<phase>.cpuprofile` (Chrome DevTools, speedscope) and summarized on stderr:
 * top functions by self time, self time by source area, inclusive time by src/ file (synchronous stacks only).
 * summarizeProfile is shared with the pipeline benchmark.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import * as path from 'node:path';
import { progress } from './util';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

/** The src/ file a frame's code is in ('' for anything else). */
function srcFile(url: string): string {
  const i = url.indexOf('/src/');
  return i >= 0 && !url.includes('/node_modules/') ? `src/${url.slice(i + 5)}` : '';
}

/** A frame's function with its file, and the area it belongs to (src/<dir>, a package, Node internals, V8). */
function frameKey(url: string, fn: string): { fn: string; area: string } {
  const name = fn || '(anonymous)';
  if (!url) return { fn: name, area: name.startsWith('(') ? name : 'native/V8' };
  const src = srcFile(url);
  if (src) {
    const rel = src.slice(4);
    const depth = rel.startsWith('apiserver/') || rel.startsWith('kubelet/') ? 2 : 1;
    return { fn: `${name} ${src}`, area: `src/${rel.split('/').slice(0, depth).join('/').replace(/\.ts$/, '')}` };
  }
  const nm = url.lastIndexOf('/node_modules/');
  if (nm >= 0) {
    const parts = url.slice(nm + 14).split('/');
    const pkg = parts[0].startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0];
    return { fn: `${name} ${pkg}/${parts[parts.length - 1]}`, area: `node_modules/${pkg}` };
  }
  if (url.startsWith('node:')) return { fn: `${name} ${url}`, area: 'node internals' };
  return { fn: `${name} ${url.split('/').pop() ?? url}`, area: 'other' };
}

/** Prints the top self-time functions, areas and inclusive src/ files of a profile. */
export function summarizeProfile(name: string, profile: CpuProfile, top = 30): void {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of profile.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const self = new Map<string, number>();
  const areas = new Map<string, number>();
  const inclusive = new Map<string, number>();
  const samples = profile.samples ?? [];
  const deltas = profile.timeDeltas ?? [];
  let total = 0;
  for (let i = 0; i < samples.length; i++) {
    const n = byId.get(samples[i]);
    if (!n) continue;
    const { fn, area } = frameKey(n.callFrame.url, n.callFrame.functionName);
    const d = deltas[i] ?? 0;
    self.set(fn, (self.get(fn) ?? 0) + d);
    areas.set(area, (areas.get(area) ?? 0) + d);
    total += d;
    const files = new Set<string>();
    for (let id: number | undefined = n.id; id !== undefined; id = parent.get(id)) files.add(srcFile(byId.get(id)?.callFrame.url ?? ''));
    files.delete('');
    for (const f of files) inclusive.set(f, (inclusive.get(f) ?? 0) + d);
  }
  const pct = (v: number): string => `${((100 * v) / Math.max(1, total)).toFixed(1).padStart(5)} %`;
  const ms = (v: number): string => (v / 1000).toFixed(0).padStart(6);
  progress(`CPU profile of ${name}: ${(total / 1000).toFixed(0)} ms sampled (wall); top ${top} functions by self time:`);
  for (const [fn, v] of [...self].sort((a, b) => b[1] - a[1]).slice(0, top)) progress(`  ${pct(v)} ${ms(v)} ms  ${fn}`);
  progress('  self time by area:');
  for (const [a, v] of [...areas].sort((x, y) => y[1] - x[1]).slice(0, 16)) progress(`  ${pct(v)} ${ms(v)} ms  ${a}`);
  progress('  inclusive time by src file (synchronous stacks only: work resumed after an await is not under its caller):');
  for (const [f, v] of [...inclusive].sort((x, y) => y[1] - x[1]).slice(0, 20)) progress(`  ${pct(v)} ${ms(v)} ms  ${f}`);
}

export class PhaseProfiler {
  private session: Session | undefined;
  private phase = '';

  /** Profiles nothing unless `dir` is given. */
  constructor(
    private readonly dir: string | undefined,
    private readonly intervalUs = 1000,
  ) {}

  get enabled(): boolean {
    return !!this.dir;
  }

  async start(phase: string): Promise<void> {
    if (!this.dir) return;
    const s = new Session();
    s.connect();
    await s.post('Profiler.enable');
    await s.post('Profiler.setSamplingInterval', { interval: this.intervalUs });
    await s.post('Profiler.start');
    this.session = s;
    this.phase = phase;
  }

  async stop(): Promise<void> {
    const s = this.session;
    if (!s || !this.dir) return;
    this.session = undefined;
    try {
      const { profile } = await s.post('Profiler.stop');
      const file = path.join(this.dir, `cluster-${this.phase}.cpuprofile`);
      mkdirSync(this.dir, { recursive: true });
      writeFileSync(file, JSON.stringify(profile));
      progress(`profile of phase ${this.phase} written to ${file}`);
      summarizeProfile(`phase ${this.phase}`, profile as unknown as CpuProfile);
    } finally {
      s.disconnect();
    }
  }
}
