/**
 * ValidatePodUpdate: after metadata and spec validation, only container images, activeDeadlineSeconds (nil → set,
 * or lowered), added tolerations, removed scheduling gates (and, while gated, added nodeSelector/nodeAffinity) and a
 * negative grace period raised to 1 may change; anything else yields upstream's long Forbidden message.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, deepClone, index, obj, objs, optNum, semanticEqual, str, strMap, type Obj } from './access';
import { inclusiveRangeError } from './formats';
import { validateObjectMetaUpdate } from './meta';
import { validatePodAnnotationUpdates, validatePodMetadataAndSpec } from './pod';
import { validateTolerations } from './affinity';
import { specDiff } from './diff';

export const POD_UPDATE_FORBIDDEN =
  'pod updates may not change fields other than `spec.containers[*].image`,`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,' +
  '`spec.tolerations` (only additions to existing tolerations),`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)';

const MAX_INT32 = 2147483647;

function containerUpdates(newList: unknown, oldList: unknown, path: string): { errs: FieldError[]; stop: boolean } {
  const n = objs(newList);
  if (n.length !== objs(oldList).length) return { errs: [fieldErr.forbidden(path, 'pod updates may not add or remove containers')], stop: true };
  const errs: FieldError[] = [];
  n.forEach((c, i) => {
    const image = str(c.image);
    if (!image) errs.push(fieldErr.required(child(index(path, i), 'image')));
    if (image.trim().length !== image.length) errs.push(fieldErr.invalid(child(index(path, i), 'image'), image, 'must not have leading or trailing whitespace'));
  });
  return { errs, stop: false };
}

function onlyAddedTolerations(newT: unknown, oldT: unknown, path: string): FieldError[] {
  const added = objs(newT);
  for (const o of objs(oldT)) {
    const found = added.some((n) => semanticEqual({ ...o, tolerationSeconds: n.tolerationSeconds }, n));
    if (!found) return [fieldErr.forbidden(path, 'existing toleration can not be modified except its tolerationSeconds')];
  }
  return validateTolerations(newT, path);
}

function onlyDeletedGates(newG: unknown, oldG: unknown, path: string): FieldError[] {
  const old = new Set(objs(oldG).map((g) => str(g.name)));
  const errs: FieldError[] = [];
  objs(newG).forEach((g, i) => {
    if (!old.has(str(g.name))) errs.push(fieldErr.forbidden(child(index(path, i), 'name'), `only deletion is allowed, but found new scheduling gate '${str(g.name)}'`));
  });
  return errs;
}

export function validatePodUpdate(pod: Obj, old: Obj): FieldError[] {
  const errs = [...validateObjectMetaUpdate(pod.metadata, old.metadata), ...validatePodMetadataAndSpec(pod), ...validatePodAnnotationUpdates(pod, old)];
  const spec = obj(pod.spec);
  const oldSpec = obj(old.spec);
  for (const f of ['containers', 'initContainers']) {
    const r = containerUpdates(spec[f], oldSpec[f], child('spec', f));
    errs.push(...r.errs);
    if (r.stop) return errs;
  }
  const ads = optNum(spec.activeDeadlineSeconds);
  const oldAds = optNum(oldSpec.activeDeadlineSeconds);
  if (ads !== undefined) {
    if (ads < 0 || ads > MAX_INT32) return [...errs, fieldErr.invalid('spec.activeDeadlineSeconds', ads, inclusiveRangeError(0, MAX_INT32))];
    if (oldAds !== undefined && oldAds < ads) return [...errs, fieldErr.invalid('spec.activeDeadlineSeconds', ads, 'must be less than or equal to previous value')];
  } else if (oldAds !== undefined) {
    errs.push(fieldErr.invalid('spec.activeDeadlineSeconds', null, 'must not update from a positive integer to nil value'));
  }
  errs.push(...onlyAddedTolerations(spec.tolerations, oldSpec.tolerations, 'spec.tolerations'));
  errs.push(...onlyDeletedGates(spec.schedulingGates, oldSpec.schedulingGates, 'spec.schedulingGates'));
  if (semanticEqual(spec, oldSpec)) return errs;

  const munged = deepClone(spec);
  for (const f of ['containers', 'initContainers'])
    objs(munged[f]).forEach((c, i) => {
      c.image = objs(oldSpec[f])[i]?.image;
    });
  munged.activeDeadlineSeconds = oldSpec.activeDeadlineSeconds;
  munged.schedulingGates = oldSpec.schedulingGates;
  munged.tolerations = oldSpec.tolerations;
  const oldGrace = optNum(oldSpec.terminationGracePeriodSeconds);
  if (oldGrace !== undefined && oldGrace < 0 && munged.terminationGracePeriodSeconds === 1) munged.terminationGracePeriodSeconds = oldGrace;
  if (objs(oldSpec.schedulingGates).length) {
    const oldSel = strMap(oldSpec.nodeSelector);
    const newSel = strMap(munged.nodeSelector);
    if (!semanticEqual(oldSel, newSel)) {
      if (Object.entries(oldSel).some(([k, v]) => newSel[k] !== v))
        errs.push(fieldErr.invalid('spec.nodeSelector', munged.nodeSelector ?? null, 'only additions to spec.nodeSelector are allowed (no mutations or deletions)'));
      munged.nodeSelector = oldSpec.nodeSelector;
    }
    const oldAff = obj(oldSpec.affinity);
    const newAff = obj(munged.affinity);
    if (!semanticEqual(oldAff.nodeAffinity, newAff.nodeAffinity)) munged.affinity = { ...newAff, nodeAffinity: oldAff.nodeAffinity };
  }
  if (!semanticEqual(munged, oldSpec)) errs.push(fieldErr.forbidden('spec', `${POD_UPDATE_FORBIDDEN}\n${specDiff('core.PodSpec', oldSpec, munged)}`));
  return errs;
}
