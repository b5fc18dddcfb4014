/**
 * NodeInfo (upstream framework.NodeInfo): what the scheduler knows about one node — the Node, its pods (bound and
 * assumed), their summed requests (`requested`, and `nonZeroRequested` with the scoring defaults), allocatable,
 * host ports in use, images on the node, PVC reference counts, and the pods with (anti-)affinity. `generation`
 * grows on every change so snapshots copy only changed nodes. `clone()` is deep enough for preemption dry-runs.
 */
import type { CachedObject } from '../../client/informers';
import { hasAffinity, podInfo, type Pod, type PodInfo } from './pod-info';
import { nonZeroRequests, podRequests, Resource } from './resource';
import { parseResourceList } from '../../api/quantity-math';

export type Node = CachedObject;

/** Host ports in use: `ip` ('0.0.0.0' for any) → `protocol/port`. */
export class HostPortInfo {
  readonly byIp = new Map<string, Set<string>>();

  add(ip: string, protocol: string, port: number): void {
    const k = ip || '0.0.0.0';
    let s = this.byIp.get(k);
    if (!s) this.byIp.set(k, (s = new Set()));
    s.add(`${protocol || 'TCP'}/${port}`);
  }

  remove(ip: string, protocol: string, port: number): void {
    const k = ip || '0.0.0.0';
    const s = this.byIp.get(k);
    s?.delete(`${protocol || 'TCP'}/${port}`);
    if (s && s.size === 0) this.byIp.delete(k);
  }

  /** CheckConflict: the same protocol/port on the same IP, or on 0.0.0.0 on either side. */
  conflicts(ip: string, protocol: string, port: number): boolean {
    const key = `${protocol || 'TCP'}/${port}`;
    const want = ip || '0.0.0.0';
    if (want === '0.0.0.0') {
      for (const s of this.byIp.values()) if (s.has(key)) return true;
      return false;
    }
    return !!this.byIp.get(want)?.has(key) || !!this.byIp.get('0.0.0.0')?.has(key);
  }

  clone(): HostPortInfo {
    const c = new HostPortInfo();
    for (const [k, v] of this.byIp) c.byIp.set(k, new Set(v));
    return c;
  }
}

export interface ContainerPort {
  hostPort?: number;
  hostIP?: string;
  protocol?: string;
  containerPort?: number;
}

/** The host ports a pod's containers (and sidecar init containers) ask for. */
export function podHostPorts(pod: Pod): ContainerPort[] {
  const spec = (pod.spec ?? {}) as { containers?: { ports?: ContainerPort[] }[]; initContainers?: { ports?: ContainerPort[]; restartPolicy?: string }[] };
  const out: ContainerPort[] = [];
  for (const c of spec.containers ?? []) for (const p of c.ports ?? []) if (p.hostPort && p.hostPort > 0) out.push(p);
  for (const c of spec.initContainers ?? []) if (c.restartPolicy === 'Always') for (const p of c.ports ?? []) if (p.hostPort && p.hostPort > 0) out.push(p);
  return out;
}

export interface ImageState {
  size: number;
  /** How many nodes have the image (for ImageLocality's spread factor). */
  numNodes: number;
}

export class NodeInfo {
  node: Node | undefined;
  pods: PodInfo[] = [];
  podsWithAffinity: PodInfo[] = [];
  podsWithRequiredAntiAffinity: PodInfo[] = [];
  usedPorts = new HostPortInfo();
  requested = new Resource();
  nonZeroRequested = new Resource();
  allocatable = new Resource();
  imageStates = new Map<string, ImageState>();
  /** `namespace/claimName` → number of pods on the node using it. */
  pvcRefCounts = new Map<string, number>();
  generation = 0;

  constructor(node?: Node) {
    if (node) this.setNode(node);
  }

  /** The node's name ('' while the NodeInfo has no Node). Read on every Filter/Score: kept, not recomputed. */
  name = '';

  setNode(node: Node): void {
    this.node = node;
    this.name = String(node.metadata?.name ?? '');
    this.allocatable = Resource.fromList(parseResourceList((node.status as { allocatable?: unknown } | undefined)?.allocatable));
    this.generation++;
  }

  addPod(pod: Pod): void {
    const info = podInfo(pod);
    this.pods.push(info);
    if (hasAffinity(info)) this.podsWithAffinity.push(info);
    if (info.requiredAntiAffinityTerms.length > 0) this.podsWithRequiredAntiAffinity.push(info);
    this.update(pod, 1);
  }

  /** Removes the pod with this uid (or namespace/name when it has none); false when it is not here. */
  removePod(pod: Pod): boolean {
    const match = (p: PodInfo) => samePod(p.pod, pod);
    const i = this.pods.findIndex(match);
    if (i < 0) return false;
    const old = this.pods[i].pod;
    this.pods.splice(i, 1);
    this.podsWithAffinity = this.podsWithAffinity.filter((p) => !match(p));
    this.podsWithRequiredAntiAffinity = this.podsWithRequiredAntiAffinity.filter((p) => !match(p));
    this.update(old, -1);
    return true;
  }

  private update(pod: Pod, sign: 1 | -1): void {
    const req = podRequests(pod);
    const nz = nonZeroRequests(pod);
    if (sign > 0) {
      this.requested.add(req);
      this.nonZeroRequested.add(nz);
    } else {
      this.requested.sub(req);
      this.nonZeroRequested.sub(nz);
    }
    for (const p of podHostPorts(pod)) {
      if (sign > 0) this.usedPorts.add(p.hostIP ?? '', p.protocol ?? 'TCP', p.hostPort!);
      else this.usedPorts.remove(p.hostIP ?? '', p.protocol ?? 'TCP', p.hostPort!);
    }
    const ns = String(pod.metadata?.namespace ?? '');
    for (const v of ((pod.spec as { volumes?: { persistentVolumeClaim?: { claimName?: string } }[] } | undefined)?.volumes ?? [])) {
      const claim = v.persistentVolumeClaim?.claimName;
      if (!claim) continue;
      const k = `${ns}/${claim}`;
      const n = (this.pvcRefCounts.get(k) ?? 0) + sign;
      if (n > 0) this.pvcRefCounts.set(k, n);
      else this.pvcRefCounts.delete(k);
    }
    this.generation++;
  }

  /**
   * Makes this NodeInfo equal to what `src.clone()` would be, in place: its Resources take src's amounts and its
   * pod lists src's items, so a snapshot's NodeInfos keep the objects they were first built with instead of new
   * ones per change. Filter and Score read them for hundreds of nodes per pod.
   */
  assignFrom(src: NodeInfo): void {
    this.node = src.node;
    this.name = src.name;
    replaceItems(this.pods, src.pods);
    replaceItems(this.podsWithAffinity, src.podsWithAffinity);
    replaceItems(this.podsWithRequiredAntiAffinity, src.podsWithRequiredAntiAffinity);
    if (src.usedPorts.byIp.size > 0 || this.usedPorts.byIp.size > 0) this.usedPorts = src.usedPorts.clone();
    this.requested.copyFrom(src.requested);
    this.nonZeroRequested.copyFrom(src.nonZeroRequested);
    this.allocatable.copyFrom(src.allocatable);
    if (src.imageStates.size > 0 || this.imageStates.size > 0) this.imageStates = new Map(src.imageStates);
    if (src.pvcRefCounts.size > 0 || this.pvcRefCounts.size > 0) this.pvcRefCounts = new Map(src.pvcRefCounts);
    this.generation = src.generation;
  }

  clone(): NodeInfo {
    const c = new NodeInfo();
    c.node = this.node;
    c.name = this.name;
    c.pods = [...this.pods];
    c.podsWithAffinity = [...this.podsWithAffinity];
    c.podsWithRequiredAntiAffinity = [...this.podsWithRequiredAntiAffinity];
    c.usedPorts = this.usedPorts.clone();
    c.requested = this.requested.clone();
    c.nonZeroRequested = this.nonZeroRequested.clone();
    c.allocatable = this.allocatable.clone();
    c.imageStates = new Map(this.imageStates);
    c.pvcRefCounts = new Map(this.pvcRefCounts);
    c.generation = this.generation;
    return c;
  }
}

function replaceItems<T>(dst: T[], src: readonly T[]): void {
  dst.length = 0;
  for (let i = 0; i < src.length; i++) dst.push(src[i]);
}

export function samePod(a: Pod, b: Pod): boolean {
  const ua = a.metadata?.uid;
  if (ua && b.metadata?.uid) return ua === b.metadata.uid;
  return a.metadata?.namespace === b.metadata?.namespace && a.metadata?.name === b.metadata?.name;
}
