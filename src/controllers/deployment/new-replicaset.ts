/**
 * Finding or creating a Deployment's new ReplicaSet (upstream getAllReplicaSetsAndSyncRevision / getNewReplicaSet).
 * An existing new ReplicaSet gets the Deployment's annotations, revision max(old)+1 and minReadySeconds; the
 * Deployment gets that revision (and, with a deadline and no Progressing condition, FoundNewReplicaSet). A missing
 * one is created when asked: name `<deployment>-<pod-template-hash>`, the hash label added to its template, labels
 * and selector, owned by the Deployment, sized by NewRSNewReplicas; the Deployment then gets NewReplicaSetCreated
 * and the event `Scaled up replica set <rs> to <n>`. A name taken by a different template bumps collisionCount and
 * fails the sync (it is retried under the next name); other create errors set ReplicaSetCreateError.
 */
import { isAlreadyExists, isNamespaceTerminating } from '../framework/api-client';
import { controllerRefOf, newControllerRef } from '../framework/controller-ref';
import { R } from '../framework/resources';
import { setDeploymentRevision, setNewReplicaSetAnnotations } from './annotations';
import { getCondition, hasProgressDeadline, newCondition, setCondition } from './conditions';
import { newRSNewReplicas } from './fenceposts';
import { computeHash } from './hash';
import { equalIgnoreHash, findNewReplicaSet, findOldReplicaSets, maxRevision } from './replicasets';
import { APPS_V1, DEPLOYMENT_KIND, MAX_REV_HISTORY_LENGTH_IN_CHARS, POD_TEMPLATE_HASH, Reason, REVISION_ANNOTATION, type ReplicaSet } from './types';
import type { Work } from './work';

export interface ReplicaSets {
  newRS: ReplicaSet | undefined;
  oldRSs: ReplicaSet[];
}

export async function getAllReplicaSetsAndSyncRevision(w: Work, rsList: readonly ReplicaSet[], create: boolean): Promise<ReplicaSets> {
  const [, oldRSs] = findOldReplicaSets(w.d, rsList);
  const newRS = await getNewReplicaSet(w, rsList, oldRSs, create);
  return { newRS, oldRSs };
}

async function syncExisting(w: Work, existing: ReplicaSet, newRevision: string): Promise<ReplicaSet> {
  const d = w.d;
  const rs = structuredClone(existing) as ReplicaSet;
  const annotationsUpdated = setNewReplicaSetAnnotations(d, rs, newRevision, true, MAX_REV_HISTORY_LENGTH_IN_CHARS);
  const minReady = d.spec?.minReadySeconds ?? 0;
  if (annotationsUpdated || (rs.spec?.minReadySeconds ?? 0) !== minReady) {
    rs.spec = { ...rs.spec!, minReadySeconds: minReady };
    return (await w.env.client.update(R.replicasets, w.namespace, rs as Record<string, unknown>)) as ReplicaSet;
  }
  let needsUpdate = setDeploymentRevision(d, rs.metadata?.annotations?.[REVISION_ANNOTATION] ?? '');
  if (hasProgressDeadline(d) && !getCondition(d.status, 'Progressing')) {
    setCondition(d.status!, newCondition('Progressing', 'True', Reason.FoundNewRS, `Found new replica set ${JSON.stringify(rs.metadata?.name ?? '')}`, w.now()));
    needsUpdate = true;
  }
  if (needsUpdate) await w.writeStatus();
  return rs;
}

export async function getNewReplicaSet(w: Work, rsList: readonly ReplicaSet[], oldRSs: readonly ReplicaSet[], create: boolean): Promise<ReplicaSet | undefined> {
  const d = w.d;
  const existing = findNewReplicaSet(d, rsList);
  const newRevision = String(maxRevision(oldRSs) + 1);
  if (existing) return syncExisting(w, existing, newRevision);
  if (!create) return undefined;

  const template = structuredClone(d.spec!.template);
  const hash = computeHash(d.spec!.template, d.status?.collisionCount);
  template.metadata = { ...template.metadata, labels: { ...(template.metadata?.labels ?? {}), [POD_TEMPLATE_HASH]: hash } };
  const selector = structuredClone(d.spec!.selector);
  selector.matchLabels = { ...(selector.matchLabels ?? {}), [POD_TEMPLATE_HASH]: hash };
  const name = `${String(d.metadata?.name ?? '')}-${hash}`;
  const rs: ReplicaSet = {
    apiVersion: APPS_V1,
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: w.namespace,
      ownerReferences: [newControllerRef(d as Record<string, unknown>, APPS_V1, DEPLOYMENT_KIND)],
      labels: { ...template.metadata.labels },
    },
    spec: { replicas: 0, minReadySeconds: d.spec?.minReadySeconds ?? 0, selector, template },
  };
  const replicas = newRSNewReplicas(d, [...oldRSs, rs], rs);
  rs.spec!.replicas = replicas;
  setNewReplicaSetAnnotations(d, rs, newRevision, false, MAX_REV_HISTORY_LENGTH_IN_CHARS);

  let created: ReplicaSet;
  let alreadyExists = false;
  try {
    created = (await w.env.client.create(R.replicasets, w.namespace, rs as Record<string, unknown>)) as ReplicaSet;
  } catch (e) {
    if (isAlreadyExists(e)) {
      const found = w.env.rsLister.get(w.namespace, name) as ReplicaSet | undefined;
      if (!found) throw e;
      const ref = controllerRefOf(found as Record<string, unknown>);
      if (ref && ref.uid === d.metadata?.uid && equalIgnoreHash(d.spec?.template, found.spec?.template)) {
        created = found;
        alreadyExists = true;
      } else {
        // A hash collision: the next sync tries the next name.
        d.status!.collisionCount = (d.status?.collisionCount ?? 0) + 1;
        await w.writeStatus();
        throw e;
      }
    } else if (isNamespaceTerminating(e)) {
      throw e;
    } else {
      const msg = `Failed to create new replica set ${JSON.stringify(name)}: ${(e as Error).message}`;
      if (hasProgressDeadline(d)) {
        setCondition(d.status!, newCondition('Progressing', 'False', Reason.FailedRSCreate, msg, w.now()));
        await w.writeStatus().catch(() => undefined);
      }
      w.event('Warning', Reason.FailedRSCreate, msg);
      throw e;
    }
  }
  if (!alreadyExists && replicas > 0) w.event('Normal', 'ScalingReplicaSet', `Scaled up replica set ${String(created.metadata?.name ?? '')} to ${replicas}`);
  let needsUpdate = setDeploymentRevision(d, newRevision);
  if (!alreadyExists && hasProgressDeadline(d)) {
    setCondition(d.status!, newCondition('Progressing', 'True', Reason.NewReplicaSet, `Created new replica set ${JSON.stringify(created.metadata?.name ?? '')}`, w.now()));
    needsUpdate = true;
  }
  if (needsUpdate) await w.writeStatus();
  return created;
}
