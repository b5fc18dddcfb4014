/**
 * NodeResourcesFit's Filter logic (upstream noderesources/fit.go fitsRequest / Fits, 1.32). `FitRequest` is the
 * PreFilter state: the pod's requests (framework podRequests: containers, sidecars, largest init step, overhead)
 * with the scalar resources to check precomputed (zero quantities and ignored extended resources — by name or by
 * `domain/` group — dropped, reasons preformatted). A node fails with, in this order: "Too many pods" (its pod count
 * would exceed allocatable pods), "Insufficient cpu", "Insufficient memory", "Insufficient ephemeral-storage",
 * "Insufficient <scalar>" — each when the request is positive and exceeds allocatable minus requested. The status is
 * Unschedulable (1.32 has no UnschedulableAndUnresolvable for a request above the node's whole allocatable; that came
 * in 1.34). `filterStatus` allocates nothing for a fitting node and caches one Status per failure combination.
 */
import { podRequests, Status, type NodeInfo, type Pod, type Resource, type StateData } from '../../framework';

/** Status.success() once: Filter and Score return it per node. */
const SUCCESS = Status.success();

export interface InsufficientResource {
  resourceName: string;
  reason: string;
  requested: number;
  used: number;
  capacity: number;
}

export const REASON_TOO_MANY_PODS = 'Too many pods';
export const REASON_CPU = 'Insufficient cpu';
export const REASON_MEMORY = 'Insufficient memory';
export const REASON_EPHEMERAL_STORAGE = 'Insufficient ephemeral-storage';

const PODS = 1;
const CPU = 2;
const MEMORY = 4;
const EPHEMERAL = 8;
const FIRST_SCALAR = 16;
/** Scalars beyond this many are checked on the slow path (mask bits must stay exact in a double). */
const MAX_MASK_SCALARS = 48;

/** IsExtendedResourceName: outside the kubernetes.io domain (and not a `requests.` quota name). */
export function isExtendedResourceName(name: string): boolean {
  return name.includes('/') && !name.includes('kubernetes.io/') && !name.startsWith('requests.');
}

/** The pod's requests prepared for Filter (upstream preFilterState). Immutable: clone returns itself. */
export class FitRequest implements StateData {
  /** cpu, memory and ephemeral-storage all zero and no scalar requested at all. */
  readonly empty: boolean;
  readonly scalarNames: string[] = [];
  readonly scalarValues: number[] = [];
  readonly scalarReasons: string[] = [];
  private readonly statuses = new Map<number, Status>();

  constructor(
    readonly request: Resource,
    ignoredResources: ReadonlySet<string> = new Set(),
    ignoredResourceGroups: ReadonlySet<string> = new Set(),
  ) {
    this.empty = request.milliCPU === 0 && request.memory === 0 && request.ephemeralStorage === 0 && request.scalar.size === 0;
    for (const [name, v] of request.scalar) {
      if (v === 0) continue;
      if (isExtendedResourceName(name)) {
        const group = ignoredResourceGroups.size > 0 ? name.slice(0, name.indexOf('/')) : '';
        if (ignoredResources.has(name) || ignoredResourceGroups.has(group)) continue;
      }
      this.scalarNames.push(name);
      this.scalarValues.push(v);
      this.scalarReasons.push(`Insufficient ${name}`);
    }
  }

  clone(): StateData {
    return this;
  }

  /** The Unschedulable status for a failure mask (built once per mask). */
  statusFor(mask: number): Status {
    let s = this.statuses.get(mask);
    if (!s) {
      const reasons: string[] = [];
      if (mask % (2 * PODS) >= PODS) reasons.push(REASON_TOO_MANY_PODS);
      if (mask % (2 * CPU) >= CPU) reasons.push(REASON_CPU);
      if (mask % (2 * MEMORY) >= MEMORY) reasons.push(REASON_MEMORY);
      if (mask % (2 * EPHEMERAL) >= EPHEMERAL) reasons.push(REASON_EPHEMERAL_STORAGE);
      let bit = FIRST_SCALAR;
      for (let i = 0; i < this.scalarReasons.length && i < MAX_MASK_SCALARS; i++, bit *= 2) if (mask % (2 * bit) >= bit) reasons.push(this.scalarReasons[i]);
      s = Status.unschedulable(...reasons);
      this.statuses.set(mask, s);
    }
    return s;
  }
}

/** Bit mask of what does not fit (0 = fits). Exact for up to MAX_MASK_SCALARS scalars. */
export function insufficientMask(s: FitRequest, nodeInfo: NodeInfo): number {
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  let mask = nodeInfo.pods.length + 1 > alloc.allowedPodNumber ? PODS : 0;
  if (s.empty) return mask;
  const req = s.request;
  if (req.milliCPU > 0 && req.milliCPU > alloc.milliCPU - used.milliCPU) mask += CPU;
  if (req.memory > 0 && req.memory > alloc.memory - used.memory) mask += MEMORY;
  if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) mask += EPHEMERAL;
  let bit = FIRST_SCALAR;
  const n = Math.min(s.scalarNames.length, MAX_MASK_SCALARS);
  for (let i = 0; i < n; i++, bit *= 2) {
    const name = s.scalarNames[i];
    if (s.scalarValues[i] > (alloc.scalar.get(name) ?? 0) - (used.scalar.get(name) ?? 0)) mask += bit;
  }
  return mask;
}

/** fitsRequest: every resource the node lacks for the pod, with the amounts (empty = fits). */
export function fitsRequest(s: FitRequest, nodeInfo: NodeInfo): InsufficientResource[] {
  const out: InsufficientResource[] = [];
  const alloc = nodeInfo.allocatable;
  const used = nodeInfo.requested;
  if (nodeInfo.pods.length + 1 > alloc.allowedPodNumber) {
    out.push({ resourceName: 'pods', reason: REASON_TOO_MANY_PODS, requested: 1, used: nodeInfo.pods.length, capacity: alloc.allowedPodNumber });
  }
  if (s.empty) return out;
  const req = s.request;
  const check = (resourceName: string, reason: string, r: number, u: number, c: number) => {
    if (r > 0 && r > c - u) out.push({ resourceName, reason, requested: r, used: u, capacity: c });
  };
  check('cpu', REASON_CPU, req.milliCPU, used.milliCPU, alloc.milliCPU);
  check('memory', REASON_MEMORY, req.memory, used.memory, alloc.memory);
  check('ephemeral-storage', REASON_EPHEMERAL_STORAGE, req.ephemeralStorage, used.ephemeralStorage, alloc.ephemeralStorage);
  s.scalarNames.forEach((name, i) => check(name, s.scalarReasons[i], s.scalarValues[i], used.scalar.get(name) ?? 0, alloc.scalar.get(name) ?? 0));
  return out;
}

/** Filter's verdict for one node: Success, or Unschedulable with every insufficient resource as a reason. */
export function filterStatus(s: FitRequest, nodeInfo: NodeInfo): Status {
  if (s.scalarNames.length > MAX_MASK_SCALARS) {
    const insufficient = fitsRequest(s, nodeInfo);
    return insufficient.length === 0 ? SUCCESS : Status.unschedulable(...insufficient.map((r) => r.reason));
  }
  const mask = insufficientMask(s, nodeInfo);
  return mask === 0 ? SUCCESS : s.statusFor(mask);
}

/** Fits (upstream exported helper): the pod's insufficient resources on the node, nothing ignored. */
export function fits(pod: Pod, nodeInfo: NodeInfo): InsufficientResource[] {
  return fitsRequest(new FitRequest(podRequests(pod)), nodeInfo);
}
