/**
 * Decoding and validation of what a node may set — capacity, labels, taints, runtime — for the worker template, the
 * control plane and every `nodes[]` entry. Quantities parse as resource.Quantity and are never negative (`pods`
 * whole); label keys/values and taint keys/values follow apimachinery's IsQualifiedName / IsValidLabelValue; taint
 * effects and duplicate key+effect pairs are refused with upstream's words; labels in the kubernetes.io / k8s.io
 * namespaces are limited to the set the kubelet accepts for --node-labels (upstream ValidateKubeletFlags).
 */
import { Quantity } from '../../api/quantity';
import { fieldErr, fieldErrorBody } from '../../api/field-errors';
import { isDNS1123Subdomain, isQualifiedName, isValidLabelValue } from '../../api/selectors/label-validation';
import type { Reader, Seg } from './reader';
import { isObj, show } from './reader';
import { RUNTIMES, TAINT_EFFECTS, type NodeRuntime, type NodeTemplate, type Taint } from './types';

/** kubeletapis.KubeletLabels() and KubeletLabelNamespaces(), sorted as upstream prints them. */
const KUBELET_LABELS = [
  'beta.kubernetes.io/arch',
  'beta.kubernetes.io/instance-type',
  'beta.kubernetes.io/os',
  'failure-domain.beta.kubernetes.io/region',
  'failure-domain.beta.kubernetes.io/zone',
  'kubernetes.io/arch',
  'kubernetes.io/hostname',
  'kubernetes.io/os',
  'node.kubernetes.io/instance-type',
  'topology.kubernetes.io/region',
  'topology.kubernetes.io/zone',
];
const KUBELET_LABEL_NAMESPACES = ['kubelet.kubernetes.io', 'node.kubernetes.io'];

const inNamespace = (ns: string, base: string) => ns === base || ns.endsWith(`.${base}`);

function labelNamespace(key: string): string {
  const i = key.indexOf('/');
  return i < 0 ? '' : key.slice(0, i);
}

/** A label in the kubernetes.io or k8s.io namespaces that the kubelet would refuse in --node-labels. */
export function isReservedNodeLabel(key: string): boolean {
  const ns = labelNamespace(key);
  if (!inNamespace(ns, 'kubernetes.io') && !inNamespace(ns, 'k8s.io')) return false;
  if (KUBELET_LABELS.includes(key)) return false;
  return !KUBELET_LABEL_NAMESPACES.some((allowed) => inNamespace(ns, allowed));
}

/** Node names are DNS-1123 subdomains (upstream ValidateNodeName). Returns the problems, empty when valid. */
export function nodeNameProblems(name: string): string[] {
  if (name === '') return ['Required value: name is required'];
  return isDNS1123Subdomain(name).map((m) => `invalid node name ${show(name)}: ${m}`);
}

/** A quantity string (numbers accepted from YAML), or a problem: `invalid quantity "abc": <reason>`. */
export function readQuantity(r: Reader, v: unknown, path: readonly Seg[], resource: string): string | undefined {
  if (typeof v !== 'string' && !(typeof v === 'number' && Number.isFinite(v))) {
    r.add(path, `expected a quantity such as "2", "500m" or "4Gi", got ${show(v)}`);
    return undefined;
  }
  const text = String(v).trim();
  let q: Quantity;
  try {
    q = Quantity.parse(text);
  } catch (e) {
    r.add(path, `invalid quantity ${show(text)}: ${(e as Error).message}`);
    return undefined;
  }
  if (q.sign() < 0) {
    r.add(path, `invalid quantity ${show(text)}: must be greater than or equal to 0`);
    return undefined;
  }
  if (resource === 'pods' && q.cmp(Quantity.fromInt(q.value())) !== 0) {
    r.add(path, `invalid quantity ${show(text)}: must be a whole number of pods`);
    return undefined;
  }
  return q.toString();
}

export function readCapacity(r: Reader, v: unknown, path: readonly Seg[]): Record<string, string> | undefined {
  if (v === undefined || v === null) return undefined;
  if (!isObj(v)) {
    r.add(path, `expected a map of resource quantities such as {cpu: "2", memory: 4Gi}, got ${show(v)}`);
    return undefined;
  }
  const o = v;
  const out: Record<string, string> = {};
  for (const [name, raw] of Object.entries(o)) {
    const p = [...path, name];
    const bad = isQualifiedName(name);
    if (bad.length) {
      r.add(p, `invalid resource name ${show(name)}: ${bad.join('; ')}`);
      continue;
    }
    const q = readQuantity(r, raw, p, name);
    if (q !== undefined) out[name] = q;
  }
  return out;
}

export function readLabels(r: Reader, v: unknown, path: readonly Seg[]): Record<string, string> | undefined {
  const labels = r.stringMap(v, path);
  if (!labels) return undefined;
  const reserved: string[] = [];
  for (const [k, val] of Object.entries(labels)) {
    const keyErrs = isQualifiedName(k);
    if (keyErrs.length) r.add([...path, k], `invalid label key ${show(k)}: ${keyErrs.join('; ')}`);
    else if (isReservedNodeLabel(k)) reserved.push(k);
    const valErrs = isValidLabelValue(val);
    if (valErrs.length) r.add([...path, k], `invalid label value ${show(val)}: ${valErrs.join('; ')}`);
  }
  if (reserved.length) {
    r.add(
      path,
      `unknown 'kubernetes.io' or 'k8s.io' labels specified with --node-labels: [${reserved.sort().join(' ')}]\n` +
        `--node-labels in the 'kubernetes.io' namespace must begin with an allowed prefix (${KUBELET_LABEL_NAMESPACES.join(', ')}) ` +
        `or be in the specifically allowed set (${KUBELET_LABELS.join(', ')})` +
        (reserved.some((k) => k.startsWith('node-role.kubernetes.io/')) ? '; KubeLab sets the node-role label from the node\'s role itself' : ''),
    );
  }
  return labels;
}

export function readTaints(r: Reader, v: unknown, path: readonly Seg[]): Taint[] | undefined {
  const items = r.list(v, path);
  if (!items) return undefined;
  const out: Taint[] = [];
  const seen = new Set<string>();
  items.forEach((item, i) => {
    const p = [...path, i];
    const o = r.object(item, p, ['key', 'value', 'effect']);
    if (!o) {
      if (item === undefined || item === null) r.add(p, 'expected a taint {key, value, effect}, got null');
      return;
    }
    const before = r.problems.length;
    const key = r.string(o.key, [...p, 'key']);
    const value = r.string(o.value, [...p, 'value']);
    const effect = r.string(o.effect, [...p, 'effect']);
    if (o.key === undefined || o.key === null || key === '') r.add([...p, 'key'], 'Required value');
    else if (key !== undefined && isQualifiedName(key).length) r.add([...p, 'key'], `invalid taint key ${show(key)}: ${isQualifiedName(key).join('; ')}`);
    if (value !== undefined && isValidLabelValue(value).length) r.add([...p, 'value'], `invalid taint value ${show(value)}: ${isValidLabelValue(value).join('; ')}`);
    if (o.effect === undefined || o.effect === null || effect === '') r.add([...p, 'effect'], 'Required value');
    else if (effect !== undefined && !(TAINT_EFFECTS as readonly string[]).includes(effect)) {
      r.add([...p, 'effect'], fieldErrorBody(fieldErr.notSupported('', effect, [...TAINT_EFFECTS])));
    }
    if (r.problems.length !== before || key === undefined || effect === undefined) return;
    const id = `${key}\u0000${effect}`;
    if (seen.has(id)) {
      r.add(p, `duplicate taint ${key}:${effect}: taints must be unique by key and effect pair`);
      return;
    }
    seen.add(id);
    out.push({ key, ...(value ? { value } : {}), effect: effect as Taint['effect'] });
  });
  return out;
}

export function readRuntime(r: Reader, v: unknown, path: readonly Seg[]): NodeRuntime | undefined {
  const s = r.string(v, path);
  if (s === undefined) return undefined;
  if ((RUNTIMES as readonly string[]).includes(s)) return s as NodeRuntime;
  r.add(path, fieldErrorBody(fieldErr.notSupported('', s, [...RUNTIMES])));
  return undefined;
}

/** A node's settable fields over `base`: capacity merges per resource, labels per key; taints replace. */
export function readNodeFields(r: Reader, o: Record<string, unknown>, path: readonly Seg[], base: NodeTemplate): NodeTemplate {
  const capacity = readCapacity(r, o.capacity, [...path, 'capacity']);
  const labels = readLabels(r, o.labels, [...path, 'labels']);
  const taints = readTaints(r, o.taints, [...path, 'taints']);
  const runtime = readRuntime(r, o.runtime, [...path, 'runtime']);
  return {
    capacity: { ...base.capacity, ...(capacity ?? {}) },
    labels: { ...base.labels, ...(labels ?? {}) },
    taints: taints ?? base.taints.map((t) => ({ ...t })),
    runtime: runtime ?? base.runtime,
  };
}
