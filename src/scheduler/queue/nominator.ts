/**
 * The nominator (upstream backend/queue/nominator.go): pods nominated to run on a node after preemption, by node, so
 * their resources count there while the victims terminate.
 *
 * Contract (upstream):
 * - `add(podInfo, nodeName?)`: first forgets any earlier nomination of the pod (by UID). With `nodeName` given
 *   (upstream ModeOverride) the pod is nominated there; with it undefined (ModeNoop) the pod's own
 *   `status.nominatedNodeName` is used. An empty node name only clears. If `getPod` is given and the pod no longer
 *   exists or is already bound (`spec.nodeName`), it is not nominated.
 * - `update(oldPod, newPodInfo)`: replaces the stored pod; when neither the old nor the new pod carries a
 *   `status.nominatedNodeName`, a nomination made in memory is kept (the API update may not have landed yet).
 * - `delete(pod)` forgets the pod's nomination. `forNode(node)` lists nominated pods in nomination order.
 */
import type { Pod, PodInfo } from '../framework';
import { podUid } from './keys';

export function nominatedNodeName(pod: Pod): string {
  return String((pod.status as { nominatedNodeName?: string } | undefined)?.nominatedNodeName ?? '');
}

/** What forNode answers for a node without nominations (Filter asks for every node in every cycle). */
const NONE: readonly PodInfo[] = Object.freeze([]);

export class Nominator {
  private readonly byNode = new Map<string, PodInfo[]>();
  private readonly nodeOf = new Map<string, string>();

  constructor(private readonly getPod?: (namespace: string, name: string) => Pod | undefined) {}

  add(pi: PodInfo, nodeName?: string): void {
    this.delete(pi.pod);
    const node = nodeName ?? nominatedNodeName(pi.pod);
    if (node === '') return;
    if (this.getPod) {
      const current = this.getPod(String(pi.pod.metadata?.namespace ?? ''), String(pi.pod.metadata?.name ?? ''));
      if (!current || (current.spec as { nodeName?: string } | undefined)?.nodeName) return;
    }
    const uid = podUid(pi.pod);
    this.nodeOf.set(uid, node);
    const list = this.byNode.get(node);
    if (list) list.push(pi);
    else this.byNode.set(node, [pi]);
  }

  update(oldPod: Pod, newPi: PodInfo): void {
    let keep: string | undefined;
    if (nominatedNodeName(oldPod) === '' && nominatedNodeName(newPi.pod) === '') keep = this.nodeOf.get(podUid(oldPod));
    this.delete(oldPod);
    this.add(newPi, keep);
  }

  delete(pod: Pod): void {
    const uid = podUid(pod);
    const node = this.nodeOf.get(uid);
    if (node === undefined) return;
    this.nodeOf.delete(uid);
    const list = this.byNode.get(node);
    if (!list) return;
    const i = list.findIndex((p) => podUid(p.pod) === uid);
    if (i >= 0) list.splice(i, 1);
    if (list.length === 0) this.byNode.delete(node);
  }

  forNode(nodeName: string): readonly PodInfo[] {
    if (this.byNode.size === 0) return NONE;
    return this.byNode.get(nodeName)?.slice() ?? NONE;
  }

  /** The node the pod (by UID) is nominated to, if any. */
  nodeFor(uid: string): string | undefined {
    return this.nodeOf.get(uid);
  }
}
