/**
 * VolumeRestrictions (upstream plugins/volumerestrictions, 1.32). Filter rejects a node where an existing pod mounts
 * the same GCE PD (unless both read-only), AWS EBS volume, RBD image (overlapping monitors, same pool and image,
 * unless both read-only) or iSCSI IQN (unless both read-only): "node(s) had no available disk". PreFilter finds the
 * pod's claims with the ReadWriteOncePod access mode and counts those already used by a scheduled pod (snapshot
 * isPVCUsedByPods); any such use rejects every node ("node has pod using PersistentVolumeClaim with the same name and
 * ReadWriteOncePod access mode", Unschedulable so preemption may free it; AddPod/RemovePod keep the count for
 * preemption dry-runs). A missing claim is UnschedulableAndUnresolvable with Go's NotFound text. PreFilter returns
 * Skip when the pod has neither conflict-checked volumes nor in-use RWOP claims.
 */
import type { Volume } from 'kubernetes-types/core/v1';
import type { Lister } from '../../client/informers';
import { R } from '../../controllers/framework/resources';
import {
  Status,
  type ClusterEventWithHint,
  type CycleState,
  type EnqueueExtensions,
  type FilterPlugin,
  type Handle,
  type NodeInfo,
  type Pod,
  type PodInfo,
  type PluginFactory,
  type PreFilterExtensions,
  type PreFilterPlugin,
  type PreFilterResult,
  type StateData,
} from '../framework';
import { asCorePod, asPVC, notFoundMessage } from './volumebinding/volume-types';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'VolumeRestrictions';
const STATE_KEY = `PreFilter${NAME}`;

export const ERR_REASON_DISK_CONFLICT = 'node(s) had no available disk';
export const ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT = 'node has pod using PersistentVolumeClaim with the same name and ReadWriteOncePod access mode';

class PreFilterState implements StateData {
  constructor(
    readonly readWriteOncePodPVCs: ReadonlySet<string>,
    public conflictingPVCRefCount: number,
  ) {}

  clone(): PreFilterState {
    return new PreFilterState(this.readWriteOncePodPVCs, this.conflictingPVCRefCount);
  }

  updateWithPod(info: PodInfo, multiplier: 1 | -1): void {
    let n = 0;
    for (const v of asCorePod(info.pod).spec?.volumes ?? []) {
      if (v.persistentVolumeClaim && this.readWriteOncePodPVCs.has(v.persistentVolumeClaim.claimName)) n++;
    }
    this.conflictingPVCRefCount += multiplier * n;
  }
}

function needsRestrictionsCheck(v: Volume): boolean {
  return !!(v.gcePersistentDisk || v.awsElasticBlockStore || v.rbd || v.iscsi);
}

function haveOverlap(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  const s = new Set(a ?? []);
  return (b ?? []).some((x) => s.has(x));
}

/** isVolumeConflict: `volume` (of the incoming pod) conflicts with one of `pod`'s volumes. */
export function isVolumeConflict(volume: Volume, pod: Pod): boolean {
  for (const ev of asCorePod(pod).spec?.volumes ?? []) {
    if (volume.gcePersistentDisk && ev.gcePersistentDisk) {
      const d = volume.gcePersistentDisk;
      const e = ev.gcePersistentDisk;
      if (d.pdName === e.pdName && !(d.readOnly && e.readOnly)) return true;
    }
    if (volume.awsElasticBlockStore && ev.awsElasticBlockStore) {
      if (volume.awsElasticBlockStore.volumeID === ev.awsElasticBlockStore.volumeID) return true;
    }
    if (volume.iscsi && ev.iscsi) {
      if (volume.iscsi.iqn === ev.iscsi.iqn && !(volume.iscsi.readOnly && ev.iscsi.readOnly)) return true;
    }
    if (volume.rbd && ev.rbd) {
      const v = volume.rbd;
      const e = ev.rbd;
      if (haveOverlap(v.monitors, e.monitors) && (v.pool ?? '') === (e.pool ?? '') && v.image === e.image && !(v.readOnly && e.readOnly)) return true;
    }
  }
  return false;
}

function satisfyVolumeConflicts(pod: Pod, nodeInfo: NodeInfo): boolean {
  for (const v of asCorePod(pod).spec?.volumes ?? []) {
    if (!needsRestrictionsCheck(v)) continue;
    for (const ev of nodeInfo.pods) if (isVolumeConflict(v, ev.pod)) return false;
  }
  return true;
}

export class VolumeRestrictions implements PreFilterPlugin, FilterPlugin, EnqueueExtensions, PreFilterExtensions {
  readonly name = NAME;
  private readonly pvcs: Lister;

  constructor(private readonly handle: Handle) {
    this.pvcs = handle.informers.listerFor(R.persistentvolumeclaims);
  }

  preFilter(state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): { result?: PreFilterResult; status: Status } {
    const spec = asCorePod(pod).spec;
    const needsCheck = (spec?.volumes ?? []).some(needsRestrictionsCheck);
    const ns = String(pod.metadata?.namespace ?? '');
    const rwop = new Set<string>();
    for (const v of spec?.volumes ?? []) {
      if (!v.persistentVolumeClaim) continue;
      const name = v.persistentVolumeClaim.claimName;
      const cached = this.pvcs.get(ns, name);
      if (!cached) return { status: Status.unresolvable(notFoundMessage('persistentvolumeclaim', name)) };
      if ((asPVC(cached).spec?.accessModes ?? []).includes('ReadWriteOncePod')) rwop.add(name);
    }
    let conflicts = 0;
    if (rwop.size > 0) {
      const snap = this.handle.snapshot();
      for (const name of rwop) if (snap.isPVCUsedByPods(`${ns}/${name}`)) conflicts++;
    }
    if (!needsCheck && conflicts === 0) return { status: Status.skip() };
    state.write(STATE_KEY, new PreFilterState(rwop, conflicts));
    return { status: SUCCESS };
  }

  preFilterExtensions(): PreFilterExtensions {
    return this;
  }

  addPod(state: CycleState, _pod: Pod, info: PodInfo, _nodeInfo?: NodeInfo): Status {
    const s = state.read<PreFilterState>(STATE_KEY);
    if (!s) return Status.error(`cannot read "${STATE_KEY}" from cycleState`);
    s.updateWithPod(info, 1);
    return SUCCESS;
  }

  removePod(state: CycleState, _pod: Pod, info: PodInfo, _nodeInfo?: NodeInfo): Status {
    const s = state.read<PreFilterState>(STATE_KEY);
    if (!s) return Status.error(`cannot read "${STATE_KEY}" from cycleState`);
    s.updateWithPod(info, -1);
    return SUCCESS;
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if (!satisfyVolumeConflicts(pod, nodeInfo)) return Status.unschedulable(ERR_REASON_DISK_CONFLICT);
    const s = state.read<PreFilterState>(STATE_KEY);
    if (!s) return Status.error(`cannot read "${STATE_KEY}" from cycleState`);
    if (s.conflictingPVCRefCount > 0) return Status.unschedulable(ERR_REASON_READ_WRITE_ONCE_POD_CONFLICT);
    return SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'Pod', actions: ['Delete'] }, hint: (pod, oldObj) => podDeletedHint(pod, oldObj as Pod) },
      { event: { resource: 'Node', actions: ['Add', 'UpdateNodeTaint', 'UpdateNodeLabel'] } },
      { event: { resource: 'PersistentVolumeClaim', actions: ['Add'] }, hint: (pod, _o, newObj) => claimAddedHint(pod, newObj as Pod) },
    ];
  }
}

/** isSchedulableAfterPodDeleted: the deleted pod (same namespace) had a conflicting volume or shares a claim. */
function podDeletedHint(pod: Pod, deleted: Pod | undefined): 'Queue' | 'QueueSkip' {
  if (!deleted || deleted.metadata?.namespace !== pod.metadata?.namespace) return 'QueueSkip';
  for (const v of asCorePod(pod).spec?.volumes ?? []) if (needsRestrictionsCheck(v) && isVolumeConflict(v, deleted)) return 'Queue';
  const claims = new Set((asCorePod(deleted).spec?.volumes ?? []).flatMap((v) => (v.persistentVolumeClaim ? [v.persistentVolumeClaim.claimName] : [])));
  for (const v of asCorePod(pod).spec?.volumes ?? []) if (v.persistentVolumeClaim && claims.has(v.persistentVolumeClaim.claimName)) return 'Queue';
  return 'QueueSkip';
}

/** isSchedulableAfterPersistentVolumeClaimAdded: a claim the pod uses was created. */
function claimAddedHint(pod: Pod, pvc: Pod | undefined): 'Queue' | 'QueueSkip' {
  if (!pvc || pvc.metadata?.namespace !== pod.metadata?.namespace) return 'QueueSkip';
  const name = pvc.metadata?.name;
  return (asCorePod(pod).spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === name) ? 'Queue' : 'QueueSkip';
}

export const newVolumeRestrictions: PluginFactory = (_args, handle) => new VolumeRestrictions(handle);
