/**
 * DaemonSet status (upstream updateDaemonSetStatus / storeDaemonSetStatus): per node that should run the set,
 * desired; with a pod, current, and the oldest pod decides ready, available (minReadySeconds) and updated; a pod on
 * a node that should not run the set is misscheduled; unavailable = desired − available. The status is written
 * (PUT daemonsets/status) only when a count changed or observedGeneration lags, retried once on a fresh read;
 * zero `omitempty` counts are left out, as client-go's JSON leaves them out.
 */
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1';
import type { CachedObject } from '../../client/informers';
import type { ApiClient, Obj } from '../framework/api-client';
import { isPodAvailable, isPodReady } from '../framework/pod-util';
import { R } from '../framework/resources';
import { compareByCreationAndPhase, isPodUpdated, templateGeneration } from './daemon-pods';
import type { NodeVerdict } from './node-should-run';
import type { DaemonSet, Node, Pod } from './types';

/** StatusUpdateRetries. */
export const STATUS_UPDATE_RETRIES = 1;

export interface DaemonSetCounts {
  desiredNumberScheduled: number;
  currentNumberScheduled: number;
  numberMisscheduled: number;
  numberReady: number;
  updatedNumberScheduled: number;
  numberAvailable: number;
  numberUnavailable: number;
}

const COUNT_FIELDS = ['desiredNumberScheduled', 'currentNumberScheduled', 'numberMisscheduled', 'numberReady', 'updatedNumberScheduled', 'numberAvailable', 'numberUnavailable'] as const;
/** Fields Go's apps/v1 DaemonSetStatus marks `omitempty`: a zero is not sent (as client-go's JSON would not). */
const OMIT_EMPTY = new Set<string>(['updatedNumberScheduled', 'numberAvailable', 'numberUnavailable']);

export function computeCounts(ds: DaemonSet, nodes: readonly Node[], byNode: ReadonlyMap<string, readonly Pod[]>, hash: string, now: number, verdict: (n: Node) => NodeVerdict): DaemonSetCounts {
  const c: DaemonSetCounts = { desiredNumberScheduled: 0, currentNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, updatedNumberScheduled: 0, numberAvailable: 0, numberUnavailable: 0 };
  const generation = templateGeneration(ds);
  const minReady = ds.spec?.minReadySeconds ?? 0;
  for (const node of nodes) {
    const pods = byNode.get(node.metadata?.name ?? '') ?? [];
    const scheduled = pods.length > 0;
    if (!verdict(node).shouldRun) {
      if (scheduled) c.numberMisscheduled++;
      continue;
    }
    c.desiredNumberScheduled++;
    if (!scheduled) continue;
    c.currentNumberScheduled++;
    const pod = [...pods].sort(compareByCreationAndPhase)[0];
    const cached = pod as unknown as CachedObject;
    if (isPodReady(cached)) {
      c.numberReady++;
      if (isPodAvailable(cached, minReady, now)) c.numberAvailable++;
    }
    if (isPodUpdated(pod, hash, generation)) c.updatedNumberScheduled++;
  }
  c.numberUnavailable = c.desiredNumberScheduled - c.numberAvailable;
  return c;
}

function statusOf(ds: DaemonSet): Partial<DaemonSetStatus> {
  return ds.status ?? {};
}

/** True when the stored status already says this (and observedGeneration has caught up). */
export function statusUpToDate(ds: DaemonSet, c: DaemonSetCounts): boolean {
  const st = statusOf(ds);
  return COUNT_FIELDS.every((f) => (st[f] ?? 0) === c[f]) && (st.observedGeneration ?? 0) >= (ds.metadata?.generation ?? 0);
}

export async function storeStatus(client: ApiClient, ds: DaemonSet, c: DaemonSetCounts, updateObservedGen: boolean): Promise<void> {
  if (statusUpToDate(ds, c)) return;
  const ns = ds.metadata?.namespace ?? '';
  let toUpdate = structuredClone(ds) as unknown as Obj;
  for (let i = 0; ; i++) {
    const st = ((toUpdate.status ??= {}) as Record<string, unknown>);
    if (updateObservedGen) st.observedGeneration = ds.metadata?.generation ?? 0;
    for (const f of COUNT_FIELDS) {
      if (c[f] === 0 && OMIT_EMPTY.has(f)) delete st[f];
      else st[f] = c[f];
    }
    try {
      await client.updateStatus(R.daemonsets, ns, toUpdate);
      return;
    } catch (e) {
      if (i >= STATUS_UPDATE_RETRIES) throw e;
    }
    toUpdate = await client.get(R.daemonsets, ns, ds.metadata?.name ?? '');
  }
}
