/**
 * A node's health as the node lifecycle controller tracks it (upstream tryUpdateNodeHealth), pure: the last status
 * seen, when a heartbeat was last observed (probeTimestamp: the Ready condition's lastHeartbeatTime changing, or the
 * node's Lease renewTime growing) and when Ready last changed. When no heartbeat came for the grace period
 * (nodeMonitorGracePeriod; nodeStartupGracePeriod for a node that never posted Ready), the Ready, MemoryPressure,
 * DiskPressure and PIDPressure conditions become Unknown ("NodeStatusUnknown", "Kubelet stopped posting node
 * status."), or are added as Unknown ("NodeStatusNeverUpdated", "Kubelet never posted node status."); the caller
 * writes that status (nodes/status) and then records `afterWrite`.
 */
import type { CachedObject } from '../../client/informers';
import { timeString } from '../tainteviction/pod-conditions';

export interface NodeCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
  lastHeartbeatTime?: string | null;
  lastTransitionTime?: string | null;
}

export interface NodeHealth {
  probeTimestamp: number;
  readyTransitionTimestamp: number;
  /** The node's status as last observed. */
  status: { conditions?: NodeCondition[] };
  /** renewTime (ms) of the Lease last observed. */
  leaseRenewTime?: number;
}

export interface HealthTimings {
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
}

export interface HealthResult {
  health: NodeHealth;
  /** The Ready condition as it was on the node (a fake Unknown one dated at creation when it had none). */
  observedReady: NodeCondition;
  /** The Ready condition after this check (undefined when the node has none and nothing was written). */
  currentReady: NodeCondition | undefined;
  /** Set when the status must be written (conditions turned Unknown): the whole new status. */
  newStatus?: Record<string, unknown>;
  /** Health to keep once `newStatus` is written. */
  afterWrite?: NodeHealth;
}

export const CONDITIONS_SET_UNKNOWN = ['Ready', 'MemoryPressure', 'DiskPressure', 'PIDPressure'];

export function nodeConditions(status: unknown): NodeCondition[] {
  const c = (status as { conditions?: unknown } | undefined)?.conditions;
  return Array.isArray(c) ? (c as NodeCondition[]) : [];
}

export function readyCondition(status: unknown): NodeCondition | undefined {
  return nodeConditions(status).find((c) => c.type === 'Ready');
}

function ms(s: unknown): number | undefined {
  if (typeof s !== 'string') return undefined;
  const t = Date.parse(s);
  return Number.isNaN(t) ? undefined : t;
}

/** The renewTime of a Lease in ms, if any. */
export function leaseRenewTime(lease: CachedObject | undefined): number | undefined {
  return ms((lease?.spec as { renewTime?: unknown } | undefined)?.renewTime);
}

export function checkNodeHealth(node: CachedObject, saved: NodeHealth | undefined, lease: CachedObject | undefined, now: number, t: HealthTimings): HealthResult {
  const status = (node.status ?? {}) as { conditions?: NodeCondition[] };
  const created = String(node.metadata?.creationTimestamp ?? '');
  const createdMs = ms(created) ?? now;
  const current = readyCondition(status);
  let observedReady: NodeCondition;
  let grace: number;
  let health = saved ? { ...saved } : undefined;
  if (!current) {
    observedReady = { type: 'Ready', status: 'Unknown', lastHeartbeatTime: created, lastTransitionTime: created };
    grace = t.nodeStartupGracePeriodMs;
    if (health) health.status = status;
    else health = { status, probeTimestamp: createdMs, readyTransitionTimestamp: createdMs };
  } else {
    observedReady = { ...current };
    grace = t.nodeMonitorGracePeriodMs;
  }
  const savedReady = saved ? readyCondition(saved.status) : undefined;
  const savedLease = saved?.leaseRenewTime;
  if (!health) {
    health = { status, probeTimestamp: now, readyTransitionTimestamp: now };
  } else if ((!savedReady && current) || (savedReady && !current)) {
    health = { status, probeTimestamp: now, readyTransitionTimestamp: now };
  } else if (savedReady && current && (savedReady.lastHeartbeatTime ?? null) !== (current.lastHeartbeatTime ?? null)) {
    const transition = (savedReady.lastTransitionTime ?? null) !== (current.lastTransitionTime ?? null) ? now : health.readyTransitionTimestamp;
    health = { status, probeTimestamp: now, readyTransitionTimestamp: transition };
  }
  // A renewed Lease is a heartbeat too.
  const renew = leaseRenewTime(lease);
  if (renew !== undefined && (savedLease === undefined || savedLease < renew)) {
    health.leaseRenewTime = renew;
    health.probeTimestamp = now;
  }
  if (!(now > health.probeTimestamp + grace)) return { health, observedReady, currentReady: current };

  const nowStr = timeString(now);
  const conditions = structuredClone(nodeConditions(status));
  for (const type of CONDITIONS_SET_UNKNOWN) {
    const c = conditions.find((x) => x.type === type);
    if (!c) {
      conditions.push({ type, status: 'Unknown', reason: 'NodeStatusNeverUpdated', message: 'Kubelet never posted node status.', lastHeartbeatTime: created, lastTransitionTime: nowStr });
    } else if (c.status !== 'Unknown') {
      c.status = 'Unknown';
      c.reason = 'NodeStatusUnknown';
      c.message = 'Kubelet stopped posting node status.';
      c.lastTransitionTime = nowStr;
    }
  }
  const newReady = conditions.find((c) => c.type === 'Ready');
  if (sameCondition(newReady, observedReady)) return { health, observedReady, currentReady: newReady };
  const newStatus = { ...(node.status as Record<string, unknown> | undefined), conditions };
  const afterWrite: NodeHealth = { status: newStatus, probeTimestamp: health.probeTimestamp, readyTransitionTimestamp: now, leaseRenewTime: renew };
  return { health, observedReady, currentReady: newReady, newStatus, afterWrite };
}

function sameCondition(a: NodeCondition | undefined, b: NodeCondition): boolean {
  if (!a) return false;
  const keys: (keyof NodeCondition)[] = ['type', 'status', 'reason', 'message', 'lastHeartbeatTime', 'lastTransitionTime'];
  return keys.every((k) => (a[k] ?? '') === (b[k] ?? ''));
}
