/**
 * Which field selector labels each resource accepts and how its objects' field sets are computed, transcribed
 * from Kubernetes 1.32: the field label conversion funcs registered per kind (pkg/apis/<group>/<version>/
 * conversion.go: accepted labels, aliases such as pods' spec.host, and each func's own rejection text), and the
 * registry strategies' GetAttrs/ToSelectableFields (pkg/registry/...). Kinds without a registered func (apps/*,
 * cronjobs, configmaps, …) fall back to runtime.DefaultMetaV1FieldSelectorConversion; custom resources use the
 * apiextensions converter. Upstream quirks are kept: nodes and namespaces reject metadata.namespace, replicasets
 * reject status.replicas, pods accept status.podIPs but never set it (so it reads '').
 */
import type { KubeObject } from '../object';
import type { ResourceInfo } from '../resources';
import { goQuote } from './go-format';

/** Reads one field of an object as upstream's field set holds it (always a string). */
export type FieldGetter = (obj: KubeObject) => string;

export interface FieldLabels {
  /** The canonical label a client label converts to, or undefined when the kind rejects it. */
  convert(label: string): string | undefined;
  /** The conversion func's error text for a rejected label (the 400's message). */
  rejection(label: string): string;
  /** Canonical label → getter: the object's whole field set (GetAttrs). */
  readonly getters: ReadonlyMap<string, FieldGetter>;
  /** The labels a client may use, aliases included, in upstream's order. */
  readonly accepted: readonly string[];
}

type Obj = Record<string, unknown>;

function at(obj: unknown, path: readonly string[]): unknown {
  let cur: unknown = obj;
  for (let i = 0; i < path.length; i++) {
    if (typeof cur !== 'object' || cur === null) return undefined;
    cur = (cur as Obj)[path[i]];
  }
  return cur;
}

function str(...path: string[]): FieldGetter {
  return (obj) => {
    const v = at(obj, path);
    return typeof v === 'string' ? v : '';
  };
}

/** strconv.FormatBool of a bool defaulting to false. */
function bool(...path: string[]): FieldGetter {
  return (obj) => (at(obj, path) === true ? 'true' : 'false');
}

/** strconv.Itoa of an int defaulting to 0. */
function int(...path: string[]): FieldGetter {
  return (obj) => {
    const v = at(obj, path);
    return typeof v === 'number' && Number.isFinite(v) ? String(Math.trunc(v)) : '0';
  };
}

/** The first non-empty of several getters. */
function first(...gs: FieldGetter[]): FieldGetter {
  return (obj) => {
    for (const g of gs) {
      const v = g(obj);
      if (v) return v;
    }
    return '';
  };
}

const NAME = str('metadata', 'name');
const NAMESPACE = str('metadata', 'namespace');

function rejectNotSupported(label: string): string {
  return `field label not supported: ${label}`;
}

function rejectDefault(label: string): string {
  return `${goQuote(label)} is not a known field selector: only "metadata.name", "metadata.namespace"`;
}

function table(
  accepted: readonly string[],
  getters: Record<string, FieldGetter>,
  rejection: (label: string) => string = rejectNotSupported,
  aliases: Record<string, string> = {},
): FieldLabels {
  const conv = new Map<string, string>();
  for (const a of accepted) conv.set(a, Object.prototype.hasOwnProperty.call(aliases, a) ? aliases[a] : a);
  return {
    convert: (label) => conv.get(label),
    rejection,
    getters: new Map(Object.entries(getters)),
    accepted: Object.freeze([...accepted]),
  };
}

/** ObjectMetaFieldsSet(meta, namespaced) plus kind-specific fields. */
function fieldSet(namespaced: boolean, specific: Record<string, FieldGetter> = {}): Record<string, FieldGetter> {
  return namespaced ? { 'metadata.name': NAME, 'metadata.namespace': NAMESPACE, ...specific } : { 'metadata.name': NAME, ...specific };
}

/** Core Event fields, read from a core/v1 Event or, failing that, its events.k8s.io/v1 spelling. */
function ref(field: string): FieldGetter {
  return first(str('involvedObject', field), str('regarding', field));
}
const REPORTING = first(str('reportingComponent'), str('reportingController'));
const EVENT_FIELDS = fieldSet(true, {
  'involvedObject.kind': ref('kind'),
  'involvedObject.namespace': ref('namespace'),
  'involvedObject.name': ref('name'),
  'involvedObject.uid': ref('uid'),
  'involvedObject.apiVersion': ref('apiVersion'),
  'involvedObject.resourceVersion': ref('resourceVersion'),
  'involvedObject.fieldPath': ref('fieldPath'),
  reason: str('reason'),
  reportingComponent: REPORTING,
  source: first(str('source', 'component'), str('deprecatedSource', 'component'), REPORTING),
  type: str('type'),
});

const EVENTS_V1_ALIASES: Record<string, string> = {
  'regarding.kind': 'involvedObject.kind',
  'regarding.namespace': 'involvedObject.namespace',
  'regarding.name': 'involvedObject.name',
  'regarding.uid': 'involvedObject.uid',
  'regarding.apiVersion': 'involvedObject.apiVersion',
  'regarding.resourceVersion': 'involvedObject.resourceVersion',
  'regarding.fieldPath': 'involvedObject.fieldPath',
  reportingController: 'reportingComponent',
};

const POD_LABELS = [
  'metadata.name',
  'metadata.namespace',
  'spec.nodeName',
  'spec.restartPolicy',
  'spec.schedulerName',
  'spec.serviceAccountName',
  'spec.hostNetwork',
  'status.phase',
  'status.podIP',
  'status.podIPs',
  'status.nominatedNodeName',
  'spec.host',
];

const TABLES: Record<string, FieldLabels> = {
  '/pods': table(
    POD_LABELS,
    fieldSet(true, {
      'spec.nodeName': str('spec', 'nodeName'),
      'spec.restartPolicy': str('spec', 'restartPolicy'),
      'spec.schedulerName': str('spec', 'schedulerName'),
      'spec.serviceAccountName': str('spec', 'serviceAccountName'),
      'spec.hostNetwork': bool('spec', 'hostNetwork'),
      'status.phase': str('status', 'phase'),
      // Internally PodIPs[0]; a v1 status.podIP, when set, is authoritative for it.
      'status.podIP': first(str('status', 'podIP'), str('status', 'podIPs', '0', 'ip')),
      'status.nominatedNodeName': str('status', 'nominatedNodeName'),
    }),
    rejectNotSupported,
    { 'spec.host': 'spec.nodeName' },
  ),
  '/nodes': table(['metadata.name', 'spec.unschedulable'], fieldSet(false, { 'spec.unschedulable': bool('spec', 'unschedulable') })),
  '/replicationcontrollers': table(
    ['metadata.name', 'metadata.namespace', 'status.replicas'],
    fieldSet(true, { 'status.replicas': int('status', 'replicas') }),
  ),
  '/events': table(
    [...Object.keys(EVENT_FIELDS).filter((k) => !k.startsWith('metadata.')), 'metadata.namespace', 'metadata.name'],
    EVENT_FIELDS,
  ),
  '/namespaces': table(['status.phase', 'metadata.name'], fieldSet(false, { 'status.phase': str('status', 'phase'), name: NAME })),
  '/secrets': table(['type', 'metadata.namespace', 'metadata.name'], fieldSet(true, { type: str('type') })),
  '/services': table(
    ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'],
    fieldSet(true, { 'spec.clusterIP': str('spec', 'clusterIP'), 'spec.type': str('spec', 'type') }),
  ),
  'batch/jobs': table(
    ['metadata.name', 'metadata.namespace', 'status.successful'],
    fieldSet(true, { 'status.successful': int('status', 'succeeded') }),
    (label) => `field label ${goQuote(label)} not supported for Job`,
  ),
  'events.k8s.io/events': table(
    [...Object.keys(EVENTS_V1_ALIASES).slice(0, 7), 'reason', 'reportingController', 'source', 'type', 'metadata.namespace', 'metadata.name'],
    EVENT_FIELDS,
    rejectNotSupported,
    EVENTS_V1_ALIASES,
  ),
};

/** Field sets of kinds that register no conversion func: reachable through GetAttrs, not through selectors. */
const EXTRA_FIELDS: Record<string, Record<string, FieldGetter>> = {
  'apps/replicasets': { 'status.replicas': int('status', 'replicas') },
  '/persistentvolumes': { name: NAME },
  '/persistentvolumeclaims': { name: NAME },
};

const cache = new WeakMap<ResourceInfo, FieldLabels>();

/** The field selector contract of one resource. */
export function fieldLabelsFor(resource: ResourceInfo): FieldLabels {
  let t = cache.get(resource);
  if (t) return t;
  const key = `${resource.group}/${resource.resource}`;
  if (resource.crd) {
    const accepted = resource.namespaced ? ['metadata.name', 'metadata.namespace'] : ['metadata.name'];
    t = table(accepted, fieldSet(resource.namespaced));
  } else {
    const own = (o: object): boolean => Object.prototype.hasOwnProperty.call(o, key);
    t = own(TABLES)
      ? TABLES[key]
      : table(['metadata.name', 'metadata.namespace'], fieldSet(resource.namespaced, own(EXTRA_FIELDS) ? EXTRA_FIELDS[key] : {}), rejectDefault);
  }
  cache.set(resource, t);
  return t;
}
