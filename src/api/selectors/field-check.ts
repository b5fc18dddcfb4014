/**
 * Field selectors against a resource, as the API server applies them: `checkFieldSelector` runs every term through
 * the kind's field label conversion (Selector.Transform with Scheme.ConvertFieldLabel) and turns the first
 * rejection into upstream's 400; `fieldsOf` is the object's field set (GetAttrs); `compileFieldMatcher` and
 * `selectionPredicate` match objects without building that set (parse once, then one getter call per term).
 */
import type { KubeObject } from '../object';
import type { ResourceInfo } from '../resources';
import { StatusError } from '../status';
import { fieldLabelsFor, type FieldGetter } from './field-labels';
import type { FieldSelector } from './field-selector';
import type { LabelSelector } from './label-selector';

/** The object's field set as upstream's GetAttrs/ToSelectableFields compute it (e.g. spec.hostNetwork 'false'). */
export function fieldsOf(resource: ResourceInfo, obj: KubeObject): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [field, get] of fieldLabelsFor(resource).getters) out[field] = get(obj);
  return out;
}

/** The field labels `resource` accepts in a field selector (aliases such as pods' spec.host included). */
export function supportedFieldLabels(resource: ResourceInfo): readonly string[] {
  return fieldLabelsFor(resource).accepted;
}

/**
 * Validates `selector` for `resource` and returns it with every label converted to its canonical name (pods'
 * spec.host → spec.nodeName, events.k8s.io's regarding.name → involvedObject.name). Throws a 400 BadRequest
 * StatusError with the kind's own text, e.g. `field label not supported: spec.foo` for pods or
 * `"spec.foo" is not a known field selector: only "metadata.name", "metadata.namespace"` for deployments.
 */
export function checkFieldSelector(resource: ResourceInfo, selector: FieldSelector): FieldSelector {
  if (selector.empty()) return selector;
  const labels = fieldLabelsFor(resource);
  return selector.transform((field, value) => {
    const canonical = labels.convert(field);
    if (canonical === undefined) throw StatusError.badRequest(labels.rejection(field));
    return [canonical, value];
  });
}

const EMPTY: FieldGetter = () => '';

/**
 * A matcher for objects of `resource`; `selector` must be the one checkFieldSelector returned (canonical labels).
 * Equivalent to `selector.matches(fieldsOf(resource, obj))` without allocating the field set.
 */
export function compileFieldMatcher(resource: ResourceInfo, selector: FieldSelector): (obj: KubeObject) => boolean {
  const reqs = selector.requirements;
  if (!reqs.length) return () => true;
  const getters = fieldLabelsFor(resource).getters;
  const gets = reqs.map((r) => getters.get(r.field) ?? EMPTY);
  const values = reqs.map((r) => r.value);
  const equal = reqs.map((r) => r.operator === '=');
  return (obj) => {
    for (let i = 0; i < gets.length; i++) if ((gets[i](obj) === values[i]) !== equal[i]) return false;
    return true;
  };
}

/** storage.SelectionPredicate: both selectors against an object (labels from metadata.labels). */
export function selectionPredicate(
  resource: ResourceInfo,
  labels: LabelSelector,
  fields: FieldSelector,
): (obj: KubeObject) => boolean {
  const fieldMatch = compileFieldMatcher(resource, fields);
  if (labels.empty()) return fieldMatch;
  return (obj) => labels.matches(obj.metadata?.labels) && fieldMatch(obj);
}
