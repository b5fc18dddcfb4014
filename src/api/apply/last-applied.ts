/**
 * Client-side → server-side apply hand-over, as apimachinery's lastAppliedManager and lastAppliedUpdater do it for
 * the manager named exactly `kubectl`:
 *   - conflicts on fields that the `kubectl.kubernetes.io/last-applied-configuration` annotation of the live object
 *     lists with the live value are allowed (the apply is then forced); other conflicts still fail;
 *   - after a successful apply, an existing annotation is rewritten to the applied configuration (without the
 *     annotation itself), encoded as Go's json.Encoder does (sorted keys, trailing newline).
 */
import type { KubeObject } from '../object';
import { compareObjects } from './compare';
import type { FieldSet } from './field-set';
import { toFieldSet } from './to-field-set';
import type { SchemaRef, TypeInfo } from './type-info';
import { deepCopy } from '../object';
import { goJson, isMap } from './values';

export const LAST_APPLIED_ANNOTATION = 'kubectl.kubernetes.io/last-applied-configuration';

export function lastAppliedOf(obj: KubeObject | undefined): string | undefined {
  const v = obj?.metadata?.annotations?.[LAST_APPLIED_ANNOTATION];
  return typeof v === 'string' && v.length > 0 ? v : undefined;
}

/** The fields the annotation says the client-side applier set to their current live values; undefined if unusable. */
export function allowedConflictsFromLastApplied(
  live: KubeObject,
  apiVersion: string,
  ref: SchemaRef,
  ti: TypeInfo,
): FieldSet | undefined {
  const raw = lastAppliedOf(live);
  if (!raw) return undefined;
  let last: unknown;
  try {
    last = JSON.parse(raw);
  } catch {
    return undefined;
  }
  if (!isMap(last) || last.apiVersion !== apiVersion) return undefined;
  const { set, errors } = toFieldSet(last, ref, ti, true);
  if (errors.length > 0) return undefined;
  const c = compareObjects(last, live, ref, ti);
  return set.difference(c.modified).difference(c.added).difference(c.removed);
}

/** The annotation value upstream writes for an applied configuration. */
export function buildLastApplied(applied: KubeObject): string {
  const copy = deepCopy(applied);
  const ann = copy.metadata?.annotations;
  if (ann) delete ann[LAST_APPLIED_ANNOTATION];
  return goJson(copy) + '\n';
}

export function setLastApplied(obj: KubeObject, value: string): void {
  obj.metadata ??= {};
  obj.metadata.annotations = { ...(obj.metadata.annotations ?? {}), [LAST_APPLIED_ANNOTATION]: value };
}
