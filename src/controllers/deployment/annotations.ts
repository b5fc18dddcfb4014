/**
 * Revision bookkeeping on a Deployment's ReplicaSets (upstream deployment_util.go): the new ReplicaSet carries the
 * Deployment's annotations (all but last-applied-configuration and the controller's own), the revision number
 * (`deployment.kubernetes.io/revision`, raised to max(old)+1 when it is lower; a ReplicaSet rolled back to keeps its
 * earlier numbers in `revision-history`, comma-separated, cut to 2000 characters), and the desired / max replicas
 * the Deployment had when it last scaled it (`desired-replicas`, `max-replicas`), which tell scaling events from
 * rollouts. Functions here change the object they are given (a copy) and say whether they changed anything.
 */
import { maxSurge } from './fenceposts';
import {
  DEPRECATED_ROLLBACK_TO,
  DESIRED_REPLICAS_ANNOTATION,
  LAST_APPLIED_ANNOTATION,
  MAX_REPLICAS_ANNOTATION,
  REVISION_ANNOTATION,
  REVISION_HISTORY_ANNOTATION,
  specReplicas,
  type Deployment,
  type ReplicaSet,
} from './types';

const SKIPPED = new Set([LAST_APPLIED_ANNOTATION, REVISION_ANNOTATION, REVISION_HISTORY_ANNOTATION, DESIRED_REPLICAS_ANNOTATION, MAX_REPLICAS_ANNOTATION, DEPRECATED_ROLLBACK_TO]);

/** Annotations the controller never copies between a Deployment and its ReplicaSets (annotationsToSkip). */
export function skipCopyAnnotation(key: string): boolean {
  return SKIPPED.has(key);
}

type Annotated = { metadata?: { annotations?: Record<string, string> } };

function annotationsFor(o: Annotated): Record<string, string> {
  o.metadata ??= {};
  o.metadata.annotations ??= {};
  return o.metadata.annotations;
}

/** copyDeploymentAnnotationsToReplicaSet. */
export function copyDeploymentAnnotations(d: Deployment, rs: ReplicaSet): boolean {
  const target = annotationsFor(rs);
  let changed = false;
  for (const [k, v] of Object.entries(d.metadata?.annotations ?? {})) {
    if (skipCopyAnnotation(k) || target[k] === v) continue;
    target[k] = v;
    changed = true;
  }
  return changed;
}

/** SetReplicasAnnotations. */
export function setReplicasAnnotations(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = annotationsFor(rs);
  let changed = false;
  if (a[DESIRED_REPLICAS_ANNOTATION] !== String(desired)) {
    a[DESIRED_REPLICAS_ANNOTATION] = String(desired);
    changed = true;
  }
  if (a[MAX_REPLICAS_ANNOTATION] !== String(max)) {
    a[MAX_REPLICAS_ANNOTATION] = String(max);
    changed = true;
  }
  return changed;
}

/** ReplicasAnnotationsNeedUpdate. */
export function replicasAnnotationsNeedUpdate(rs: ReplicaSet, desired: number, max: number): boolean {
  const a = rs.metadata?.annotations;
  if (!a) return true;
  return a[DESIRED_REPLICAS_ANNOTATION] !== String(desired) || a[MAX_REPLICAS_ANNOTATION] !== String(max);
}

const INT = /^[+-]?\d+$/;

/**
 * SetNewReplicaSetAnnotations: copies the Deployment's annotations, raises the revision to `newRevision` when lower
 * (remembering the old one in revision-history when it had one), and, for a ReplicaSet about to be created, sets
 * the replicas annotations.
 */
export function setNewReplicaSetAnnotations(d: Deployment, rs: ReplicaSet, newRevision: string, exists: boolean, historyLimitChars: number): boolean {
  let changed = copyDeploymentAnnotations(d, rs);
  const a = annotationsFor(rs);
  const oldRevision = a[REVISION_ANNOTATION];
  const had = oldRevision !== undefined;
  let oldInt = 0;
  if (had && oldRevision !== '') {
    if (!INT.test(oldRevision)) return false;
    oldInt = Number.parseInt(oldRevision, 10);
  }
  if (!INT.test(newRevision)) return false;
  const newInt = Number.parseInt(newRevision, 10);
  if (oldInt < newInt) {
    a[REVISION_ANNOTATION] = newRevision;
    changed = true;
  }
  if (had && oldInt < newInt) {
    const history = a[REVISION_HISTORY_ANNOTATION] ?? '';
    const olds = history.split(',');
    if (olds[0].length === 0) {
      a[REVISION_HISTORY_ANNOTATION] = oldRevision;
    } else {
      let total = history.length + oldRevision.length + 1;
      let start = 0;
      while (total > historyLimitChars && start < olds.length) {
        total -= olds[start].length + 1;
        start++;
      }
      if (total <= historyLimitChars) a[REVISION_HISTORY_ANNOTATION] = [...olds.slice(start), oldRevision].join(',');
    }
  }
  if (!exists && setReplicasAnnotations(rs, specReplicas(d), specReplicas(d) + maxSurge(d))) changed = true;
  return changed;
}

/** SetDeploymentRevision. */
export function setDeploymentRevision(d: Deployment, revision: string): boolean {
  const a = annotationsFor(d);
  if (a[REVISION_ANNOTATION] === revision) return false;
  a[REVISION_ANNOTATION] = revision;
  return true;
}
