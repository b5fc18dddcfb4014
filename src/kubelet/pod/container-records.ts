/**
 * A pod worker's bookkeeping of its containers' instances: per container name the current and the previous
 * instance, the restart count and the waiting reason. Counts carry on from what the API status showed when the worker
 * was created (the kubelet or the whole cluster restarted), and from the instances the runtime still holds when a
 * restarted kubelet adopts a sandbox. Replacing an instance (retire) removes the one before the previous from the
 * runtime, keeping two per container as the kubelet's container GC does.
 */
import type { ContainerRuntime, ContainerStatus } from '../runtime/runtime';
import type { ApiContainerStatus, Rec } from './worker-deps';

export class ContainerRecords {
  readonly map = new Map<string, Rec>();
  /** Restart counts the API status showed when the worker was created, and whether the container ran before. */
  private readonly prior = new Map<string, { restartCount: number; ran: boolean }>();

  constructor(apiStatuses: readonly ApiContainerStatus[]) {
    for (const cs of apiStatuses) {
      const ran = !!(cs.state?.running || cs.state?.terminated || cs.lastState?.terminated);
      this.prior.set(cs.name, { restartCount: cs.restartCount ?? 0, ran });
    }
  }

  get(name: string): Rec | undefined {
    return this.map.get(name);
  }

  values(): IterableIterator<Rec> {
    return this.map.values();
  }

  /** The record of a spec container, made on first use. */
  record(name: string, kind: 'init' | 'regular', sidecar: boolean): Rec {
    let r = this.map.get(name);
    if (!r) {
      const prior = this.prior.get(name);
      r = { name, kind, restartCount: prior?.restartCount ?? 0, ranBefore: prior?.ran };
      this.map.set(name, r);
    }
    r.kind = kind;
    r.sidecar = sidecar || undefined;
    return r;
  }

  /** Takes over the instances a runtime still holds (oldest first per name: the newest is current). */
  adopt(containers: readonly ContainerStatus[]): Rec[] {
    const byName = new Map<string, ContainerStatus[]>();
    for (const c of [...containers].sort((a, b) => a.createdAt - b.createdAt)) byName.set(c.name, [...(byName.get(c.name) ?? []), c]);
    const out: Rec[] = [];
    for (const [name, list] of byName) {
      const current = list[list.length - 1];
      const restartCount = Math.max(list.length - 1, this.prior.get(name)?.restartCount ?? 0);
      const rec: Rec = { name, kind: 'regular', current, previous: list[list.length - 2], restartCount, image: current.image };
      this.map.set(name, rec);
      out.push(rec);
    }
    return out;
  }

  /** The instance `kubectl logs` reads: current, or with --previous the last one that ended. */
  instance(name: string, previous: boolean): ContainerStatus | undefined {
    const r = this.map.get(name);
    if (!previous) return r?.current;
    // While a crashed container waits for its restart, the one that just ended is "previous" (the status's lastState).
    return r?.current?.state === 'exited' && r.waiting ? r.current : r?.previous;
  }

  /** The current instance becomes the previous one; the one before it leaves the runtime. */
  retire(r: Rec, runtime: ContainerRuntime): void {
    if (r.previous && r.previous.id !== r.current?.id) void runtime.removeContainer(r.previous.id).catch(() => undefined);
    r.previous = r.current;
    r.current = undefined;
    r.restartCount++;
  }

  /** Whether any instance is still running (or created). */
  anyRunning(): boolean {
    for (const r of this.map.values()) if (r.current && r.current.state !== 'exited') return true;
    return false;
  }
}
