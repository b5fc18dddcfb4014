/**
 * The status the API server gives an accepted CRD: acceptedNames = spec.names, conditions NamesAccepted and
 * Established (True), storedVersions including the storage version. Transition times are kept when a condition
 * does not change.
 */
import type { StoredObject } from '../../api/object';
import { rfc3339 } from '../registry/meta';
import type { CrdSpec } from './crd-types';

interface Condition {
  type: string;
  status: string;
  reason: string;
  message: string;
  lastTransitionTime: string;
}

export function crdStatus(crd: Readonly<StoredObject>, now: number): Record<string, unknown> {
  const spec = crd.spec as CrdSpec;
  const old = (crd.status ?? {}) as { conditions?: Condition[]; storedVersions?: string[] };
  const cond = (type: string, reason: string, message: string): Condition => {
    const prev = old.conditions?.find((c) => c.type === type);
    return { type, status: 'True', reason, message, lastTransitionTime: prev?.status === 'True' ? prev.lastTransitionTime : rfc3339(now) };
  };
  const names: Record<string, unknown> = { plural: spec.names.plural, singular: spec.names.singular ?? spec.names.kind.toLowerCase(), kind: spec.names.kind, listKind: spec.names.listKind ?? `${spec.names.kind}List` };
  if (spec.names.shortNames?.length) names.shortNames = spec.names.shortNames;
  if (spec.names.categories?.length) names.categories = spec.names.categories;
  const storage = spec.versions.find((v) => v.storage)?.name;
  const stored = [...(old.storedVersions ?? [])];
  if (storage && !stored.includes(storage)) stored.push(storage);
  return {
    conditions: [cond('NamesAccepted', 'NoConflicts', 'no conflicts found'), cond('Established', 'InitialNamesAccepted', 'the initial names have been accepted')],
    acceptedNames: names,
    storedVersions: stored,
  };
}
