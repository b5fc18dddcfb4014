/**
 * Namespace (create, update, status, finalize) and Node (create, update/status): names, spec finalizers, phase
 * rules, taints, resource quantities, podCIDRs and the fields a node update may not change.
 */
import { isIP } from 'node:net';
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, obj, objs, sortedEntries, str, strs, type Obj } from './access';
import { each, isQualifiedName, isValidLabelValue, nameIsDNSLabel, nameIsDNSSubdomain, validateCIDR } from './formats';
import { goStringSlice, goStruct } from './go-repr';
import { validateKubeFinalizerName, validateLabelName, validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validateTaintEffect } from './affinity';
import { quantityAt, validateQuantityValue } from './resources';

function finalizerName(f: string, path: string): FieldError[] {
  return [...each(path, f, isQualifiedName(f)), ...validateKubeFinalizerName(f, path)];
}

export function validateNamespace(ns: Obj): FieldError[] {
  const errs = validateObjectMeta(ns.metadata, false, nameIsDNSLabel);
  for (const f of strs(obj(ns.spec).finalizers)) errs.push(...finalizerName(f, 'spec.finalizers'));
  return errs;
}

export function validateNamespaceUpdate(ns: Obj, old: Obj): FieldError[] {
  return validateObjectMetaUpdate(ns.metadata, old.metadata);
}

export function validateNamespaceStatusUpdate(ns: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(ns.metadata, old.metadata);
  const phase = str(obj(ns.status).phase);
  if (!obj(ns.metadata).deletionTimestamp) {
    if (phase !== 'Active') errs.push(fieldErr.invalid('status.Phase', phase, "may only be 'Active' if `deletionTimestamp` is empty"));
  } else if (phase !== 'Terminating') errs.push(fieldErr.invalid('status.Phase', phase, "may only be 'Terminating' if `deletionTimestamp` is not empty"));
  return errs;
}

export function validateNamespaceFinalizeUpdate(ns: Obj, old: Obj): FieldError[] {
  const errs = validateObjectMetaUpdate(ns.metadata, old.metadata);
  strs(obj(ns.spec).finalizers).forEach((f, i) => errs.push(...finalizerName(f, index('spec.finalizers', i))));
  return errs;
}

/** validateNodeTaints; upstream reports them under metadata.taints (sic). */
export function validateNodeTaints(taints: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  const seen = new Set<string>();
  objs(taints).forEach((t, i) => {
    const p = index(path, i);
    errs.push(...validateLabelName(str(t.key), child(p, 'key')));
    const msgs = isValidLabelValue(str(t.value));
    if (msgs.length) errs.push(fieldErr.invalid(child(p, 'value'), str(t.value), msgs.join(';')));
    errs.push(...validateTaintEffect(str(t.effect), false, child(p, 'effect')));
    const k = `${str(t.effect)}\u0000${str(t.key)}`;
    if (seen.has(k)) {
      const shown = goStruct('core.Taint', [
        ['Key', JSON.stringify(str(t.key))],
        ['Value', JSON.stringify(str(t.value))],
        ['Effect', JSON.stringify(str(t.effect))],
        ['TimeAdded', '(*v1.Time)(nil)'],
      ]);
      const e = fieldErr.duplicate(p, shown);
      e.detail = 'taints must be unique by key and effect pair';
      errs.push(e);
      return;
    }
    seen.add(k);
  });
  return errs;
}

function nodeResources(node: Obj): FieldError[] {
  const errs: FieldError[] = [];
  for (const list of ['capacity', 'allocatable'])
    for (const [name, raw] of sortedEntries(obj(node.status)[list])) {
      const p = `status.${list}.${name}`;
      const q = quantityAt(raw, p, errs);
      if (q) errs.push(...validateQuantityValue(name, q, p));
    }
  return errs;
}

export function validateNode(node: Obj): FieldError[] {
  const errs = [...validateObjectMeta(node.metadata, false, nameIsDNSSubdomain), ...validateNodeTaints(obj(node.spec).taints, 'metadata.taints'), ...nodeResources(node)];
  const cidrs = strs(obj(node.spec).podCIDRs);
  cidrs.forEach((c, i) => errs.push(...validateCIDR(index('spec.podCIDRs', i), c)));
  if (cidrs.length > 1) {
    const families = new Set(cidrs.map((c) => isIP(c.split('/')[0])));
    if (families.size !== 2 || cidrs.length > 2) errs.push(fieldErr.invalid('spec.podCIDRs', goStringSlice(cidrs), 'may specify no more than one CIDR for each IP family'));
    const seen = new Set<string>();
    cidrs.forEach((c, i) => {
      if (seen.has(c)) errs.push(fieldErr.duplicate(index('spec.podCIDRs', i), c));
      seen.add(c);
    });
  }
  return errs;
}

export function validateNodeUpdate(node: Obj, old: Obj): FieldError[] {
  const spec = obj(node.spec);
  const oldSpec = obj(old.spec);
  const errs = [...validateObjectMetaUpdate(node.metadata, old.metadata), ...nodeResources(node)];
  const seen = new Set<string>();
  objs(obj(node.status).addresses).forEach((a, i) => {
    const k = `${str(a.type)}\u0000${str(a.address)}`;
    if (seen.has(k))
      errs.push(fieldErr.duplicate(index('status.addresses', i), goStruct('core.NodeAddress', [['Type', JSON.stringify(str(a.type))], ['Address', JSON.stringify(str(a.address))]])));
    seen.add(k);
  });
  const oldCidrs = strs(oldSpec.podCIDRs);
  const newCidrs = strs(spec.podCIDRs);
  const msg = 'node updates may not change podCIDR except from "" to valid';
  if (oldCidrs.length) {
    if (oldCidrs.length !== newCidrs.length) errs.push(fieldErr.forbidden('spec.podCIDRs', msg));
    else oldCidrs.forEach((c, i) => c !== newCidrs[i] && errs.push(fieldErr.forbidden('spec.podCIDRs', msg)));
  }
  if (str(oldSpec.providerID) && oldSpec.providerID !== spec.providerID)
    errs.push(fieldErr.forbidden('spec.providerID', 'node updates may not change providerID except from "" to valid'));
  errs.push(...validateNodeTaints(spec.taints, 'metadata.taints'));
  if (str(spec.externalID) !== str(oldSpec.externalID)) errs.push(fieldErr.forbidden('spec.externalID', 'may not be updated'));
  return errs;
}
