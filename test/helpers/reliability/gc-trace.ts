/**
 * Reads Node's `--trace-gc` output: each full collection (Mark-Compact) prints the heap before and after it, e.g.
 *   [29424:0x11e735c0]    65189 ms: Mark-Compact 151.8 (185.1) -> 96.4 (184.9) MB, 8.79 / 0.02 ms  (…
 * The size after a Mark-Compact is what was still reachable then: a series of them shows whether the live heap
 * grows, without forcing any collection (forcing one shifts the process's own GC schedule and its latencies).
 * Worker threads print their own lines under another isolate address; `mainHeapAfterMajorGcs` keeps the isolate with
 * the largest heap.
 */
export interface MajorGc {
  isolate: string;
  /** Milliseconds since that isolate started. */
  atMs: number;
  beforeMb: number;
  afterMb: number;
}

const LINE = /^\[\d+:(0x[0-9a-f]+)\]\s+(\d+) ms: Mark-Compact(?: \([^)]*\))? ([\d.]+) \([\d.]+\) -> ([\d.]+) \([\d.]+\) MB/;

export function parseMajorGcs(text: string): MajorGc[] {
  const out: MajorGc[] = [];
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (m) out.push({ isolate: m[1], atMs: Number(m[2]), beforeMb: Number(m[3]), afterMb: Number(m[4]) });
  }
  return out;
}

/** The major GCs of the isolate whose heap was largest (the main thread's, for the cluster). */
export function mainHeapAfterMajorGcs(text: string): MajorGc[] {
  const all = parseMajorGcs(text);
  const peak = new Map<string, number>();
  for (const g of all) peak.set(g.isolate, Math.max(peak.get(g.isolate) ?? 0, g.beforeMb));
  const main = [...peak].sort((a, b) => b[1] - a[1])[0]?.[0];
  return all.filter((g) => g.isolate === main);
}
