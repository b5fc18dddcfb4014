/**
 * What the cluster benchmark watches, through informers (list once, then one watch; nothing polls lists):
 * - NodeReadyWatch: resolves once `want` Nodes have condition Ready=True.
 * - PodReadyWatch: per pod (by uid) of one namespace, when the watch first showed it and when it first showed it
 *   Running with condition Ready=True (performance.now() ms, taken in the event handler); resolves once `want` pods
 *   are Ready. Startup latency is measured here (watch → watch), not from metadata.creationTimestamp and the Ready
 *   condition's lastTransitionTime, which are only second-granular.
 * Both reject after `timeoutMs` with the count reached, and report progress every 5 s on stderr.
 */
import { performance } from 'node:perf_hooks';
import type { CachedObject, SharedInformer } from '../../src/client/informers';
import { progress } from './util';

interface Condition {
  type?: string;
  status?: string;
}

function hasTrueCondition(o: CachedObject, type: string): boolean {
  const conds = (o.status as { conditions?: Condition[] } | undefined)?.conditions;
  return Array.isArray(conds) && conds.some((c) => c.type === type && c.status === 'True');
}

export function nodeReady(o: CachedObject): boolean {
  return hasTrueCondition(o, 'Ready');
}

export function podRunningReady(o: CachedObject): boolean {
  return (o.status as { phase?: string } | undefined)?.phase === 'Running' && hasTrueCondition(o, 'Ready');
}

/** A count that resolves `done` when it reaches `want`; progress every 5 s; rejects after timeoutMs. */
class Countdown {
  readonly done: Promise<number>;
  private resolve!: (ms: number) => void;
  private reject!: (e: Error) => void;
  private timer: NodeJS.Timeout | undefined;
  private want = Infinity;

  constructor(private readonly what: string) {
    this.done = new Promise<number>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    // Unhandled until someone awaits it: avoid an unhandled-rejection crash if nobody does.
    this.done.catch(() => undefined);
  }

  arm(want: number, timeoutMs: number, count: () => number): void {
    this.want = want;
    const t0 = performance.now();
    this.timer = setInterval(() => {
      const s = (performance.now() - t0) / 1000;
      if (s * 1000 > timeoutMs) {
        this.stop();
        this.reject(new Error(`${this.what}: only ${count()}/${want} after ${(timeoutMs / 1000).toFixed(0)} s`));
        return;
      }
      progress(`  ${this.what}: ${count()}/${want} after ${s.toFixed(1)} s`);
    }, 5000);
    this.check(count());
  }

  check(n: number): void {
    if (n >= this.want) {
      this.stop();
      this.resolve(performance.now());
    }
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = undefined;
  }
}

export class NodeReadyWatch {
  private readonly ready = new Set<string>();
  private readonly cd = new Countdown('Nodes Ready');

  constructor(informer: SharedInformer) {
    const seen = (o: CachedObject) => {
      const name = String(o.metadata?.name ?? '');
      if (nodeReady(o)) this.ready.add(name);
      else this.ready.delete(name);
      this.cd.check(this.ready.size);
    };
    informer.addEventHandler({ onAdd: seen, onUpdate: (_old, o) => seen(o) });
  }

  get count(): number {
    return this.ready.size;
  }

  /** Resolves with performance.now() when `want` Nodes are Ready at once. */
  until(want: number, timeoutMs: number): Promise<number> {
    this.cd.arm(want, timeoutMs, () => this.ready.size);
    return this.cd.done;
  }

  stop(): void {
    this.cd.stop();
  }
}

export class PodReadyWatch {
  /** uid → performance.now() when the watch first showed the pod. */
  readonly firstSeen = new Map<string, number>();
  /** uid → performance.now() when the watch first showed it Running and Ready. */
  readonly readyAt = new Map<string, number>();
  /** Watch events (adds and updates) seen for the namespace's pods. */
  events = 0;
  private readonly cd = new Countdown('pods Running and Ready');

  constructor(informer: SharedInformer, namespace: string) {
    const seen = (o: CachedObject) => {
      if (o.metadata?.namespace !== namespace) return;
      const uid = String(o.metadata?.uid ?? '');
      const now = performance.now();
      this.events++;
      if (!this.firstSeen.has(uid)) this.firstSeen.set(uid, now);
      if (!this.readyAt.has(uid) && podRunningReady(o)) {
        this.readyAt.set(uid, now);
        this.cd.check(this.readyAt.size);
      }
    };
    informer.addEventHandler({ onAdd: seen, onUpdate: (_old, o) => seen(o) });
  }

  /** Resolves with performance.now() when `want` pods have been seen Ready. */
  until(want: number, timeoutMs: number): Promise<number> {
    this.cd.arm(want, timeoutMs, () => this.readyAt.size);
    return this.cd.done;
  }

  /** Startup latency per Ready pod (ms): first seen in the watch → seen Running and Ready. */
  latencies(): Float64Array {
    const out = new Float64Array(this.readyAt.size);
    let i = 0;
    for (const [uid, t] of this.readyAt) out[i++] = t - (this.firstSeen.get(uid) ?? t);
    return out;
  }

  stop(): void {
    this.cd.stop();
  }
}
