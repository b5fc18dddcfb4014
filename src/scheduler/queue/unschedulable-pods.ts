/**
 * The unschedulable pod pool (upstream unschedulablePods): pods that were tried and found unschedulable, and pods
 * gated by a PreEnqueue plugin (`gated` = true), keyed by namespace/name. Insertion order is kept so iteration is
 * deterministic. It only stores; the SchedulingQueue decides when pods move out.
 */
import type { Pod, QueuedPodInfo } from '../framework';
import { podKey, qpiKey } from './keys';

export class UnschedulablePods {
  private readonly pods = new Map<string, QueuedPodInfo>();

  get size(): number {
    return this.pods.size;
  }

  /** How many of the pods are gated (PreEnqueue failed). */
  gatedCount(): number {
    let n = 0;
    for (const qpi of this.pods.values()) if (qpi.gated) n++;
    return n;
  }

  addOrUpdate(qpi: QueuedPodInfo): void {
    this.pods.set(qpiKey(qpi), qpi);
  }

  get(pod: Pod): QueuedPodInfo | undefined {
    return this.pods.get(podKey(pod));
  }

  getByKey(key: string): QueuedPodInfo | undefined {
    return this.pods.get(key);
  }

  delete(pod: Pod): boolean {
    return this.pods.delete(podKey(pod));
  }

  /** A snapshot of the pool (safe to modify the pool while iterating it). */
  list(): QueuedPodInfo[] {
    return [...this.pods.values()];
  }

  clear(): void {
    this.pods.clear();
  }
}
