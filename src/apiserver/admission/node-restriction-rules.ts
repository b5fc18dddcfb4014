/**
 * NodeRestriction's rules for objects other than pods (plugin/pkg/admission/noderestriction): a node may only create
 * or modify its own Node (no configSource, no taint changes, and no labels under kubernetes.io / k8s.io except the
 * kubelet's own — node.kubernetes.io/*, kubelet.kubernetes.io/* and the well-known topology/os/arch/instance-type
 * labels — nor node-restriction.kubernetes.io/*); its own Lease in kube-node-lease; tokens only for pods bound to
 * it; only PVC status (capacity/conditions); only its own CSINode and ResourceSlices. Each rule returns the
 * upstream error text, or undefined when allowed; `notFound` marks a lookup that must become a 404 (worded as
 * client-go listers word it: `pod "x" not found`).
 */
import { compareGoStrings, goQuote } from '../../api/selectors/go-format';
import type { StoredObject } from '../../api/object';
import type { ClusterReader } from '../reader';
import { obj, optObj, str, type Obj } from '../validation/access';
import type { AdmissionAttributes } from './types';

export type RuleResult = undefined | { forbidden: string } | { notFound: { group: string; resource: string; name: string } };

const forbidden = (message: string): RuleResult => ({ forbidden: message });

const KUBELET_LABELS = new Set([
  'kubernetes.io/hostname',
  'topology.kubernetes.io/zone',
  'topology.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'failure-domain.beta.kubernetes.io/region',
  'beta.kubernetes.io/instance-type',
  'node.kubernetes.io/instance-type',
  'kubernetes.io/os',
  'kubernetes.io/arch',
  'beta.kubernetes.io/os',
  'beta.kubernetes.io/arch',
]);
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

function labelNamespace(key: string): string {
  const slash = key.indexOf('/');
  return slash < 0 ? '' : key.slice(0, slash);
}

function inDomain(ns: string, domain: string): boolean {
  return ns === domain || ns.endsWith(`.${domain}`);
}

export function isKubeletLabel(key: string): boolean {
  if (KUBELET_LABELS.has(key)) return true;
  const ns = labelNamespace(key);
  return KUBELET_LABEL_NAMESPACES.some((d) => inDomain(ns, d));
}

/** Label keys a node may not add, remove or change on its own Node object, sorted. */
export function forbiddenNodeLabels(labels: Record<string, unknown>, oldLabels: Record<string, unknown>): string[] {
  const modified = new Set<string>();
  for (const [k, v] of Object.entries(labels)) if (!Object.hasOwn(oldLabels, k) || oldLabels[k] !== v) modified.add(k);
  for (const [k, v] of Object.entries(oldLabels)) if (!Object.hasOwn(labels, k) || labels[k] !== v) modified.add(k);
  const bad = [...modified].filter((label) => {
    const ns = labelNamespace(label);
    if (inDomain(ns, 'node-restriction.kubernetes.io')) return true;
    return (inDomain(ns, 'kubernetes.io') || inDomain(ns, 'k8s.io')) && !isKubeletLabel(label);
  });
  return bad.sort(compareGoStrings);
}

function normalize(v: unknown): unknown {
  if (v === null || v === undefined) return undefined;
  if (Array.isArray(v)) return v.length ? v.map((x) => normalize(x) ?? null) : undefined;
  if (typeof v !== 'object') return v;
  const out: Obj = {};
  for (const k of Object.keys(v).sort(compareGoStrings)) {
    const n = normalize((v as Obj)[k]);
    if (n !== undefined) out[k] = n;
  }
  return Object.keys(out).length ? out : undefined;
}

/** apimachinery's semantic equality for JSON data, as a comparable string: nil and empty lists/maps are equal. */
export function semanticJson(v: unknown): string {
  return JSON.stringify(normalize(v)) ?? '';
}

export function admitNode(nodeName: string, attrs: AdmissionAttributes): RuleResult {
  const requested = attrs.name || (attrs.object?.metadata.name ?? '');
  if (requested !== nodeName) return forbidden(`node ${goQuote(nodeName)} is not allowed to modify node ${goQuote(requested)}`);
  const node = attrs.object;
  if (attrs.operation === 'CREATE' && node) {
    if (optObj(obj(node.spec).configSource)) return forbidden(`node ${goQuote(nodeName)} is not allowed to create pods with a non-nil configSource`);
    const bad = forbiddenNodeLabels(obj(node.metadata.labels), {});
    if (bad.length) return forbidden(`node ${goQuote(nodeName)} is not allowed to set the following labels: ${bad.join(', ')}`);
  }
  if (attrs.operation === 'UPDATE' && node && attrs.oldObject) {
    const spec = obj(node.spec);
    const oldSpec = obj(attrs.oldObject.spec);
    const configSource = optObj(spec.configSource);
    if (configSource && semanticJson(configSource) !== semanticJson(oldSpec.configSource)) {
      return forbidden(`node ${goQuote(nodeName)} is not allowed to update configSource to a new non-nil configSource`);
    }
    if (semanticJson(spec.taints) !== semanticJson(oldSpec.taints)) return forbidden(`node ${goQuote(nodeName)} is not allowed to modify taints`);
    const bad = forbiddenNodeLabels(obj(node.metadata.labels), obj(attrs.oldObject.metadata.labels));
    if (bad.length) return forbidden(`is not allowed to modify labels: ${bad.join(', ')}`);
  }
  return undefined;
}

export function admitLease(nodeName: string, attrs: AdmissionAttributes): RuleResult {
  if (attrs.namespace !== 'kube-node-lease') return forbidden(`can only access leases in the "kube-node-lease" system namespace`);
  const name = attrs.operation === 'CREATE' ? (attrs.object?.metadata.name ?? '') : attrs.name;
  return name === nodeName ? undefined : forbidden('can only access node lease with the same name as the requesting node');
}

export function admitCSINode(nodeName: string, attrs: AdmissionAttributes): RuleResult {
  const name = attrs.operation === 'CREATE' ? (attrs.object?.metadata.name ?? '') : attrs.name;
  return name === nodeName ? undefined : forbidden('can only access CSINode with the same name as the requesting node');
}

export function admitResourceSlice(nodeName: string, attrs: AdmissionAttributes): RuleResult {
  if (attrs.operation === 'CREATE' && str(obj(attrs.object?.spec).nodeName) !== nodeName) {
    return forbidden('can only create ResourceSlice with the same NodeName as the requesting node');
  }
  if (attrs.operation === 'DELETE' && str(obj(attrs.oldObject?.spec).nodeName) !== nodeName) {
    return forbidden('can only delete ResourceSlice with the same NodeName as the requesting node');
  }
  return undefined;
}

/** TokenRequests from a node must be bound to a pod scheduled on that node. */
export function admitServiceAccountToken(nodeName: string, attrs: AdmissionAttributes, reader: ClusterReader): RuleResult {
  if (attrs.operation !== 'CREATE' || attrs.subresource !== 'token') return undefined;
  const ref = optObj(obj(attrs.object?.spec).boundObjectRef);
  if (!ref || str(ref.apiVersion) !== 'v1' || str(ref.kind) !== 'Pod' || !str(ref.name)) return forbidden('node requested token not bound to a pod');
  const uid = str(ref.uid);
  if (!uid) return forbidden('node requested token with a pod binding without a uid');
  const pod = reader.get('', 'pods', attrs.namespace, str(ref.name));
  if (!pod) return { notFound: { group: '', resource: 'pod', name: str(ref.name) } };
  if (uid !== pod.metadata.uid) {
    return forbidden(`the UID in the bound object reference (${uid}) does not match the UID in record. The object might have been deleted and then recreated`);
  }
  if (str(obj(pod.spec).nodeName) !== nodeName) return forbidden('node requested token bound to a pod scheduled on a different node');
  return undefined;
}

/** A PVC with everything a node may change cleared (resourceVersion, managedFields, status capacity/conditions). */
function pvcComparable(pvc: Readonly<StoredObject>): Obj {
  const copy = JSON.parse(JSON.stringify(pvc)) as Obj;
  const meta = obj(copy.metadata);
  delete meta.resourceVersion;
  delete meta.managedFields;
  const status = obj(copy.status);
  for (const f of ['capacity', 'conditions', 'allocatedResourceStatuses', 'allocatedResources']) delete status[f];
  return copy;
}

/** Top-level paths that differ (upstream prints a cmp.Diff here). */
function changedPaths(a: Obj, b: Obj, prefix = ''): string[] {
  const out: string[] = [];
  for (const k of [...new Set([...Object.keys(a), ...Object.keys(b)])].sort(compareGoStrings)) {
    if (semanticJson(a[k]) === semanticJson(b[k])) continue;
    const path = prefix ? `${prefix}.${k}` : k;
    const x = optObj(a[k]);
    const y = optObj(b[k]);
    if (x && y && prefix.split('.').length < 2) out.push(...changedPaths(x, y, path));
    else out.push(path);
  }
  return out;
}

export function admitPVCStatus(nodeName: string, attrs: AdmissionAttributes): RuleResult {
  if (attrs.subresource !== 'status') return forbidden('may only update PVC status');
  if (attrs.operation !== 'UPDATE') return forbidden(`unexpected operation ${goQuote(attrs.operation)}`);
  if (!attrs.object || !attrs.oldObject) return undefined;
  const now = pvcComparable(attrs.object);
  const before = pvcComparable(attrs.oldObject);
  if (semanticJson(now) === semanticJson(before)) return undefined;
  return forbidden(`node ${goQuote(nodeName)} is not allowed to update fields other than status.quantity and status.conditions: ${changedPaths(before, now).join(', ')}`);
}
