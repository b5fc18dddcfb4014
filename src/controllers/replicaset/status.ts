/**
 * ReplicaSet / ReplicationController status (upstream replica_set_utils.go): replicas (active pods the owner
 * controls), fullyLabeledReplicas (those whose labels include every template label), readyReplicas,
 * availableReplicas (ready for minReadySeconds), observedGeneration, and the ReplicaFailure condition (FailedCreate
 * / FailedDelete with the error) while manageReplicas fails. Written through the status subresource only when it
 * changed; a Conflict is retried once against a fresh copy.
 */
import { isDeepStrictEqual } from 'node:util';
import type { CachedObject } from '../../client/informers';
import { isConflict, type ApiClient, type Obj } from '../framework/api-client';
import { availableAt, fullyLabeled, podFacts, templateEntries } from '../framework/pod-facts';
import { replicaSpec, type ReplicaKind } from './kinds';

export interface ReplicaStatus {
  replicas: number;
  fullyLabeledReplicas: number;
  readyReplicas: number;
  availableReplicas: number;
  observedGeneration?: number;
  conditions?: Condition[];
}

interface Condition {
  type: string;
  status: string;
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export function calculateStatus(owner: CachedObject, pods: readonly CachedObject[], manageError: unknown, diff: number, now: number): ReplicaStatus {
  const spec = replicaSpec(owner);
  const template = templateEntries(spec.template?.metadata?.labels);
  let fully = 0;
  let ready = 0;
  let available = 0;
  for (const p of pods) {
    const f = podFacts(p);
    if (fullyLabeled(f, template)) fully++;
    if (f.ready) {
      ready++;
      if (availableAt(f, spec.minReadySeconds, now)) available++;
    }
  }
  const prev = ((owner.status ?? {}) as { conditions?: Condition[] }).conditions ?? [];
  let conditions = prev.map((c) => ({ ...c }));
  const failure = conditions.find((c) => c.type === 'ReplicaFailure');
  if (manageError !== undefined && !failure) {
    conditions.push({
      type: 'ReplicaFailure',
      status: 'True',
      lastTransitionTime: rfc3339(now),
      reason: diff < 0 ? 'FailedCreate' : 'FailedDelete',
      message: manageError instanceof Error ? manageError.message : String(manageError),
    });
  } else if (manageError === undefined && failure) {
    conditions = conditions.filter((c) => c.type !== 'ReplicaFailure');
  }
  const status: ReplicaStatus = { replicas: pods.length, fullyLabeledReplicas: fully, readyReplicas: ready, availableReplicas: available };
  if (conditions.length > 0) status.conditions = conditions;
  return status;
}

function comparable(s: Partial<ReplicaStatus> | undefined): ReplicaStatus {
  return {
    replicas: s?.replicas ?? 0,
    fullyLabeledReplicas: s?.fullyLabeledReplicas ?? 0,
    readyReplicas: s?.readyReplicas ?? 0,
    availableReplicas: s?.availableReplicas ?? 0,
    conditions: s?.conditions && s.conditions.length > 0 ? s.conditions : undefined,
  };
}

/** Writes the status when it or the observed generation changed; returns the status now in effect. */
export async function updateStatusIfChanged(client: ApiClient, kind: ReplicaKind, owner: CachedObject, status: ReplicaStatus): Promise<ReplicaStatus> {
  const generation = Number(owner.metadata?.generation ?? 0);
  const cur = owner.status as Partial<ReplicaStatus> | undefined;
  if (isDeepStrictEqual(comparable(cur), comparable(status)) && cur?.observedGeneration === generation) return status;
  let target: Obj = owner as Obj;
  for (let attempt = 0; ; attempt++) {
    const next = { ...structuredClone(target), status: { ...status, observedGeneration: Number(target.metadata?.generation ?? generation) } };
    try {
      await client.updateStatus(kind.resource, String(owner.metadata?.namespace ?? ''), next);
      return status;
    } catch (e) {
      if (!isConflict(e) || attempt >= 1) throw e;
      target = await client.get(kind.resource, String(owner.metadata?.namespace ?? ''), String(owner.metadata?.name ?? ''));
      if (target.metadata?.uid !== owner.metadata?.uid) return status;
    }
  }
}
