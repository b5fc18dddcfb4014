/**
 * Resource (upstream framework.Resource) as plain numbers so Filter/Score stay cheap on thousands of nodes: milli-CPU,
 * bytes of memory and ephemeral storage, the pod count, and scalar (extended / hugepages) resources by name.
 * `podRequests(pod)` is upstream's computePodResourceRequest (containers, init containers and sidecars, overhead);
 * `nonZeroRequests(pod)` applies the scheduler's defaults for containers that request nothing (100m CPU, 200 MiB
 * memory: GetNonzeroRequests), used by scoring only. Both are computed once per pod object (pods are immutable).
 */
import type { Quantity } from '../../api/quantity';
import type { ResourceList } from '../../api/quantity-math';
import { podRequests as podRequestList } from '../../apiserver/admission/pod-resources';

export const DEFAULT_MILLI_CPU_REQUEST = 100;
export const DEFAULT_MEMORY_REQUEST = 200 * 1024 * 1024;

export class Resource {
  milliCPU = 0;
  memory = 0;
  ephemeralStorage = 0;
  allowedPodNumber = 0;
  scalar = new Map<string, number>();

  static fromList(list: ResourceList | undefined): Resource {
    const r = new Resource();
    for (const [name, q] of list ?? []) r.addNamed(name, q);
    return r;
  }

  private addNamed(name: string, q: Quantity): void {
    switch (name) {
      case 'cpu':
        this.milliCPU += Number(q.milliValue());
        return;
      case 'memory':
        this.memory += Number(q.value());
        return;
      case 'ephemeral-storage':
        this.ephemeralStorage += Number(q.value());
        return;
      case 'pods':
        this.allowedPodNumber += Number(q.value());
        return;
      default:
        if (isScalarResourceName(name)) this.scalar.set(name, (this.scalar.get(name) ?? 0) + Number(q.value()));
    }
  }

  add(o: Resource): void {
    this.milliCPU += o.milliCPU;
    this.memory += o.memory;
    this.ephemeralStorage += o.ephemeralStorage;
    this.allowedPodNumber += o.allowedPodNumber;
    for (const [k, v] of o.scalar) this.scalar.set(k, (this.scalar.get(k) ?? 0) + v);
  }

  sub(o: Resource): void {
    this.milliCPU -= o.milliCPU;
    this.memory -= o.memory;
    this.ephemeralStorage -= o.ephemeralStorage;
    this.allowedPodNumber -= o.allowedPodNumber;
    for (const [k, v] of o.scalar) this.scalar.set(k, (this.scalar.get(k) ?? 0) - v);
  }

  /** Takes `o`'s amounts, keeping this object (and its scalar map when neither has scalars). */
  copyFrom(o: Resource): void {
    this.milliCPU = o.milliCPU;
    this.memory = o.memory;
    this.ephemeralStorage = o.ephemeralStorage;
    this.allowedPodNumber = o.allowedPodNumber;
    if (o.scalar.size > 0 || this.scalar.size > 0) this.scalar = new Map(o.scalar);
  }

  clone(): Resource {
    const r = new Resource();
    r.milliCPU = this.milliCPU;
    r.memory = this.memory;
    r.ephemeralStorage = this.ephemeralStorage;
    r.allowedPodNumber = this.allowedPodNumber;
    r.scalar = new Map(this.scalar);
    return r;
  }

  /** The amount of one resource by its API name (0 when absent). */
  get(name: string): number {
    switch (name) {
      case 'cpu':
        return this.milliCPU;
      case 'memory':
        return this.memory;
      case 'ephemeral-storage':
        return this.ephemeralStorage;
      case 'pods':
        return this.allowedPodNumber;
      default:
        return this.scalar.get(name) ?? 0;
    }
  }
}

/** IsScalarResourceName: extended resources and prefixed native resources (any `domain/name`), hugepages-*,
 * attachable-volumes-*. */
export function isScalarResourceName(name: string): boolean {
  return name.startsWith('hugepages-') || name.startsWith('attachable-volumes-') || name.includes('/');
}

const requestsCache = new WeakMap<object, Resource>();
const nonZeroCache = new WeakMap<object, Resource>();
/** By requestsSignature: pods from one template (and a pod's assumed and bound copies) share one computation. */
const requestsBySignature = new Map<string, Resource>();
const nonZeroBySignature = new Map<string, Resource>();
const MAX_SIGNATURES = 1024;

/**
 * Everything a pod's requests are computed from, as a string (containers' requests; init containers' requests and
 * restartPolicy; overhead); undefined when the spec is not the expected shape (then nothing is shared). Parsing the
 * quantities costs ~10 µs a pod, and the scheduler needs them for the pod, its assumed copy and its bound copy.
 */
function requestsSignature(pod: object): string | undefined {
  const spec = (pod as { spec?: { containers?: unknown; initContainers?: unknown; overhead?: unknown } }).spec;
  if (spec === undefined) return '';
  if (spec === null || typeof spec !== 'object') return undefined;
  let sig = '';
  for (const [field, cs] of [['c', spec.containers], ['i', spec.initContainers]] as const) {
    if (cs === undefined || cs === null) continue;
    if (!Array.isArray(cs)) return undefined;
    sig += field;
    for (const c of cs as { restartPolicy?: unknown; resources?: { requests?: unknown } }[]) {
      if (c === null || typeof c !== 'object') return undefined;
      sig += `${JSON.stringify(c.restartPolicy ?? null)}${JSON.stringify(c.resources?.requests ?? null)};`;
    }
  }
  return `${sig}|${JSON.stringify(spec.overhead ?? null)}`;
}

function memo(pod: object, byPod: WeakMap<object, Resource>, bySig: Map<string, Resource>, compute: () => Resource): Resource {
  let r = byPod.get(pod);
  if (r) return r;
  const sig = requestsSignature(pod);
  r = sig === undefined ? undefined : bySig.get(sig);
  if (!r) {
    r = compute();
    if (sig !== undefined) {
      if (bySig.size >= MAX_SIGNATURES) bySig.clear();
      bySig.set(sig, r);
    }
  }
  byPod.set(pod, r);
  return r;
}

/** computePodResourceRequest: what the pod asks for (init containers and overhead included). Do not modify (shared). */
export function podRequests(pod: object): Resource {
  return memo(pod, requestsCache, requestsBySignature, () => Resource.fromList(podRequestList(pod, { overhead: true })));
}

/** Requests with the scheduler's defaults (100m CPU, 200 MiB memory) for every container that does not set them
 * (PodRequests with NonMissingContainerRequests), for scoring. Do not modify (shared). */
export function nonZeroRequests(pod: object): Resource {
  return memo(pod, nonZeroCache, nonZeroBySignature, () => Resource.fromList(podRequestList(withDefaultRequests(pod), { overhead: true })));
}

type Container = { resources?: { requests?: Record<string, unknown> } };

function withDefaultRequests(pod: object): object {
  const p = pod as { spec?: Record<string, unknown> };
  const fill = (cs: unknown) =>
    Array.isArray(cs)
      ? (cs as Container[]).map((c) => {
          const requests = { ...(c.resources?.requests ?? {}) };
          if (requests.cpu === undefined) requests.cpu = `${DEFAULT_MILLI_CPU_REQUEST}m`;
          if (requests.memory === undefined) requests.memory = String(DEFAULT_MEMORY_REQUEST);
          return { ...c, resources: { ...(c.resources ?? {}), requests } };
        })
      : cs;
  return { ...p, spec: { ...(p.spec ?? {}), containers: fill(p.spec?.containers), initContainers: fill(p.spec?.initContainers) } };
}
