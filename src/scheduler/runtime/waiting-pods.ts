/**
 * Pods held at Permit (upstream runtime/waiting_pods_map.go): a pod some Permit plugin answered Wait for waits in
 * the binding cycle until every such plugin allows it, any plugin rejects it, or a plugin's timeout passes
 * (Unschedulable "rejected due to timeout after waiting <d> at plugin <name>"). `allow`/`reject` are what plugins
 * (through the framework) call.
 */
import type { Clock, TimerHandle } from '../../base/clock';
import { Status, type Pod } from '../framework';

export class WaitingPod {
  private readonly pending = new Map<string, TimerHandle>();
  private settled: Status | undefined;
  private resolve: ((s: Status) => void) | undefined;
  readonly done: Promise<Status>;

  constructor(
    readonly pod: Pod,
    plugins: Map<string, number>,
    private readonly clock: Clock,
  ) {
    this.done = new Promise((r) => (this.resolve = r));
    for (const [name, ms] of plugins) {
      this.pending.set(name, clock.setTimeout(() => this.reject(name, `rejected due to timeout after waiting ${formatDuration(ms)} at plugin ${name}`), ms));
    }
  }

  pendingPlugins(): string[] {
    return [...this.pending.keys()];
  }

  allow(plugin: string): void {
    const t = this.pending.get(plugin);
    if (t === undefined || this.settled) return;
    this.clock.clearTimeout(t);
    this.pending.delete(plugin);
    if (this.pending.size === 0) this.finish(Status.success());
  }

  reject(plugin: string, message: string): void {
    if (this.settled) return;
    this.finish(Status.unschedulable(message).withPlugin(plugin));
  }

  private finish(s: Status): void {
    this.settled = s;
    for (const t of this.pending.values()) this.clock.clearTimeout(t);
    this.pending.clear();
    this.resolve?.(s);
  }
}

/** Go's time.Duration String for whole milliseconds (`30s`, `1m0s`, `1.5s`). */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${ms}ms`;
  const h = Math.floor(ms / 3_600_000);
  const m = Math.floor((ms % 3_600_000) / 60_000);
  const s = (ms % 60_000) / 1000;
  if (h > 0) return `${h}h${m}m${s}s`;
  if (m > 0) return `${m}m${s}s`;
  return `${s}s`;
}
