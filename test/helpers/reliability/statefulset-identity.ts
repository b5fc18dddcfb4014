/**
 * The StatefulSet identity rule of the node-failure scenario, as a pure checker fed with pod watch events: at no
 * moment may two different pod UIDs carrying the same StatefulSet pod name both run. "Runs" means, per the API, phase
 * Running, Ready=True, no deletionTimestamp and every container's kubelet-reported state `running`.
 *
 * Upstream's guarantee rests on the kubelet confirming that a pod stopped before the pod object goes away: a pod on a
 * node whose kubelet is dead is evicted (deletionTimestamp) but stays Terminating until that kubelet returns (or
 * someone force-deletes it). So besides two UIDs seen running at once, the checker flags the real hazard: a pod
 * whose object disappeared while its node's kubelet was stopped (its containers may still run there, unobserved),
 * followed by another UID with that name running while that node is still down. `nodeDown(node, atMs)` says whether
 * the scenario had that node's kubelet stopped at that moment. Violations are readable strings.
 */
import type { WatchEvent } from '../../../src/client/transport';

type Obj = Record<string, unknown>;

export interface PodFacts {
  name: string;
  uid: string;
  node: string;
  /** The owning StatefulSet's name, if any. */
  statefulSet?: string;
  terminating: boolean;
  running: boolean;
}

/** What the checker needs of a pod object. */
export function podFacts(pod: Obj): PodFacts {
  const meta = (pod.metadata ?? {}) as Obj;
  const spec = (pod.spec ?? {}) as Obj;
  const status = (pod.status ?? {}) as Obj;
  const owners = (meta.ownerReferences ?? []) as Obj[];
  const owner = owners.find((o) => o.kind === 'StatefulSet' && o.controller === true);
  const conditions = (status.conditions ?? []) as Obj[];
  const ready = conditions.some((c) => c.type === 'Ready' && c.status === 'True');
  const containers = (status.containerStatuses ?? []) as Obj[];
  const allRunning = containers.length > 0 && containers.every((c) => (c.state as Obj | undefined)?.running !== undefined);
  const terminating = meta.deletionTimestamp !== undefined && meta.deletionTimestamp !== null;
  return {
    name: String(meta.name ?? ''),
    uid: String(meta.uid ?? ''),
    node: String(spec.nodeName ?? ''),
    statefulSet: owner ? String(owner.name) : undefined,
    terminating,
    running: status.phase === 'Running' && ready && allRunning && !terminating,
  };
}

interface Unconfirmed {
  uid: string;
  node: string;
  goneAt: number;
}

export class StatefulSetIdentityChecker {
  readonly violations: string[] = [];
  /** StatefulSet pods whose object went away while their node's kubelet was stopped. */
  deletedWhileNodeDown = 0;
  private readonly live = new Map<string, PodFacts>();
  private readonly unconfirmed = new Map<string, Unconfirmed[]>();

  constructor(private readonly nodeDown: (node: string, atMs: number) => boolean) {}

  /** One watch event (or a relist's synthesized one) seen at `atMs`. */
  observe(ev: WatchEvent, atMs: number): void {
    if (ev.type !== 'ADDED' && ev.type !== 'MODIFIED' && ev.type !== 'DELETED') return;
    const p = podFacts(ev.object);
    if (!p.statefulSet) return;
    const key = p.uid;
    if (ev.type === 'DELETED') {
      this.live.delete(key);
      if (p.node && this.nodeDown(p.node, atMs)) {
        this.deletedWhileNodeDown++;
        const list = this.unconfirmed.get(p.name) ?? [];
        list.push({ uid: p.uid, node: p.node, goneAt: atMs });
        this.unconfirmed.set(p.name, list);
      }
      return;
    }
    this.live.set(key, p);
    if (!p.running) return;
    for (const other of this.live.values()) {
      if (other.name === p.name && other.uid !== p.uid && other.running) {
        this.violations.push(`at ${Math.round(atMs)} ms: StatefulSet pod ${p.name} runs twice: uid ${other.uid} on ${other.node} and uid ${p.uid} on ${p.node}`);
      }
    }
    for (const u of this.unconfirmed.get(p.name) ?? []) {
      if (u.uid !== p.uid && this.nodeDown(u.node, atMs)) {
        this.violations.push(
          `at ${Math.round(atMs)} ms: StatefulSet pod ${p.name} uid ${p.uid} runs on ${p.node} while uid ${u.uid} was removed at ${Math.round(u.goneAt)} ms from node ${u.node}, whose kubelet is still stopped (its containers were never confirmed stopped)`,
        );
      }
    }
  }
}
