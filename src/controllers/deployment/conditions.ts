/**
 * Deployment conditions (upstream deployment_util.go): build, find, set (a condition with the same status and
 * reason is left alone; the same status keeps its lastTransitionTime; a changed one moves to the end of the list)
 * and remove; and the three judgements the progress check makes on a freshly computed status: complete (every
 * desired replica updated and available, nothing else running, generation observed), progressing (more updated,
 * ready or available replicas, or fewer old ones, than last time) and timed out (no progress reported for
 * progressDeadlineSeconds).
 */
import { MAX_INT32, metaTime, Reason, specReplicas, type Deployment, type DeploymentCondition, type DeploymentStatus } from './types';

export function newCondition(type: string, status: 'True' | 'False' | 'Unknown', reason: string, message: string, nowMs: number): DeploymentCondition {
  const t = metaTime(nowMs);
  return { type, status, lastUpdateTime: t, lastTransitionTime: t, reason, message };
}

export function getCondition(status: DeploymentStatus | undefined, type: string): DeploymentCondition | undefined {
  return status?.conditions?.find((c) => c.type === type);
}

export function setCondition(status: DeploymentStatus, c: DeploymentCondition): void {
  const cur = getCondition(status, c.type);
  if (cur && cur.status === c.status && cur.reason === c.reason) return;
  const next = { ...c };
  if (cur && cur.status === c.status) next.lastTransitionTime = cur.lastTransitionTime;
  status.conditions = [...(status.conditions ?? []).filter((x) => x.type !== c.type), next];
}

export function removeCondition(status: DeploymentStatus, type: string): void {
  const rest = (status.conditions ?? []).filter((x) => x.type !== type);
  if (rest.length > 0) status.conditions = rest;
  else delete status.conditions;
}

export function hasProgressDeadline(d: Deployment): boolean {
  const p = d.spec?.progressDeadlineSeconds;
  return p !== undefined && p !== null && p !== MAX_INT32;
}

export function hasRevisionHistoryLimit(d: Deployment): boolean {
  const l = d.spec?.revisionHistoryLimit;
  return l !== undefined && l !== null && l !== MAX_INT32;
}

const n = (v: number | undefined) => v ?? 0;

/** DeploymentComplete. */
export function deploymentComplete(d: Deployment, s: DeploymentStatus): boolean {
  const want = specReplicas(d);
  return n(s.updatedReplicas) === want && n(s.replicas) === want && n(s.availableReplicas) === want && n(s.observedGeneration) >= n(d.metadata?.generation);
}

/** DeploymentProgressing: `s` shows progress over the Deployment's current status. */
export function deploymentProgressing(d: Deployment, s: DeploymentStatus): boolean {
  const old = d.status ?? {};
  const oldOld = n(old.replicas) - n(old.updatedReplicas);
  const newOld = n(s.replicas) - n(s.updatedReplicas);
  return n(s.updatedReplicas) > n(old.updatedReplicas) || newOld < oldOld || n(s.readyReplicas) > n(old.readyReplicas) || n(s.availableReplicas) > n(old.availableReplicas);
}

/** DeploymentTimedOut: the Progressing condition of `s` was last updated more than progressDeadlineSeconds ago. */
export function deploymentTimedOut(d: Deployment, s: DeploymentStatus, nowMs: number): boolean {
  if (!hasProgressDeadline(d)) return false;
  const c = getCondition(s, 'Progressing');
  if (!c) return false;
  if (c.reason === Reason.NewRSAvailable) return false;
  if (c.reason === Reason.TimedOut) return true;
  const from = Date.parse(String(c.lastUpdateTime ?? ''));
  if (Number.isNaN(from)) return false;
  return from + n(d.spec?.progressDeadlineSeconds) * 1000 < nowMs;
}
