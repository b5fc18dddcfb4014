/**
 * VolumeZone (upstream plugins/volumezone, 1.32). PreFilter collects, for each PVC the pod uses, the zone/region
 * labels of its bound PV (`failure-domain.beta.kubernetes.io/{zone,region}`, `topology.kubernetes.io/{zone,region}`;
 * a value may list several zones joined by `__`); claims of a WaitForFirstConsumer class that are still unbound are
 * skipped (VolumeBinding handles them). Filter accepts a node without any of those labels (single-zone clusters);
 * otherwise each PV label must be matched by the node's label of that key (or its GA twin), else
 * "node(s) had no available volume zone" (UnschedulableAndUnresolvable). Missing PVC/class/PV are
 * UnschedulableAndUnresolvable with Go's NotFound text. PreFilter returns Skip when no PV carries such labels.
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
  type StateData,
} from '../framework';
import { asClass, asCorePod, asPV, asPVC, claimClassName, notFoundMessage, type PersistentVolume } from './volumebinding/volume-types';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'VolumeZone';
const STATE_KEY = `PreFilter${NAME}`;

export const ERR_REASON_CONFLICT = 'node(s) had no available volume zone';

const BETA_ZONE = 'failure-domain.beta.kubernetes.io/zone';
const BETA_REGION = 'failure-domain.beta.kubernetes.io/region';
const GA_ZONE = 'topology.kubernetes.io/zone';
const GA_REGION = 'topology.kubernetes.io/region';
const TOPOLOGY_LABELS = [BETA_ZONE, BETA_REGION, GA_ZONE, GA_REGION];

function translateToGALabel(label: string): string {
  if (label === BETA_REGION) return GA_REGION;
  if (label === BETA_ZONE) return GA_ZONE;
  return label;
}

export interface PVTopology {
  pvName: string;
  key: string;
  values: ReadonlySet<string>;
}

class ZoneState implements StateData {
  constructor(readonly topologies: readonly PVTopology[]) {}
  clone(): ZoneState {
    return this;
  }
}

/** volumehelpers.LabelZonesToSet: `__`-separated, trimmed; undefined when an entry is empty. */
export function labelZonesToSet(value: string): Set<string> | undefined {
  const out = new Set<string>();
  for (const z of value.split('__')) {
    const t = z.trim();
    if (!t) return undefined;
    out.add(t);
  }
  return out;
}

export function pvTopologies(pv: PersistentVolume): PVTopology[] {
  const out: PVTopology[] = [];
  const labels = pv.metadata?.labels ?? {};
  for (const key of TOPOLOGY_LABELS) {
    if (!Object.prototype.hasOwnProperty.call(labels, key)) continue;
    const values = labelZonesToSet(labels[key]);
    if (values) out.push({ pvName: pv.metadata?.name ?? '', key, values });
  }
  return out;
}

export class VolumeZone implements PreFilterPlugin, FilterPlugin, EnqueueExtensions {
  readonly name = NAME;
  private readonly pvs: Lister;
  private readonly pvcs: Lister;
  private readonly classes: Lister;

  constructor(handle: Handle) {
    this.pvs = handle.informers.listerFor(R.persistentvolumes);
    this.pvcs = handle.informers.listerFor(R.persistentvolumeclaims);
    this.classes = handle.informers.listerFor(R.storageclasses);
  }

  /** getPVbyPod. */
  private podTopologies(pod: Pod): { topologies?: PVTopology[]; status: Status } {
    const ns = String(pod.metadata?.namespace ?? '');
    const out: PVTopology[] = [];
    for (const v of asCorePod(pod).spec?.volumes ?? []) {
      if (!v.persistentVolumeClaim) continue;
      const claimName = v.persistentVolumeClaim.claimName;
      if (!claimName) return { status: Status.unresolvable('PersistentVolumeClaim had no name') };
      const cached = this.pvcs.get(ns, claimName);
      if (!cached) return { status: Status.unresolvable(notFoundMessage('persistentvolumeclaim', claimName)) };
      const pvc = asPVC(cached);
      const pvName = pvc.spec?.volumeName ?? '';
      if (!pvName) {
        const sc = claimClassName(pvc);
        if (!sc) return { status: Status.unresolvable('PersistentVolumeClaim had no pv name and storageClass name') };
        const cls = this.classes.get('', sc);
        if (!cls) return { status: Status.unresolvable(notFoundMessage('storageclass.storage.k8s.io', sc)) };
        const mode = asClass(cls).volumeBindingMode;
        if (mode === undefined) return { status: Status.unresolvable(`VolumeBindingMode not set for StorageClass "${sc}"`) };
        if (mode === 'WaitForFirstConsumer') continue;
        return { status: Status.unresolvable('PersistentVolume had no name') };
      }
      const pv = this.pvs.get('', pvName);
      if (!pv) return { status: Status.unresolvable(notFoundMessage('persistentvolume', pvName)) };
      out.push(...pvTopologies(asPV(pv)));
    }
    return { topologies: out, status: SUCCESS };
  }

  preFilter(state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): { result?: PreFilterResult; status: Status } {
    const { topologies, status } = this.podTopologies(pod);
    if (!status.isSuccess()) return { status };
    if (!topologies || topologies.length === 0) return { status: Status.skip() };
    state.write(STATE_KEY, new ZoneState(topologies));
    return { status: SUCCESS };
  }

  filter(state: CycleState, pod: Pod, nodeInfo: NodeInfo): Status {
    if ((asCorePod(pod).spec?.volumes ?? []).length === 0) return SUCCESS;
    let topologies = state.read<ZoneState>(STATE_KEY)?.topologies;
    if (!topologies) {
      const r = this.podTopologies(pod);
      if (!r.status.isSuccess()) return r.status;
      topologies = r.topologies ?? [];
    }
    const labels = (nodeInfo.node?.metadata?.labels ?? {}) as Record<string, string>;
    const has = (k: string) => Object.prototype.hasOwnProperty.call(labels, k);
    if (!TOPOLOGY_LABELS.some(has)) return SUCCESS;
    for (const t of topologies) {
      let key = t.key;
      if (!has(key)) key = translateToGALabel(key);
      if (!has(key) || !t.values.has(labels[key])) return Status.unresolvable(ERR_REASON_CONFLICT);
    }
    return SUCCESS;
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'StorageClass', actions: ['Add'] },
        hint: (_pod, _o, n) => ((n as { volumeBindingMode?: string } | undefined)?.volumeBindingMode === 'WaitForFirstConsumer' ? 'Queue' : 'QueueSkip'),
      },
      { event: { resource: 'Node', actions: ['Add', 'UpdateNodeLabel', 'UpdateNodeTaint'] } },
      { event: { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'] }, hint: (pod, _o, n) => claimOfPodHint(pod, n as Pod | undefined) },
      { event: { resource: 'PersistentVolume', actions: ['Add', 'Update'] }, hint: (_pod, o, n) => pvTopologyChangedHint(o as Pod | undefined, n as Pod | undefined) },
    ];
  }
}

function claimOfPodHint(pod: Pod, pvc: Pod | undefined): 'Queue' | 'QueueSkip' {
  if (!pvc || pvc.metadata?.namespace !== pod.metadata?.namespace) return 'QueueSkip';
  return (asCorePod(pod).spec?.volumes ?? []).some((v) => v.persistentVolumeClaim?.claimName === pvc.metadata?.name) ? 'Queue' : 'QueueSkip';
}

function topologyKey(pv: PersistentVolume): string {
  return JSON.stringify(pvTopologies(pv).map((t) => [t.key, [...t.values].sort()]));
}

function pvTopologyChangedHint(oldPV: Pod | undefined, newPV: Pod | undefined): 'Queue' | 'QueueSkip' {
  if (!oldPV || !newPV) return 'Queue';
  return topologyKey(asPV(oldPV)) !== topologyKey(asPV(newPV)) ? 'Queue' : 'QueueSkip';
}

export const newVolumeZone: PluginFactory = (_args, handle) => new VolumeZone(handle);
