/**
 * VolumeBinding (upstream plugins/volumebinding, 1.32). PreFilter: a pod without claims is Skip; a missing, Lost or
 * terminating claim is UnschedulableAndUnresolvable with upstream's text; unbound Immediate claims are
 * UnschedulableAndUnresolvable "pod has unbound immediate PersistentVolumeClaims" (the PV controller binds them).
 * Filter asks the binder, per node, how the pod's claims would be bound there (UnschedulableAndUnresolvable with the
 * binder's reasons otherwise). Reserve assumes the chosen node's bindings (claimRef on PVs, selected-node on claims);
 * Unreserve reverts them; PreBind writes them through the API and waits for the PV controller to bind
 * (bindTimeoutSeconds, default 600, on the handle's clock). PreScore/Score: the capacity scorer is behind the alpha
 * VolumeCapacityPriority gate, off here: PreScore returns Skip and Score 0. Args: VolumeBindingArgs
 * { bindTimeoutSeconds = 600 }.
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
  type PreBindPlugin,
  type PreFilterPlugin,
  type PreFilterResult,
  type PreScorePlugin,
  type ReservePlugin,
  type ScorePlugin,
  type StateData,
  type ScoreOutcome,
} from '../framework';
import { VolumeBinder, type PodVolumeClaims, type PodVolumes } from './volumebinding/binder';
import { asPVC, ephemeralVolumeIsForPod, notFoundMessage, podClaimRefs } from './volumebinding/volume-types';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export const NAME = 'VolumeBinding';
const STATE_KEY = NAME;
export const ERR_REASON_UNBOUND_IMMEDIATE = 'pod has unbound immediate PersistentVolumeClaims';
export const DEFAULT_BIND_TIMEOUT_SECONDS = 600;

export interface VolumeBindingArgs {
  bindTimeoutSeconds: number;
}

export function defaultVolumeBindingArgs(args: Record<string, unknown> | undefined): VolumeBindingArgs {
  const t = args?.bindTimeoutSeconds;
  return { bindTimeoutSeconds: typeof t === 'number' && t >= 0 ? t : DEFAULT_BIND_TIMEOUT_SECONDS };
}

/** Shared by pointer across clones, as upstream (only one node is reserved per pod). */
class BindingState implements StateData {
  allBound = false;
  readonly podVolumesByNode = new Map<string, PodVolumes>();
  hasStaticBindings = false;
  constructor(readonly claims: PodVolumeClaims | undefined) {}
  clone(): BindingState {
    return this;
  }
}

const errText = (e: unknown) => (e instanceof Error ? e.message : String(e));

export class VolumeBinding implements PreFilterPlugin, FilterPlugin, PreScorePlugin, ScorePlugin, ReservePlugin, PreBindPlugin, EnqueueExtensions {
  readonly name = NAME;
  readonly binder: VolumeBinder;
  private readonly pvcs: Lister;

  constructor(handle: Handle, args: VolumeBindingArgs) {
    this.pvcs = handle.informers.listerFor(R.persistentvolumeclaims);
    this.binder = new VolumeBinder({
      pvcs: this.pvcs,
      pvs: handle.informers.listerFor(R.persistentvolumes),
      classes: handle.informers.listerFor(R.storageclasses),
      nodes: handle.informers.listerFor(R.nodes),
      pods: handle.informers.listerFor(R.pods),
      client: handle.client,
      clock: handle.clock,
      bindTimeoutMs: args.bindTimeoutSeconds * 1000,
      nodeByName: (n) => handle.snapshot().get(n)?.node,
    });
    try {
      const wake = { onAdd: () => this.binder.notify(), onUpdate: () => this.binder.notify(), onDelete: () => this.binder.notify() };
      handle.informers.informerFor(R.persistentvolumeclaims).addEventHandler(wake);
      handle.informers.informerFor(R.persistentvolumes).addEventHandler(wake);
    } catch {
      // A handle without informers (unit tests): PreBind falls back to polling every second.
    }
  }

  /** podHasPVCs: whether the pod uses claims; a Status when one cannot be used. */
  private podHasPVCs(pod: Pod): { has: boolean; error?: string } {
    const ns = String(pod.metadata?.namespace ?? '');
    const refs = podClaimRefs(pod);
    for (const ref of refs) {
      const cached = this.pvcs.get(ns, ref.name);
      if (!cached) {
        const msg = ref.ephemeral ? `waiting for ephemeral volume controller to create the persistentvolumeclaim "${ref.name}"` : notFoundMessage('persistentvolumeclaim', ref.name);
        return { has: true, error: msg };
      }
      const pvc = asPVC(cached);
      if (pvc.status?.phase === 'Lost') return { has: true, error: `persistentvolumeclaim "${ref.name}" bound to non-existent persistentvolume "${pvc.spec?.volumeName ?? ''}"` };
      if (pvc.metadata?.deletionTimestamp) return { has: true, error: `persistentvolumeclaim "${ref.name}" is being deleted` };
      if (ref.ephemeral) {
        const why = ephemeralVolumeIsForPod(pod, pvc);
        if (why) return { has: true, error: why };
      }
    }
    return { has: refs.length > 0 };
  }

  preFilter(state: CycleState, pod: Pod, _nodes?: readonly NodeInfo[]): { result?: PreFilterResult; status: Status } {
    const { has, error } = this.podHasPVCs(pod);
    if (error !== undefined) return { status: Status.unresolvable(error) };
    if (!has) {
      state.write(STATE_KEY, new BindingState(undefined));
      return { status: Status.skip() };
    }
    let claims: PodVolumeClaims;
    try {
      claims = this.binder.getPodVolumeClaims(pod);
    } catch (e) {
      return { status: Status.error(errText(e)) };
    }
    if (claims.unboundClaimsImmediate.length > 0) return { status: Status.unresolvable(ERR_REASON_UNBOUND_IMMEDIATE) };
    state.write(STATE_KEY, new BindingState(claims));
    return { status: SUCCESS };
  }

  filter(state: CycleState, _pod: Pod, nodeInfo: NodeInfo): Status {
    const s = state.read<BindingState>(STATE_KEY);
    if (!s) return Status.error(`error reading "${STATE_KEY}" from cycleState: not found`);
    if (!s.claims || !nodeInfo.node) return SUCCESS;
    try {
      const { podVolumes, reasons } = this.binder.findPodVolumes(s.claims, nodeInfo.node);
      if (reasons.length > 0) return Status.unresolvable(...reasons);
      s.podVolumesByNode.set(nodeInfo.name, podVolumes);
      s.hasStaticBindings ||= podVolumes.staticBindings.length > 0;
      return SUCCESS;
    } catch (e) {
      return Status.error(errText(e));
    }
  }

  preScore(): Status {
    return Status.skip();
  }

  score(): ScoreOutcome {
    return 0;
  }

  reserve(state: CycleState, pod: Pod, nodeName: string): Status {
    const s = state.read<BindingState>(STATE_KEY);
    if (!s) return Status.error(`error reading "${STATE_KEY}" from cycleState: not found`);
    const podVolumes = s.podVolumesByNode.get(nodeName);
    if (!podVolumes) {
      s.allBound = true;
      return SUCCESS;
    }
    try {
      s.allBound = this.binder.assumePodVolumes(pod, nodeName, podVolumes);
      return SUCCESS;
    } catch (e) {
      return Status.error(errText(e));
    }
  }

  unreserve(state: CycleState, _pod: Pod, nodeName: string): void {
    const podVolumes = state.read<BindingState>(STATE_KEY)?.podVolumesByNode.get(nodeName);
    if (podVolumes) this.binder.revertAssumedPodVolumes(podVolumes);
  }

  async preBind(state: CycleState, pod: Pod, nodeName: string): Promise<Status> {
    const s = state.read<BindingState>(STATE_KEY);
    if (!s) return Status.error(`error reading "${STATE_KEY}" from cycleState: not found`);
    if (s.allBound) return SUCCESS;
    const podVolumes = s.podVolumesByNode.get(nodeName);
    if (!podVolumes) return Status.error(`no pod volumes found for node "${nodeName}"`);
    try {
      await this.binder.bindPodVolumes(pod, nodeName, podVolumes);
      return SUCCESS;
    } catch (e) {
      return Status.error(errText(e));
    }
  }

  eventsToRegister(): ClusterEventWithHint[] {
    return [
      {
        event: { resource: 'StorageClass', actions: ['Add', 'Update'] },
        hint: (_pod, o, n) => {
          if (!o) return 'Queue';
          const a = (o as { allowedTopologies?: unknown }).allowedTopologies;
          const b = (n as { allowedTopologies?: unknown } | undefined)?.allowedTopologies;
          return JSON.stringify(a ?? null) !== JSON.stringify(b ?? null) ? 'Queue' : 'QueueSkip';
        },
      },
      {
        event: { resource: 'PersistentVolumeClaim', actions: ['Add', 'Update'] },
        hint: (pod, _o, n) => {
          const pvc = n as Pod | undefined;
          if (!pvc || pvc.metadata?.namespace !== pod.metadata?.namespace) return 'QueueSkip';
          return podClaimRefs(pod).some((r) => r.name === pvc.metadata?.name) ? 'Queue' : 'QueueSkip';
        },
      },
      { event: { resource: 'PersistentVolume', actions: ['Add', 'Update'] } },
      { event: { resource: 'Node', actions: ['Add', 'UpdateNodeLabel', 'UpdateNodeTaint'] } },
      {
        event: { resource: 'CSINode', actions: ['Add', 'Update'] },
        hint: (_pod, o, n) => {
          if (!o) return 'Queue';
          const key = 'storage.alpha.kubernetes.io/migrated-plugins';
          const ann = (x: unknown) => ((x as Pod | undefined)?.metadata?.annotations as Record<string, string> | undefined)?.[key];
          return ann(o) !== ann(n) ? 'Queue' : 'QueueSkip';
        },
      },
    ];
  }
}

export const newVolumeBinding: PluginFactory = (args, handle) => new VolumeBinding(handle, defaultVolumeBindingArgs(args));
