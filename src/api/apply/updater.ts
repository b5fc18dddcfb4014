/**
 * structured-merge-diff's merge.Updater for a single API version: how an Update (create/update/patch) and an Apply
 * change the managers' field sets, and how Apply merges and prunes the object.
 *
 * Contract (as upstream):
 *   - every field changed or added by the operation is taken away from every other manager; with Apply and
 *     force=false, a manager other than the applier owning such a field is a conflict and nothing changes;
 *   - fields removed from the object are removed from every other manager's set; managers left empty disappear;
 *   - Update: the manager's set grows by what it changed and shrinks by what it removed;
 *   - Apply: the applier's set becomes exactly the configuration's set; fields it owned before and no longer applies
 *     are removed from the object unless another manager owns them (prune).
 * Sets carry the API version they were recorded at; versions are not converted (kinds here have one version).
 */
import { compareObjects, excludeFields, type Comparison } from './compare';
import { FieldSet } from './field-set';
import { dropNullFields, mergeObjects } from './merge';
import type { Path } from './path-element';
import { prune } from './remove-items';
import { toFieldSet } from './to-field-set';
import type { SchemaRef, TypeInfo } from './type-info';
import { compareStrings, valuesEqual } from './values';

export interface VersionedSet {
  set: FieldSet;
  apiVersion: string;
  applied: boolean;
}

/** Managers by identifier (see managed-fields.ts). */
export type Managers = Map<string, VersionedSet>;

export interface Conflict {
  manager: string;
  path: Path;
}

/** Thrown by apply when other managers own fields the configuration changes. */
export class ApplyConflicts extends Error {
  constructor(readonly conflicts: Conflict[]) {
    super(`${conflicts.length} apply conflict(s)`);
  }
}

export interface UpdaterEnv {
  ti: TypeInfo;
  ref: SchemaRef;
  /** Fields this resource resets on write (upstream's resetFields); never owned. */
  ignored?: FieldSet;
}

function update(
  live: unknown,
  next: unknown,
  managers: Managers,
  workflow: string,
  force: boolean,
  env: UpdaterEnv,
): { managers: Managers; compare: Comparison } {
  const compare = excludeFields(compareObjects(live, next, env.ref, env.ti), env.ignored);
  const changed = compare.modified.union(compare.added);
  const conflicts = new Map<string, FieldSet>();
  for (const [id, vs] of managers) {
    if (id === workflow) continue;
    const c = vs.set.intersection(changed);
    if (!c.isEmpty()) conflicts.set(id, c);
  }
  if (!force && conflicts.size > 0) {
    const list: Conflict[] = [];
    for (const id of [...conflicts.keys()].sort(compareStrings)) for (const path of conflicts.get(id)!.paths()) list.push({ manager: id, path });
    throw new ApplyConflicts(list);
  }
  const out: Managers = new Map();
  for (const [id, vs] of managers) {
    let set = vs.set;
    const c = conflicts.get(id);
    if (c) set = set.difference(c);
    if (id !== workflow && !compare.removed.isEmpty()) set = set.difference(compare.removed);
    if (!set.isEmpty()) out.set(id, set === vs.set ? vs : { ...vs, set });
  }
  return { managers: out, compare };
}

/** Records an Update by `manager` (live is the object before, next the object to persist). */
export function updaterUpdate(live: unknown, next: unknown, version: string, managers: Managers, manager: string, env: UpdaterEnv): Managers {
  const r = update(live, next, managers, manager, true, env);
  const prev = r.managers.get(manager)?.set ?? FieldSet.empty();
  let set = prev.union(r.compare.modified).union(r.compare.added).difference(r.compare.removed);
  if (env.ignored) set = set.recursiveDifference(env.ignored);
  const out = new Map(r.managers);
  if (set.isEmpty()) out.delete(manager);
  else out.set(manager, { set, apiVersion: version, applied: false });
  return out;
}

/**
 * Applies `config` (already validated) by `manager`. Returns the new object, or `undefined` when the object does
 * not change (upstream then keeps the live object and does not touch the applier's timestamp).
 */
export function updaterApply(
  live: unknown,
  config: unknown,
  version: string,
  managers: Managers,
  manager: string,
  force: boolean,
  env: UpdaterEnv,
): { object: unknown; managers: Managers } {
  const merged = mergeObjects(live, config, env.ref, env.ti);
  const lastSet = managers.get(manager)?.set;
  let set = toFieldSet(config, env.ref, env.ti).set;
  if (env.ignored) set = set.recursiveDifference(env.ignored);
  const withNew: Managers = new Map(managers);
  withNew.set(manager, { set, apiVersion: version, applied: true });
  let all = FieldSet.empty();
  for (const vs of withNew.values()) all = all.union(vs.set);
  const pruned = prune(merged, all, lastSet, env.ref, env.ti);
  const next = dropNullFields(pruned === null ? {} : pruned, env.ref, env.ti);
  const r = update(live, next, withNew, manager, force, env);
  return { object: valuesEqual(live, next) ? undefined : next, managers: r.managers };
}
