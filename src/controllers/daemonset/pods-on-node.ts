/**
 * podsShouldBeOnNode (upstream daemon_controller.go): what the core loop does on one node. A node that should run
 * the set and has no daemon pod needs one. On a node where pods may continue running: failed pods are deleted
 * (Warning FailedDaemonPod, rate-limited per node by the failed-pods backoff), succeeded pods are deleted (Normal
 * SucceededDaemonPod); without surge every running pod but the oldest is deleted; with surge the oldest pod of the
 * current revision and the oldest older one may coexist until the new one is available (or the old one is not
 * ready), all others are deleted. On a node where pods may not continue, every daemon pod is deleted.
 */
import type { CachedObject } from '../../client/informers';
import { isPodAvailable, isPodReady } from '../framework/pod-util';
import { compareByCreationAndPhase } from './daemon-pods';
import type { FailedPodsBackoff } from './failed-pods-backoff';
import type { NodeVerdict } from './node-should-run';
import { DS_HASH_LABEL, type DaemonSet, type Pod } from './types';

export const FAILED_DAEMON_POD_REASON = 'FailedDaemonPod';
export const SUCCEEDED_DAEMON_POD_REASON = 'SucceededDaemonPod';

export interface NodeEvent {
  type: 'Normal' | 'Warning';
  reason: string;
  message: string;
}

export interface NodePlan {
  /** A daemon pod must be created on this node. */
  create: boolean;
  /** Names of pods to delete. */
  deletes: string[];
  events: NodeEvent[];
  /** Look at the set again after this delay (a failed pod waiting out its backoff). */
  requeueAfterMs?: number;
}

export interface NodeInputs {
  ds: DaemonSet;
  nodeName: string;
  verdict: NodeVerdict;
  /** The set's pods meant for this node; undefined when it has none. */
  pods: readonly Pod[] | undefined;
  hash: string;
  surge: boolean;
  backoff: FailedPodsBackoff;
  now: number;
}

const cached = (p: Pod): CachedObject => p as unknown as CachedObject;
const nameOf = (p: Pod): string => p.metadata?.name ?? '';

/** failedPodsBackoffKey. */
export function failedPodsBackoffKey(ds: DaemonSet, nodeName: string): string {
  return `${ds.metadata?.uid ?? ''}/${ds.status?.observedGeneration ?? 0}/${nodeName}`;
}

export function podsShouldBeOnNode(i: NodeInputs): NodePlan {
  const plan: NodePlan = { create: false, deletes: [], events: [] };
  const { shouldRun, shouldContinueRunning } = i.verdict;
  if (shouldRun && i.pods === undefined) {
    plan.create = true;
    return plan;
  }
  if (shouldContinueRunning) {
    const running: Pod[] = [];
    for (const pod of i.pods ?? []) {
      if (pod.metadata?.deletionTimestamp) continue;
      const ref = `${pod.metadata?.namespace ?? ''}/${nameOf(pod)}`;
      if (pod.status?.phase === 'Failed') {
        const key = failedPodsBackoffKey(i.ds, i.nodeName);
        if (i.backoff.inBackoffSinceUpdate(key, i.now)) {
          const delay = i.backoff.get(key);
          plan.requeueAfterMs = plan.requeueAfterMs === undefined ? delay : Math.min(plan.requeueAfterMs, delay);
          continue;
        }
        i.backoff.next(key, i.now);
        plan.events.push({ type: 'Warning', reason: FAILED_DAEMON_POD_REASON, message: `Found failed daemon pod ${ref} on node ${i.nodeName}, will try to kill it` });
        plan.deletes.push(nameOf(pod));
      } else if (pod.status?.phase === 'Succeeded') {
        plan.events.push({ type: 'Normal', reason: SUCCEEDED_DAEMON_POD_REASON, message: `Found succeeded daemon pod ${ref} on node ${i.nodeName}, will try to delete it` });
        plan.deletes.push(nameOf(pod));
      } else running.push(pod);
    }
    running.sort(compareByCreationAndPhase);
    if (!i.surge) {
      for (const p of running.slice(1)) plan.deletes.push(nameOf(p));
      return plan;
    }
    if (running.length <= 1) {
      // Surging: keep at least one live pod on a node that should run the set.
      if (running.length === 0 && shouldRun) plan.create = true;
      return plan;
    }
    let oldestNew: Pod | undefined;
    let oldestOld: Pod | undefined;
    for (const p of running) {
      if (p.metadata?.labels?.[DS_HASH_LABEL] === i.hash) {
        if (!oldestNew) {
          oldestNew = p;
          continue;
        }
      } else if (!oldestOld) {
        oldestOld = p;
        continue;
      }
      plan.deletes.push(nameOf(p));
    }
    if (oldestNew && oldestOld) {
      if (!isPodReady(cached(oldestOld))) plan.deletes.push(nameOf(oldestOld));
      else if (isPodAvailable(cached(oldestNew), i.ds.spec?.minReadySeconds ?? 0, i.now)) plan.deletes.push(nameOf(oldestOld));
    }
    return plan;
  }
  if (i.pods !== undefined) {
    for (const p of i.pods) if (!p.metadata?.deletionTimestamp) plan.deletes.push(nameOf(p));
  }
  return plan;
}
