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

/** computePodResourceRequest: what the pod asks for (init containers and overhead included). Do not modify. */
export function podRequests(pod: object): Resource {
  let r = requestsCache.get(pod);
  if (!r) {
    r = Resource.fromList(podRequestList(pod, { overhead: true }));
    requestsCache.set(pod, r);
  }
  return r;
}

/** Requests with the scheduler's defaults (100m CPU, 200 MiB memory) for every container that does not set them
 * (PodRequests with NonMissingContainerRequests), for scoring. Do not modify. */
export function nonZeroRequests(pod: object): Resource {
  let r = nonZeroCache.get(pod);
  if (!r) {
    r = Resource.fromList(podRequestList(withDefaultRequests(pod), { overhead: true }));
    nonZeroCache.set(pod, r);
  }
  return r;
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
