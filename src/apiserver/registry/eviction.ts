/**
 * The pods/eviction subresource (upstream pkg/registry/core/pod/storage/eviction.go): a pod delete that honours
 * PodDisruptionBudgets. Pods that are Succeeded, Failed, Pending or already being deleted are deleted without looking
 * at budgets. Otherwise the one budget whose selector matches the pod (more than one: a 500 Status saying the
 * subresource does not support it) must allow a disruption: its status must be current (observedGeneration) and
 * disruptionsAllowed > 0, else 429 TooManyRequests with a DisruptionBudget cause; the server then decrements
 * disruptionsAllowed and records the pod in status.disruptedPods (retried on conflicts) before deleting. A pod that
 * is not ready is deleted without using the budget when the budget is healthy (IfHealthyBudget, the default) or its
 * unhealthyPodEvictionPolicy is AlwaysAllow, with a resourceVersion precondition so it cannot have become ready
 * meanwhile. Before the delete the pod gets the DisruptionTarget condition (EvictionByEvictionAPI). Dry runs check
 * and answer the same without writing.
 */
import { isPlainObject, type StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { labelSelectorAsSelector } from '../../api/selectors/label-selector-object';
import { StatusError, type StatusDetails } from '../../api/status';
import type { RegistryCore, WriteOptions } from './core';
import { deleteObject, parseDeleteOptions, type DeleteOptions } from './delete';
import { rfc3339 } from './meta';
import { guaranteedUpdate } from './update';

/** MaxDisruptedPodSize. */
export const MAX_DISRUPTED_POD_SIZE = 2000;
/** EvictionsRetry.Steps (upstream waits ~500 ms between attempts; KubeLab retries at once). */
const EVICTION_RETRIES = 20;
export const EVICTION_REFUSED = "Cannot evict pod as it would violate the pod's disruption budget.";
export const MULTIPLE_PDBS = 'This pod has more than one PodDisruptionBudget, which the eviction subresource does not support.';

export interface EvictionResult {
  status: number;
  body: Record<string, unknown>;
}

interface PdbStatus {
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  disruptionsAllowed?: number;
  currentHealthy?: number;
  desiredHealthy?: number;
  expectedPods?: number;
  conditions?: { type: string; status: string; observedGeneration?: number; lastTransitionTime?: string; reason: string; message: string }[];
}

type PodStatus = { phase?: string; conditions?: { type?: string; status?: string; reason?: string; message?: string; lastTransitionTime?: string; lastProbeTime?: string | null }[] };

const podStatus = (p: Readonly<StoredObject>) => (isPlainObject(p.status) ? p.status : {}) as PodStatus;
const isPodReady = (p: Readonly<StoredObject>) => podStatus(p).conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
const isTerminal = (p: Readonly<StoredObject>) => ['Succeeded', 'Failed'].includes(podStatus(p).phase ?? '');

/** canIgnorePDB. */
export function canIgnorePDB(p: Readonly<StoredObject>): boolean {
  return isTerminal(p) || podStatus(p).phase === 'Pending' || !!p.metadata.deletionTimestamp;
}

/** shouldEnforceResourceVersion. */
function shouldEnforceResourceVersion(p: Readonly<StoredObject>): boolean {
  return !isTerminal(p) && !p.metadata.deletionTimestamp;
}

function tooManyRequests(retryAfterSeconds: number, cause: string): StatusError {
  const details: StatusDetails = { causes: [{ reason: 'DisruptionBudget', message: cause }] };
  if (retryAfterSeconds > 0) details.retryAfterSeconds = retryAfterSeconds;
  return StatusError.make(429, 'TooManyRequests', EVICTION_REFUSED, details);
}

/** createTooManyRequestsError: the budget's status is not current yet. */
export function stillProcessing(pdbName: string): StatusError {
  return tooManyRequests(10, `The disruption budget ${pdbName} is still being processed by the server.`);
}

const PDB_QR = { group: 'policy', resource: 'poddisruptionbudget' };

/**
 * checkAndDecrement's decision, pure: throws the refusal, or returns the status to write (disruptionsAllowed one
 * less, the DisruptionAllowed condition updated when it reaches 0, the pod in disruptedPods unless dry run).
 */
export function decrementBudget(pdb: Readonly<StoredObject>, podName: string, now: number, dryRun: boolean): PdbStatus {
  const name = pdb.metadata.name ?? '';
  const st = (isPlainObject(pdb.status) ? structuredClone(pdb.status) : {}) as PdbStatus;
  if ((st.observedGeneration ?? 0) < (pdb.metadata.generation ?? 0)) throw stillProcessing(name);
  const allowed = st.disruptionsAllowed ?? 0;
  if (allowed < 0) throw StatusError.forbidden(PDB_QR, name, 'pdb disruptions allowed is negative');
  if (Object.keys(st.disruptedPods ?? {}).length > MAX_DISRUPTED_POD_SIZE) {
    throw StatusError.forbidden(PDB_QR, name, 'DisruptedPods map too big - too many evictions not confirmed by PDB controller');
  }
  if (allowed === 0) throw tooManyRequests(0, `The disruption budget ${name} needs ${st.desiredHealthy ?? 0} healthy pods and has ${st.currentHealthy ?? 0} currently`);
  st.disruptionsAllowed = allowed - 1;
  if (st.disruptionsAllowed === 0) insufficientPods(st, now);
  if (!dryRun) st.disruptedPods = { ...(st.disruptedPods ?? {}), [podName]: rfc3339(now) };
  return st;
}

/** UpdateDisruptionAllowedCondition for disruptionsAllowed 0 (apimeta.SetStatusCondition). */
function insufficientPods(st: PdbStatus, now: number): void {
  const conds = (st.conditions ??= []);
  const c = conds.find((x) => x.type === 'DisruptionAllowed');
  if (!c) {
    const added: (typeof conds)[number] = { type: 'DisruptionAllowed', status: 'False', lastTransitionTime: rfc3339(now), reason: 'InsufficientPods', message: '' };
    if (st.observedGeneration) added.observedGeneration = st.observedGeneration;
    conds.push(added);
    return;
  }
  if (c.status !== 'False') {
    c.status = 'False';
    c.lastTransitionTime = rfc3339(now);
  }
  c.reason = 'InsufficientPods';
  c.message = '';
  if (st.observedGeneration) c.observedGeneration = st.observedGeneration;
  else delete c.observedGeneration;
}

/** getPodDisruptionBudgets: the budgets of the pod's namespace whose (valid, non-nil) selector matches it. */
async function budgetsFor(core: RegistryCore, pdbR: ResourceInfo, pod: Readonly<StoredObject>): Promise<Readonly<StoredObject>[]> {
  await core.deps.router.sync();
  const out: Readonly<StoredObject>[] = [];
  for (const c of core.cache(pdbR).list(pod.metadata.namespace ?? '')) {
    try {
      if (labelSelectorAsSelector((c.obj.spec as { selector?: never } | undefined)?.selector).matches(pod.metadata.labels)) out.push(c.obj);
    } catch {
      // An invalid selector matches nothing.
    }
  }
  return out;
}

const isConflict = (e: unknown) => e instanceof StatusError && e.code === 409 && e.reason === 'Conflict';

export async function evictPod(core: RegistryCore, podR: ResourceInfo, ns: string, name: string, eviction: Readonly<StoredObject>, opts: WriteOptions): Promise<EvictionResult> {
  const body = (isPlainObject(eviction.deleteOptions) ? structuredClone(eviction.deleteOptions) : {}) as DeleteOptions & { dryRun?: string[] };
  const dryRun = opts.dryRun || (Array.isArray(body.dryRun) && body.dryRun.length > 0);
  delete body.dryRun;
  const original = parseDeleteOptions(body, new URLSearchParams());
  const rvUnset = !original.preconditions?.resourceVersion;
  const success: EvictionResult = { status: 201, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Success', code: 201 } };
  const qr = { group: podR.group, resource: podR.resource };
  let pod: Readonly<StoredObject> | undefined;
  for (let attempt = 0; ; attempt++) {
    const cur = await core.current(podR, ns, name);
    if (!cur) throw StatusError.notFound(qr, name);
    pod = cur.obj;
    if (!canIgnorePDB(pod)) break;
    const o = shouldEnforceResourceVersion(pod) && rvUnset ? withResourceVersion(original, pod) : original;
    try {
      await addConditionAndDelete(core, podR, ns, name, o, dryRun, opts);
      return success;
    } catch (e) {
      if (!(rvUnset && isConflict(e) && attempt + 1 < EVICTION_RETRIES)) throw e;
    }
  }
  const pdbR = core.deps.resources.get('policy', 'v1', 'poddisruptionbudgets');
  const pdbs = pdbR ? await budgetsFor(core, pdbR, pod) : [];
  if (pdbs.length > 1) return { status: 500, body: { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message: MULTIPLE_PDBS, code: 500 } };
  let pdbName = '';
  let unhealthyDelete = false;
  if (pdbs.length === 1 && pdbR) {
    let pdb = pdbs[0];
    pdbName = pdb.metadata.name ?? '';
    const st = (pdb.status ?? {}) as PdbStatus;
    const policy = (pdb.spec as { unhealthyPodEvictionPolicy?: string } | undefined)?.unhealthyPodEvictionPolicy;
    if (!isPodReady(pod) && (policy === 'AlwaysAllow' || ((st.currentHealthy ?? 0) >= (st.desiredHealthy ?? 0) && (st.desiredHealthy ?? 0) > 0))) {
      unhealthyDelete = true;
    } else {
      for (let attempt = 0; ; attempt++) {
        const next = decrementBudget(pdb, name, core.now(), dryRun);
        if (dryRun) break;
        try {
          await writeBudget(core, pdbR, pdb, next, opts);
          break;
        } catch (e) {
          // retry.RetryOnConflict: after the last attempt the conflict itself is the answer.
          if (!isConflict(e) || attempt + 1 >= EVICTION_RETRIES) throw e;
          const fresh = await core.current(pdbR, ns, pdbName);
          if (!fresh) throw StatusError.notFound({ group: pdbR.group, resource: pdbR.resource }, pdbName);
          pdb = fresh.obj;
        }
      }
    }
  }
  try {
    await addConditionAndDelete(core, podR, ns, name, unhealthyDelete ? withResourceVersion(original, pod) : original, dryRun, opts);
  } catch (e) {
    if (isConflict(e) && unhealthyDelete && rvUnset) throw stillProcessing(pdbName);
    throw e;
  }
  return success;
}

function withResourceVersion(o: DeleteOptions, pod: Readonly<StoredObject>): DeleteOptions {
  return { ...o, preconditions: { ...(o.preconditions ?? {}), resourceVersion: pod.metadata.resourceVersion } };
}

/** UpdateStatus of the budget read as `pdb` (409 Conflict when it changed since). */
async function writeBudget(core: RegistryCore, pdbR: ResourceInfo, pdb: Readonly<StoredObject>, status: PdbStatus, opts: WriteOptions): Promise<void> {
  const own: WriteOptions = { dryRun: false, fieldManager: opts.fieldManager, fieldValidation: 'Ignore', warnings: [] };
  await guaranteedUpdate(core, pdbR, pdb.metadata.namespace ?? '', pdb.metadata.name ?? '', 'status', own, () => {
    const next = core.copy(pdb);
    next.status = status;
    return { next, pinned: true };
  }, false);
}

/** addConditionAndDeletePod: DisruptionTarget=True (EvictionByEvictionAPI) on the latest pod, then the delete. */
async function addConditionAndDelete(core: RegistryCore, podR: ResourceInfo, ns: string, name: string, o: DeleteOptions, dryRun: boolean, opts: WriteOptions): Promise<void> {
  let options = o;
  if (!dryRun) {
    const res = await guaranteedUpdate(core, podR, ns, name, 'status', { ...opts, dryRun: false, warnings: [] }, (cur) => {
      const latest = core.copy(cur as StoredObject);
      const uid = o.preconditions?.uid;
      const qr = { group: '', resource: 'Pod' };
      if (uid && uid !== latest.metadata.uid) {
        throw StatusError.conflict(qr, name, `the UID in the precondition (${uid}) does not match the UID in record (${latest.metadata.uid ?? ''}). The object might have been deleted and then recreated`);
      }
      const rv = o.preconditions?.resourceVersion;
      if (rv && rv !== latest.metadata.resourceVersion) {
        throw StatusError.conflict(qr, name, `the ResourceVersion in the precondition (${rv}) does not match the ResourceVersion in record (${latest.metadata.resourceVersion ?? ''}). The object might have been modified`);
      }
      addDisruptionTarget(latest, core.now());
      return { next: latest, pinned: false };
    }, false);
    if (o.preconditions?.resourceVersion) options = { ...o, preconditions: { ...o.preconditions, resourceVersion: res.obj.metadata.resourceVersion } };
  }
  await deleteObject(core, podR, ns, name, options, dryRun, opts.user);
}

/** podutil.UpdatePodCondition with the eviction's DisruptionTarget condition. */
function addDisruptionTarget(pod: StoredObject, now: number): void {
  const st = (isPlainObject(pod.status) ? pod.status : (pod.status = {})) as PodStatus;
  const conds = (st.conditions ??= []);
  const i = conds.findIndex((c) => c.type === 'DisruptionTarget');
  const c = { type: 'DisruptionTarget', status: 'True', lastProbeTime: null, lastTransitionTime: rfc3339(now), reason: 'EvictionByEvictionAPI', message: 'Eviction API: evicting' };
  if (i < 0) conds.push(c);
  else {
    if (conds[i].status === 'True' && conds[i].lastTransitionTime) c.lastTransitionTime = conds[i].lastTransitionTime!;
    conds[i] = c;
  }
}
