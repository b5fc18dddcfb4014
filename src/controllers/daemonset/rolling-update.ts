/**
 * The RollingUpdate step (upstream update.go rollingUpdate): which old pods to delete and which nodes get a new pod
 * this round. Without surge, old pods are deleted only while the nodes that are unavailable (no pod, an unavailable
 * new pod, an old and a new pod, excess pods) stay within maxUnavailable; old pods that are not available are
 * replaced at once. With surge, a new pod is created next to an old available one while fewer than maxSurge new
 * pods are still becoming available, the old pod goes once the new one is available, and an old pod that is not
 * available is replaced at once. When both limits come out 0, maxUnavailable is taken as 1. Pure.
 */
import type { CachedObject } from '../../client/informers';
import { isPodAvailable } from '../framework/pod-util';
import { isPodUpdated, templateGeneration } from './daemon-pods';
import type { NodeVerdict } from './node-should-run';
import { surgeCount, unavailableCount } from './update-counts';
import type { DaemonSet, Node, Pod } from './types';

export interface RollingInputs {
  /** Whether the named pod is still in the cache (old pods on nodes that should no longer run the set). */
  podExists?(name: string): boolean;
  ds: DaemonSet;
  nodes: readonly Node[];
  /** The set's pods by the node they are meant for. */
  byNode: ReadonlyMap<string, readonly Pod[]>;
  hash: string;
  now: number;
  verdict(node: Node): NodeVerdict;
}

export interface RollingPlan {
  deletes: string[];
  creates: string[];
  maxSurge: number;
  maxUnavailable: number;
}

/** findUpdatedPodsOnNode: the node's one new and one old live pod; ok=false when it has more of either. */
export function findUpdatedPodsOnNode(ds: DaemonSet, pods: readonly Pod[], hash: string): { newPod?: Pod; oldPod?: Pod; ok: boolean } {
  let newPod: Pod | undefined;
  let oldPod: Pod | undefined;
  const generation = templateGeneration(ds);
  for (const p of pods) {
    if (p.metadata?.deletionTimestamp) continue;
    if (isPodUpdated(p, hash, generation)) {
      if (newPod) return { ok: false };
      newPod = p;
    } else {
      if (oldPod) return { ok: false };
      oldPod = p;
    }
  }
  return { newPod, oldPod, ok: true };
}

const nameOf = (p: Pod): string => p.metadata?.name ?? '';

export function planRollingUpdate(i: RollingInputs): RollingPlan {
  const byNode = new Map(i.byNode);
  const nodesByName = new Map(i.nodes.map((n) => [n.metadata?.name ?? '', n]));
  let desired = 0;
  for (const n of i.nodes) {
    if (!i.verdict(n).shouldRun) continue;
    desired++;
    const name = n.metadata?.name ?? '';
    if (!byNode.has(name)) byNode.set(name, []);
  }
  let maxUnavailable: number;
  let maxSurge: number;
  try {
    maxUnavailable = unavailableCount(i.ds, desired);
  } catch (e) {
    throw new Error(`invalid value for MaxUnavailable: ${(e as Error).message}`);
  }
  try {
    maxSurge = surgeCount(i.ds, desired);
  } catch (e) {
    throw new Error(`invalid value for MaxSurge: ${(e as Error).message}`);
  }
  if (desired > 0 && maxUnavailable === 0 && maxSurge === 0) maxUnavailable = 1;
  const minReady = i.ds.spec?.minReadySeconds ?? 0;
  const available = (p: Pod) => isPodAvailable(p as unknown as CachedObject, minReady, i.now);
  const base = { maxSurge, maxUnavailable };

  if (maxSurge === 0) {
    let numUnavailable = 0;
    const replacements: string[] = [];
    const candidates: string[] = [];
    for (const pods of byNode.values()) {
      const { newPod, oldPod, ok } = findUpdatedPodsOnNode(i.ds, pods, i.hash);
      if (!ok || (!oldPod && !newPod) || (oldPod && newPod)) {
        numUnavailable++;
      } else if (newPod) {
        if (!available(newPod)) numUnavailable++;
      } else if (oldPod) {
        if (!available(oldPod)) {
          replacements.push(nameOf(oldPod));
          numUnavailable++;
        } else if (numUnavailable < maxUnavailable) candidates.push(nameOf(oldPod));
      }
    }
    const remaining = Math.min(Math.max(0, maxUnavailable - numUnavailable), candidates.length);
    return { ...base, deletes: [...replacements, ...candidates.slice(0, remaining)], creates: [] };
  }

  const deletes: string[] = [];
  const shouldNotRun: string[] = [];
  const candidateNodes: string[] = [];
  const allowedNodes: string[] = [];
  let numSurge = 0;
  let numAvailable = 0;
  for (const [nodeName, pods] of byNode) {
    const { newPod, oldPod, ok } = findUpdatedPodsOnNode(i.ds, pods, i.hash);
    if (!ok) {
      numSurge++;
      continue;
    }
    if (oldPod ? available(oldPod) : newPod ? available(newPod) : false) numAvailable++;
    if (!oldPod) continue;
    if (!newPod) {
      const node = nodesByName.get(nodeName);
      if (!node) throw new Error(`couldn't get node for nodeName ${JSON.stringify(nodeName)}: node ${JSON.stringify(nodeName)} not found`);
      const shouldRun = i.verdict(node).shouldRun;
      if (!available(oldPod)) {
        if (!shouldRun) deletes.push(nameOf(oldPod));
        else allowedNodes.push(nodeName);
      } else if (!shouldRun) {
        shouldNotRun.push(nameOf(oldPod));
      } else if (numSurge < maxSurge) {
        candidateNodes.push(nodeName);
      }
      continue;
    }
    // Already surged here: wait for the new pod, then retire the old one.
    if (!available(newPod)) numSurge++;
    else deletes.push(nameOf(oldPod));
  }
  // Pods on nodes that no longer should run the set go only while enough others are available.
  const deletable = Math.min(numAvailable - desired, shouldNotRun.length);
  if (deletable > 0) deletes.push(...shouldNotRun.slice(0, deletable).filter((n) => i.podExists?.(n) ?? true));
  const remainingSurge = Math.min(Math.max(0, maxSurge - numSurge), candidateNodes.length);
  return { ...base, deletes, creates: [...allowedNodes, ...candidateNodes.slice(0, remainingSurge)] };
}
