/**
 * NodeVolumeLimits (upstream plugins/nodevolumelimits CSILimits, 1.32): a node's CSINode lists, per CSI driver, how
 * many volumes it can attach (`spec.drivers[].allocatable.count`). Filter counts the pod's new attachable volumes per
 * driver (a bound PVC's PV `spec.csi` driver/handle; an unbound PVC's class provisioner with handle
 * `<namespace>-<claim>`), minus those already attached by pods on the node, and rejects the node when a driver
 * would exceed its limit: "node(s) exceed max volume count" (Unschedulable). A missing claim of the incoming pod is
 * UnschedulableAndUnresolvable (`looking up PVC ns/name: persistentvolumeclaim "name" not found`). In-tree volume
 * CSI translation and VolumeAttachment counting are not done (KubeLab has no in-tree cloud volumes). When the API
 * server does not serve CSINodes there are no limits and the plugin admits every node.
 */
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
  type PluginFactory,
  type PreFilterPlugin,
  type PreFilterResult,
} from '../framework';
import {
  asClass,
  asCorePod,
  asCSINode,
  asPV,
  asPVC,
  claimClassName,
  CSINODES,
  csiNodesServed,
  ephemeralVolumeIsForPod,
  notFoundMessage,
  podClaimRefs,
  type CSINode,
  type PersistentVolumeClaim,
} from './volumebinding/volume-types';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'NodeVolumeLimits';
export const ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED = 'node(s) exceed max volume count';

export class NodeVolumeLimits implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;
  private readonly pvs: Lister;
  private readonly pvcs: Lister;
  private readonly classes: Lister;
  private readonly csiNodes: Lister | undefined;

  /** `csiNodes` may be forced (tests); by default the CSINode lister exists only when the server serves them. */
  constructor(handle: Handle, csiNodes: boolean = csiNodesServed()) {
    this.pvs = handle.informers.listerFor(R.persistentvolumes);
    this.pvcs = handle.informers.listerFor(R.persistentvolumeclaims);
    this.classes = handle.informers.listerFor(R.storageclasses);
    this.csiNodes = csiNodes ? handle.informers.listerFor(CSINODES) : undefined;
  }

  preFilter(_state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): { result?: PreFilterResult; status: Status } {
    const volumes = asCorePod(pod).spec?.volumes ?? [];
    if (volumes.some((v) => v.persistentVolumeClaim || v.ephemeral)) return { status: SUCCESS };
    return { status: Status.skip() };
  }

  filter(_state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if ((asCorePod(pod).spec?.volumes ?? []).length === 0) return SUCCESS;
    const nodeName = nodeInfo.name;
    const cached = this.csiNodes?.get('', nodeName);
    const csiNode = cached ? asCSINode(cached) : undefined;
    const newVolumes = new Map<string, string>();
    const err = this.filterAttachableVolumes(pod, true, newVolumes);
    if (err) return err;
    if (newVolumes.size === 0) return SUCCESS;
    const limits = volumeLimits(csiNode);
    if (limits.size === 0) return SUCCESS;
    const attached = new Map<string, string>();
    for (const p of nodeInfo.pods) this.filterAttachableVolumes(p.pod, false, attached);
    const attachedCount = new Map<string, number>();
    for (const driver of attached.values()) attachedCount.set(driver, (attachedCount.get(driver) ?? 0) + 1);
    const newCount = new Map<string, number>();
    for (const [unique, driver] of newVolumes) {
      if (attached.has(unique)) continue;
      newCount.set(driver, (newCount.get(driver) ?? 0) + 1);
    }
    for (const [driver, count] of newCount) {
      const limit = limits.get(driver);
      if (limit === undefined) continue;
      if ((attachedCount.get(driver) ?? 0) + count > limit) return Status.unschedulable(ERR_REASON_MAX_VOLUME_COUNT_EXCEEDED);
    }
    return SUCCESS;
  }

  /** Fills `out` (`driver/handle` → driver); for the incoming pod a missing claim is a Status. */
  private filterAttachableVolumes(pod: Pod, newPod: boolean, out: Map<string, string>): Status | undefined {
    const ns = String(pod.metadata?.namespace ?? '');
    for (const ref of podClaimRefs(pod)) {
      const cached = this.pvcs.get(ns, ref.name);
      if (!cached) {
        if (newPod) {
          const msg = `looking up PVC ${ns}/${ref.name}: ${notFoundMessage('persistentvolumeclaim', ref.name)}`;
          return Status.unresolvable(msg);
        }
        continue;
      }
      const pvc = asPVC(cached);
      if (ref.ephemeral) {
        const why = ephemeralVolumeIsForPod(pod, pvc);
        if (why) {
          if (newPod) return Status.error(why);
          continue;
        }
      }
      const [driver, handle] = this.csiDriverInfo(pvc);
      if (!driver || !handle) continue;
      out.set(`${driver}/${handle}`, driver);
    }
    return undefined;
  }

  private csiDriverInfo(pvc: PersistentVolumeClaim): [string, string] {
    const pvName = pvc.spec?.volumeName ?? '';
    if (pvName) {
      const pv = this.pvs.get('', pvName);
      if (pv) {
        const csi = asPV(pv).spec?.csi;
        return csi ? [csi.driver, csi.volumeHandle] : ['', ''];
      }
    }
    const sc = claimClassName(pvc);
    if (!sc) return ['', ''];
    const cls = this.classes.get('', sc);
    if (!cls) return ['', ''];
    return [asClass(cls).provisioner, `${pvc.metadata?.namespace ?? ''}-${pvc.metadata?.name ?? ''}`];
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      { event: { resource: 'CSINode', actions: ['Add'] } },
      { event: { resource: 'Pod', actions: ['Delete'] }, hint: (_pod, o) => (o && asCorePod(o as Pod).spec?.nodeName && podClaimRefs(o as Pod).length > 0 ? 'Queue' : 'QueueSkip') },
      {
        event: { resource: 'PersistentVolumeClaim', actions: ['Add'] },
        hint: (pod, _o, n) => {
          const pvc = n as Pod | undefined;
          if (!pvc || pvc.metadata?.namespace !== pod.metadata?.namespace) return 'QueueSkip';
          return podClaimRefs(pod).some((r) => r.name === pvc.metadata?.name) ? 'Queue' : 'QueueSkip';
        },
      },
    ];
  }
}

/** getVolumeLimits: driver → allocatable count, from the node's CSINode. */
export function volumeLimits(csiNode: CSINode | undefined): Map<string, number> {
  const out = new Map<string, number>();
  for (const d of csiNode?.spec?.drivers ?? []) {
    const n = d.allocatable?.count;
    if (typeof n === 'number') out.set(d.name, n);
  }
  return out;
}

export const newNodeVolumeLimits: PluginFactory = (_args, handle) => new NodeVolumeLimits(handle);
