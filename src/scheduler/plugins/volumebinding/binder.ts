/**
 * The scheduler's volume binder (upstream volumebinding binder.go SchedulerVolumeBinder, 1.32):
 * - getPodVolumeClaims: a pod's claims split into fully bound, unbound WaitForFirstConsumer (with the PVs of their
 *   classes) and unbound Immediate (including pre-bound by volumeName) ones;
 * - findPodVolumes (Filter, per node): bound claims' PVs must exist and admit the node; unbound claims get the
 *   smallest matching PV (static binding) or else dynamic provisioning (a class with a real provisioner whose
 *   allowedTopologies admit the node); a claim whose selected-node names another node rules the node out; the
 *   conflict reasons are upstream's strings;
 * - assumePodVolumes (Reserve) / revertAssumedPodVolumes (Unreserve) on the PV/PVC assume caches;
 * - bindPodVolumes (PreBind): writes each PV's claimRef and each claim's `volume.kubernetes.io/selected-node`
 *   through the API, then waits (checked every second on the clock, and on every PV/PVC informer change) until
 *   every claim is fully bound, failing when the pod is gone, a claimRef or the selected-node annotation is reset
 *   (provisioning failed), a PV's node affinity rejects the node, or after `bindTimeoutMs`.
 * CSI storage capacity (CSIStorageCapacity) and in-tree→CSI translation are not modelled: capacity is always enough.
 */
import type { Clock } from '../../../base/clock';
import type { Lister } from '../../../client/informers';
import type { ApiClient } from '../../../controllers/framework/api-client';
import { R } from '../../../controllers/framework/resources';
import type { Node, Pod } from '../../framework';
import { AssumeCache } from './assume-cache';
import { waitForBindings } from './wait-bindings';
import { bindVolumeToClaim, checkNodeAffinity, findMatchingVolume, matchTopologySelectorTerms, requestedStorage } from './volume-match';
import { asClass, claimClassName, ephemeralVolumeIsForPod, podClaimRefs, rvNumber, volumeClassName, type PersistentVolume, type PersistentVolumeClaim } from './volume-types';

export const ERR_REASON_BIND_CONFLICT = "node(s) didn't find available persistent volumes to bind";
export const ERR_REASON_NODE_CONFLICT = 'node(s) had volume node affinity conflict';
export const ERR_REASON_NOT_ENOUGH_SPACE = 'node(s) did not have enough free storage';
export const ERR_REASON_PV_NOT_EXIST = 'node(s) unavailable due to one or more pvc(s) bound to non-existent pv(s)';
export const ANN_SELECTED_NODE = 'volume.kubernetes.io/selected-node';
const ANN_BIND_COMPLETED = 'pv.kubernetes.io/bind-completed';
const NOT_SUPPORTED_PROVISIONER = 'kubernetes.io/no-provisioner';

export interface PodVolumeClaims {
  boundClaims: PersistentVolumeClaim[];
  unboundClaimsDelayBinding: PersistentVolumeClaim[];
  unboundClaimsImmediate: PersistentVolumeClaim[];
  /** Class name → the (latest) PVs of that class. */
  unboundVolumesDelayBinding: Map<string, PersistentVolume[]>;
}

export interface BindingInfo {
  pv: PersistentVolume;
  pvc: PersistentVolumeClaim;
}

export interface PodVolumes {
  staticBindings: BindingInfo[];
  dynamicProvisions: PersistentVolumeClaim[];
}

export interface VolumeBinderOptions {
  pvcs: Lister;
  pvs: Lister;
  classes: Lister;
  nodes: Lister;
  pods: Lister;
  client: ApiClient;
  clock: Clock;
  bindTimeoutMs: number;
  /** Fallback node lookup (the scheduler's snapshot) when the nodes lister misses. */
  nodeByName?: (name: string) => Node | undefined;
}

const pvcKey = (c: { metadata?: { namespace?: string; name?: string } }) => `${c.metadata?.namespace ?? ''}/${c.metadata?.name ?? ''}`;
const isFullyBound = (c: PersistentVolumeClaim) => !!c.spec?.volumeName && Object.prototype.hasOwnProperty.call(c.metadata?.annotations ?? {}, ANN_BIND_COMPLETED);

export class VolumeBinder {
  readonly pvCache: AssumeCache<PersistentVolume>;
  readonly pvcCache: AssumeCache<PersistentVolumeClaim>;
  private readonly waiters = new Set<() => void>();

  constructor(private readonly o: VolumeBinderOptions) {
    this.pvCache = new AssumeCache(o.pvs, 'v1.PersistentVolume');
    this.pvcCache = new AssumeCache(o.pvcs, 'v1.PersistentVolumeClaim');
  }

  /** A PV or PVC changed: re-check pending bindings now. */
  notify(): void {
    for (const w of [...this.waiters]) w();
  }

  /** isDelayBindingMode (component-helpers): a missing class is not delayed; a class without a mode is an error. */
  private isDelayBinding(claim: PersistentVolumeClaim): boolean {
    const name = claimClassName(claim);
    if (!name) return false;
    const cls = this.o.classes.get('', name);
    if (!cls) return false;
    const mode = asClass(cls).volumeBindingMode;
    if (mode === undefined) throw new Error(`VolumeBindingMode not set for StorageClass "${name}"`);
    return mode === 'WaitForFirstConsumer';
  }

  /** isVolumeBound for each claim of the pod: [fully bound, the latest claim]; throws when a claim is missing. */
  private claimStates(pod: Pod): { bound: boolean; pvc: PersistentVolumeClaim }[] {
    const ns = String(pod.metadata?.namespace ?? '');
    return podClaimRefs(pod).map((ref) => {
      const key = `${ns}/${ref.name}`;
      const pvc = this.pvcCache.get(key);
      if (!pvc) throw new Error(`error getting PVC "${key}": could not find v1.PersistentVolumeClaim "${key}"`);
      if (ref.ephemeral) {
        const why = ephemeralVolumeIsForPod(pod, pvc);
        if (why) throw new Error(why);
      }
      return { bound: isFullyBound(pvc), pvc };
    });
  }

  getPodVolumeClaims(pod: Pod): PodVolumeClaims {
    const out: PodVolumeClaims = { boundClaims: [], unboundClaimsDelayBinding: [], unboundClaimsImmediate: [], unboundVolumesDelayBinding: new Map() };
    for (const { bound, pvc } of this.claimStates(pod)) {
      if (bound) out.boundClaims.push(pvc);
      else if (this.isDelayBinding(pvc) && !pvc.spec?.volumeName) out.unboundClaimsDelayBinding.push(pvc);
      else out.unboundClaimsImmediate.push(pvc);
    }
    for (const pvc of out.unboundClaimsDelayBinding) {
      const cls = claimClassName(pvc);
      if (!out.unboundVolumesDelayBinding.has(cls)) out.unboundVolumesDelayBinding.set(cls, this.pvCache.list((v) => volumeClassName(v) === cls));
    }
    return out;
  }

  /** FindPodVolumes: what binding the pod's claims on `node` would take, or why it cannot. Throws on errors. */
  findPodVolumes(claims: PodVolumeClaims, node: Node): { podVolumes: PodVolumes; reasons: string[] } {
    const nodeName = String(node.metadata?.name ?? '');
    const labels = (node.metadata?.labels ?? {}) as Record<string, string>;
    const podVolumes: PodVolumes = { staticBindings: [], dynamicProvisions: [] };
    let unboundOk = true;
    let boundOk = true;
    let sufficientStorage = true;
    let boundPVsFound = true;
    const reasons = () => {
      const r: string[] = [];
      if (!boundOk) r.push(ERR_REASON_NODE_CONFLICT);
      if (!unboundOk) r.push(ERR_REASON_BIND_CONFLICT);
      if (!sufficientStorage) r.push(ERR_REASON_NOT_ENOUGH_SPACE);
      if (!boundPVsFound) r.push(ERR_REASON_PV_NOT_EXIST);
      return { podVolumes, reasons: r };
    };
    for (const pvc of claims.boundClaims) {
      const pv = this.pvCache.get(pvc.spec?.volumeName ?? '');
      if (!pv) {
        boundPVsFound = false;
        break;
      }
      if (checkNodeAffinity(pv, labels) !== undefined) {
        boundOk = false;
        break;
      }
    }
    if (claims.unboundClaimsDelayBinding.length === 0) return reasons();
    const toMatch: PersistentVolumeClaim[] = [];
    const toProvision: PersistentVolumeClaim[] = [];
    for (const claim of claims.unboundClaimsDelayBinding) {
      const annotations = claim.metadata?.annotations ?? {};
      if (Object.prototype.hasOwnProperty.call(annotations, ANN_SELECTED_NODE)) {
        if (annotations[ANN_SELECTED_NODE] !== nodeName) {
          unboundOk = false;
          return reasons();
        }
        toProvision.push(claim);
      } else toMatch.push(claim);
    }
    if (toMatch.length > 0) {
      // Smallest requests first, so each gets the smallest fitting volume (stable for equal sizes).
      const sorted = [...toMatch].sort((a, b) => requestedStorage(a).cmp(requestedStorage(b)));
      const chosen = new Set<string>();
      for (const pvc of sorted) {
        const pv = findMatchingVolume(pvc, claims.unboundVolumesDelayBinding.get(claimClassName(pvc)) ?? [], labels, chosen);
        if (!pv) {
          toProvision.push(pvc);
          unboundOk = false;
          continue;
        }
        chosen.add(pv.metadata?.name ?? '');
        podVolumes.staticBindings.push({ pv, pvc });
      }
    }
    if (toProvision.length > 0) {
      const r = this.checkVolumeProvisions(toProvision, labels);
      unboundOk = r.satisfied;
      sufficientStorage = r.sufficientStorage;
      podVolumes.dynamicProvisions = r.provisions;
    }
    return reasons();
  }

  private checkVolumeProvisions(claims: PersistentVolumeClaim[], labels: Record<string, string>): { satisfied: boolean; sufficientStorage: boolean; provisions: PersistentVolumeClaim[] } {
    for (const claim of claims) {
      const className = claimClassName(claim);
      if (!className) throw new Error(`no class for claim "${pvcKey(claim)}"`);
      const cached = this.o.classes.get('', className);
      if (!cached) throw new Error(`failed to find storage class "${className}"`);
      const cls = asClass(cached);
      if (!cls.provisioner || cls.provisioner === NOT_SUPPORTED_PROVISIONER) return { satisfied: false, sufficientStorage: true, provisions: [] };
      if (!matchTopologySelectorTerms(cls.allowedTopologies, labels)) return { satisfied: false, sufficientStorage: true, provisions: [] };
    }
    return { satisfied: true, sufficientStorage: true, provisions: [...claims] };
  }

  /** AssumePodVolumes: true when every claim is already fully bound (nothing to do in PreBind). */
  assumePodVolumes(pod: Pod, nodeName: string, podVolumes: PodVolumes): boolean {
    if (this.claimStates(pod).every((s) => s.bound)) return true;
    const bindings: BindingInfo[] = [];
    const provisioned: PersistentVolumeClaim[] = [];
    try {
      for (const b of podVolumes.staticBindings) {
        const { pv, dirty } = bindVolumeToClaim(b.pv, b.pvc);
        if (dirty) this.pvCache.assume(pv);
        bindings.push({ pv, pvc: b.pvc });
      }
      for (const claim of podVolumes.dynamicProvisions) {
        const clone = structuredClone(claim) as PersistentVolumeClaim;
        clone.metadata = { ...clone.metadata, annotations: { ...(clone.metadata?.annotations ?? {}), [ANN_SELECTED_NODE]: nodeName } };
        this.pvcCache.assume(clone);
        provisioned.push(clone);
      }
    } catch (e) {
      this.revertAssumedPodVolumes({ staticBindings: bindings, dynamicProvisions: provisioned });
      throw e;
    }
    podVolumes.staticBindings = bindings;
    podVolumes.dynamicProvisions = provisioned;
    return false;
  }

  revertAssumedPodVolumes(podVolumes: PodVolumes): void {
    for (const b of podVolumes.staticBindings) this.pvCache.restore(b.pv.metadata?.name ?? '');
    for (const c of podVolumes.dynamicProvisions) this.pvcCache.restore(pvcKey(c));
  }

  /** BindPodVolumes: API updates, then wait until the PV controller (and provisioner) finished. */
  async bindPodVolumes(pod: Pod, nodeName: string, podVolumes: PodVolumes): Promise<void> {
    await this.bindAPIUpdate(podVolumes);
    await waitForBindings(this.o.clock, this.waiters, this.o.bindTimeoutMs, () => this.checkBindings(pod, nodeName, podVolumes));
  }

  private async bindAPIUpdate(pv: PodVolumes): Promise<void> {
    let doneBindings = 0;
    let doneProvisions = 0;
    try {
      for (const b of pv.staticBindings) {
        b.pv = (await this.o.client.update(R.persistentvolumes, '', b.pv as never)) as PersistentVolume;
        doneBindings++;
      }
      for (let i = 0; i < pv.dynamicProvisions.length; i++) {
        const c = pv.dynamicProvisions[i];
        pv.dynamicProvisions[i] = (await this.o.client.update(R.persistentvolumeclaims, c.metadata?.namespace ?? '', c as never)) as PersistentVolumeClaim;
        doneProvisions++;
      }
    } finally {
      this.revertAssumedPodVolumes({ staticBindings: pv.staticBindings.slice(doneBindings), dynamicProvisions: pv.dynamicProvisions.slice(doneProvisions) });
    }
  }

  /** checkBindings: true when all done; throws when binding must be retried by scheduling again. */
  checkBindings(pod: Pod, nodeName: string, pv: PodVolumes): boolean {
    const node = (this.o.nodes.get('', nodeName) as Node | undefined) ?? this.o.nodeByName?.(nodeName);
    if (!node) throw new Error(`failed to get node "${nodeName}": node "${nodeName}" not found`);
    const labels = (node.metadata?.labels ?? {}) as Record<string, string>;
    const podName = String(pod.metadata?.name ?? '');
    if (!this.o.pods.get(String(pod.metadata?.namespace ?? ''), podName)) throw new Error(`pod does not exist any more: pod "${podName}" not found`);
    for (const b of pv.staticBindings) {
      const name = b.pv.metadata?.name ?? '';
      const apiPV = this.pvCache.getAPI(name);
      if (!apiPV) throw new Error(`failed to check binding: could not find v1.PersistentVolume "${name}"`);
      const apiPVC = this.pvcCache.getAPI(pvcKey(b.pvc));
      if (!apiPVC) throw new Error(`failed to check binding: could not find v1.PersistentVolumeClaim "${pvcKey(b.pvc)}"`);
      if (rvNumber(b.pv) > rvNumber(apiPV)) return false;
      const aff = checkNodeAffinity(apiPV, labels);
      if (aff) throw new Error(`pv "${name}" node affinity doesn't match node "${nodeName}": ${aff}`);
      if (!apiPV.spec?.claimRef?.uid) throw new Error(`ClaimRef got reset for pv "${name}"`);
      if (!isFullyBound(apiPVC)) return false;
    }
    for (const claim of pv.dynamicProvisions) {
      const apiPVC = this.pvcCache.getAPI(pvcKey(claim));
      if (!apiPVC) throw new Error(`failed to check provisioning pvc: could not find v1.PersistentVolumeClaim "${pvcKey(claim)}"`);
      if (rvNumber(claim) > rvNumber(apiPVC)) return false;
      const ann = apiPVC.metadata?.annotations;
      if (!ann) throw new Error(`selectedNode annotation reset for PVC "${apiPVC.metadata?.name ?? ''}"`);
      if (ann[ANN_SELECTED_NODE] !== nodeName) throw new Error(`provisioning failed for PVC "${apiPVC.metadata?.name ?? ''}"`);
      const volumeName = apiPVC.spec?.volumeName;
      if (volumeName) {
        const apiPV = this.pvCache.getAPI(volumeName);
        if (!apiPV) return false;
        const aff = checkNodeAffinity(apiPV, labels);
        if (aff) throw new Error(`pv "${volumeName}" node affinity doesn't match node "${nodeName}": ${aff}`);
      }
      if (!isFullyBound(apiPVC)) return false;
    }
    return true;
  }
}
