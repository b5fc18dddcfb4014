/**
 * Pure text renderers for the headless command's live display.
 * - renderStatus(s, width): the compact status shown until Ctrl-C — a header (nodes Ready x/y · pods by phase; split
 *   into two lines when too wide), the nodes (one line each up to 10, a summary and the NotReady names beyond), one
 *   line per component that is not running (none when all run), up to 5 last events, then the API server URL and
 *   the kubeconfig (two lines when too wide; the path is shortened in its middle, never cut at its end).
 * - renderProgress(step, done, width?): the one-line start progress.
 * Contract: every line is at most max(width, 20) code points (East Asian wide characters count as one); text from
 * the cluster is stripped of control characters, so no terminal escape gets through; no line ends with a newline;
 * the output depends on the arguments only.
 */

export interface LiveStatus {
  nodes: { name: string; ready: boolean; role: string; pods: number; stopped: boolean }[];
  /** Pending, Running, Succeeded, Failed, Unknown, plus "Terminating". */
  podsByPhase: Record<string, number>;
  /** Newest last, at most 5 shown. */
  lastEvents: { time: string; type: string; reason: string; object: string; message: string }[];
  components: { name: string; state: 'running' | 'off' | 'stopped' | 'starting' }[];
  url: string;
  kubeconfig: string;
}

export const MAX_LISTED_NODES = 10;
export const MAX_EVENTS = 5;
const MIN_WIDTH = 20;
const PHASE_ORDER = ['Running', 'Pending', 'Terminating', 'Succeeded', 'Failed', 'Unknown'];

/** Control characters (C0, DEL, C1) become spaces and runs of spaces one space: terminal escapes cannot pass. */
export function clean(s: string): string {
  return String(s).replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ').replace(/ {2,}/g, ' ').trim();
}

/** At most `width` code points; a cut line ends with `…`. */
export function truncate(s: string, width: number): string {
  const cps = Array.from(s);
  if (cps.length <= width) return s;
  return width <= 1 ? '…'.slice(0, width) : `${cps.slice(0, width - 1).join('')}…`;
}

/** Keeps both ends (for paths): `/home/…/kubeconfig`. */
function truncateMiddle(s: string, width: number): string {
  const cps = Array.from(s);
  if (cps.length <= width) return s;
  if (width < 5) return truncate(s, width);
  const tail = Math.floor((width - 1) / 2);
  return `${cps.slice(0, width - 1 - tail).join('')}…${cps.slice(cps.length - tail).join('')}`;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const len = (s: string) => Array.from(s).length;
const pad = (s: string, n: number) => s + ' '.repeat(Math.max(0, n - len(s)));

function podsText(byPhase: Record<string, number>): string {
  const known = PHASE_ORDER.filter((p) => (byPhase[p] ?? 0) > 0).map((p) => `${byPhase[p]} ${p}`);
  const other = Object.keys(byPhase)
    .filter((p) => !PHASE_ORDER.includes(p) && byPhase[p] > 0)
    .sort()
    .map((p) => `${byPhase[p]} ${clean(p)}`);
  const all = [...known, ...other];
  return all.length ? all.join(', ') : 'none';
}

function nodeState(n: LiveStatus['nodes'][number]): string {
  return `${n.ready ? 'Ready' : 'NotReady'}${n.stopped ? ' (kubelet stopped)' : ''}`;
}

function nodeLines(nodes: LiveStatus['nodes'], width: number): string[] {
  if (nodes.length <= MAX_LISTED_NODES) {
    const nameW = Math.max(0, ...nodes.map((n) => len(clean(n.name))));
    const stateW = Math.max(0, ...nodes.map((n) => len(nodeState(n))));
    const roleW = Math.max(0, ...nodes.map((n) => len(clean(n.role))));
    return nodes.map((n) => truncate(`  ${pad(clean(n.name), nameW)}  ${pad(nodeState(n), stateW)}  ${pad(clean(n.role), roleW)}  ${plural(n.pods, 'pod')}`.trimEnd(), width));
  }
  const roles = new Map<string, number>();
  for (const n of nodes) roles.set(clean(n.role), (roles.get(clean(n.role)) ?? 0) + 1);
  const stopped = nodes.filter((n) => n.stopped).length;
  const summary = [...roles].map(([r, c]) => plural(c, r || 'without a role', r ? `${r}s` : 'without a role')).join(', ') + (stopped ? ` · ${stopped} kubelet${stopped === 1 ? '' : 's'} stopped` : '');
  const out = [truncate(`  ${summary}`, width)];
  const notReady = nodes.filter((n) => !n.ready).map((n) => clean(n.name));
  if (notReady.length) out.push(truncate(`  NotReady (${notReady.length}): ${notReady.join(', ')}`, width));
  return out;
}

function eventLine(e: LiveStatus['lastEvents'][number], width: number): string {
  const type = clean(e.type);
  return truncate(`  ${clean(e.time)} ${pad(type, 7)} ${clean(e.reason)} ${clean(e.object)}: ${clean(e.message)}`, width);
}

/** The compact live status, one string per line. */
export function renderStatus(s: LiveStatus, width: number): string[] {
  const w = Math.max(MIN_WIDTH, Math.floor(Number.isFinite(width) ? width : 80));
  const ready = s.nodes.filter((n) => n.ready).length;
  const nodesText = `Nodes ${ready}/${s.nodes.length} Ready`;
  const pods = `Pods: ${podsText(s.podsByPhase)}`;
  const header = `${nodesText} · ${pods}`;
  const lines = len(header) <= w ? [header] : [truncate(nodesText, w), truncate(pods, w)];
  lines.push(...nodeLines(s.nodes, w));
  for (const c of s.components) if (c.state !== 'running') lines.push(truncate(`  ○ ${clean(c.name)}: ${c.state}`, w));
  const events = s.lastEvents.slice(-MAX_EVENTS);
  if (events.length) {
    lines.push('Last events:');
    for (const e of events) lines.push(eventLine(e, w));
  }
  const url = clean(s.url);
  const kc = clean(s.kubeconfig);
  const oneLine = `API server ${url} · export KUBECONFIG=${kc}`;
  if (len(oneLine) <= w) lines.push(oneLine);
  else lines.push(truncate(`API server ${url}`, w), `export KUBECONFIG=${truncateMiddle(kc, w - len('export KUBECONFIG='))}`);
  return lines.map((l) => truncate(l, w));
}

/** One line of start progress: `Starting: ✓ etcd  ✓ kube-apiserver  ▸ kube-scheduler…`; the oldest steps give way
 * to `…` when `width` is given and the line would be longer. An empty `step` means everything is done. */
export function renderProgress(step: string, done: string[], width?: number): string {
  const head = step ? 'Starting:' : 'Started:';
  const tail = step ? `▸ ${clean(step)}…` : '';
  const parts = done.map((d) => `✓ ${clean(d)}`);
  const build = (from: number) => [head, ...(from > 0 ? ['…'] : []), ...parts.slice(from), ...(tail ? [tail] : [])].join('  ').replace(`${head}  `, `${head} `);
  if (width === undefined) return build(0);
  const w = Math.max(MIN_WIDTH, Math.floor(width));
  let from = 0;
  while (from < parts.length && len(build(from)) > w) from++;
  return truncate(build(from), w);
}
