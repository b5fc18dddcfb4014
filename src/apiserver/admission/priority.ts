/**
 * Priority (plugin/pkg/admission/priority): mutating for pods, validating for PriorityClasses; one object.
 *
 * - Pod CREATE: `spec.priorityClassName` resolves to a PriorityClass (stored, or one of the two built-in system
 *   classes, which exist even before bootstrap stores them); no name → the global default class (the lowest value
 *   if several claim it; its name is recorded) or priority 0 with PreemptLowerPriority. The pod gets
 *   `spec.priority` and, when the class has one, `spec.preemptionPolicy`. Rejections (403):
 *   `no PriorityClass with name foo was found`, `the integer value of priority (5) must not be provided in pod spec;
 *   priority admission controller computed 0 from the given PriorityClass name`, and the PreemptionPolicy analogue.
 * - Pod UPDATE: priority and preemptionPolicy omitted by the update are kept from the stored pod.
 * - PriorityClass CREATE/UPDATE with globalDefault: rejected while another class is the default:
 *   `PriorityClass low is already marked as default. Only one default can exist`.
 * `bootstrapPriorityClasses()` returns the system classes the API server stores at startup.
 */
import type { StoredObject } from '../../api/object';
import { admissionForbidden, ensure, isResource, str, sub, type Obj } from './plugin-util';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin, ValidatingPlugin } from './types';

const GROUP = 'scheduling.k8s.io';
const RESOURCE = 'priorityclasses';
/** scheduling.SystemCriticalPriority. */
export const SYSTEM_CRITICAL_PRIORITY = 2000000000;
export const SYSTEM_CLUSTER_CRITICAL = 'system-cluster-critical';
export const SYSTEM_NODE_CRITICAL = 'system-node-critical';

const SYSTEM_CLASSES: readonly { name: string; value: number; description: string }[] = [
  {
    name: SYSTEM_NODE_CRITICAL,
    value: SYSTEM_CRITICAL_PRIORITY + 1000,
    description: 'Used for system critical pods that must not be moved from their current node.',
  },
  {
    name: SYSTEM_CLUSTER_CRITICAL,
    value: SYSTEM_CRITICAL_PRIORITY,
    description: 'Used for system critical pods that must run in the cluster, but can be moved to another node if necessary.',
  },
];

/** The system PriorityClasses upstream creates at bootstrap (as stored, after defaulting). */
export function bootstrapPriorityClasses(): StoredObject[] {
  return SYSTEM_CLASSES.map((c) => ({
    apiVersion: `${GROUP}/v1`,
    kind: 'PriorityClass',
    metadata: { name: c.name },
    value: c.value,
    description: c.description,
    preemptionPolicy: 'PreemptLowerPriority',
  }));
}

export type PriorityPlugin = MutatingPlugin & ValidatingPlugin;

interface Resolved {
  name: string;
  value: number;
  preemptionPolicy?: string;
}

function toResolved(pc: Readonly<Obj>): Resolved {
  const policy = str(pc, 'preemptionPolicy');
  return { name: str(sub(pc, 'metadata'), 'name'), value: typeof pc.value === 'number' ? pc.value : 0, ...(policy ? { preemptionPolicy: policy } : {}) };
}

function lookup(ctx: AdmissionContext, name: string): Resolved | undefined {
  const stored = ctx.reader.get(GROUP, RESOURCE, '', name);
  if (stored) return toResolved(stored);
  const builtin = bootstrapPriorityClasses().find((c) => c.metadata.name === name);
  return builtin && toResolved(builtin);
}

/** getDefaultPriorityClass: among classes with globalDefault, the one with the lowest value. */
function defaultClass(ctx: AdmissionContext): Resolved | undefined {
  let best: Resolved | undefined;
  for (const pc of ctx.reader.list(GROUP, RESOURCE)) {
    if (pc.globalDefault !== true) continue;
    const r = toResolved(pc);
    if (!best || best.value > r.value) best = r;
  }
  return best;
}

function admitPod(attrs: AdmissionAttributes, ctx: AdmissionContext, pod: Obj): void {
  const spec = ensure(pod, 'spec');
  if (attrs.operation === 'UPDATE') {
    const old = sub(attrs.oldObject, 'spec');
    if (spec.priority == null && old?.priority != null) spec.priority = old.priority;
    if (spec.preemptionPolicy == null && old?.preemptionPolicy != null) spec.preemptionPolicy = old.preemptionPolicy;
    return;
  }
  const className = str(spec, 'priorityClassName');
  let resolved: Resolved;
  if (!className) {
    resolved = defaultClass(ctx) ?? { name: '', value: 0, preemptionPolicy: 'PreemptLowerPriority' };
    if (resolved.name) spec.priorityClassName = resolved.name;
  } else {
    const found = lookup(ctx, className);
    if (!found) throw admissionForbidden(attrs, `no PriorityClass with name ${className} was found`);
    resolved = found;
  }
  if (spec.priority != null && spec.priority !== resolved.value)
    throw admissionForbidden(
      attrs,
      `the integer value of priority (${String(spec.priority)}) must not be provided in pod spec; priority admission controller computed ${resolved.value} from the given PriorityClass name`,
    );
  spec.priority = resolved.value;
  const policy = resolved.preemptionPolicy;
  if (policy) {
    if (spec.preemptionPolicy != null && spec.preemptionPolicy !== policy)
      throw admissionForbidden(
        attrs,
        `the string value of PreemptionPolicy (${String(spec.preemptionPolicy)}) must not be provided in pod spec; priority admission controller computed ${policy} from the given PriorityClass name`,
      );
    spec.preemptionPolicy = policy;
  }
}

function validatePriorityClass(attrs: AdmissionAttributes, ctx: AdmissionContext, pc: Readonly<Obj>): void {
  if (pc.globalDefault !== true) return;
  const current = defaultClass(ctx);
  if (!current) return;
  if (attrs.operation === 'CREATE' || current.name !== str(sub(pc, 'metadata'), 'name'))
    throw admissionForbidden(attrs, `PriorityClass ${current.name} is already marked as default. Only one default can exist`);
}

export function createPriorityPlugin(): PriorityPlugin {
  const isMine = (attrs: AdmissionAttributes): boolean =>
    (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE') && (isResource(attrs, '', 'pods') || isResource(attrs, GROUP, RESOURCE));
  return {
    name: 'Priority',
    handles: isMine,
    admit(attrs, ctx) {
      if (attrs.object && attrs.resource.resource === 'pods') admitPod(attrs, ctx, attrs.object);
    },
    validate(attrs, ctx) {
      if (attrs.object && attrs.resource.resource === RESOURCE) validatePriorityClass(attrs, ctx, attrs.object);
    },
  };
}
