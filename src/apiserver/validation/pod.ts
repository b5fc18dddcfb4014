/**
 * Pods and pod templates: ValidatePodCreate, ValidatePodStatusUpdate, ValidatePodTemplateSpec (embedded in every
 * workload), the PodTemplate kind, pod-specific annotations and Binding. Pod updates live in pod-update.ts.
 */
import { fieldErr, type FieldError } from '../../api/field-errors';
import { child, index, key, obj, objs, optObj, str, strMap, type Obj } from './access';
import { nameIsDNSSubdomain, validateIP, each, isQualifiedName } from './formats';
import { validateAnnotations, validateImmutable, validateLabels, validateObjectMeta, validateObjectMetaUpdate } from './meta';
import { validatePodSpec } from './pod-spec';

const MIRROR = 'kubernetes.io/config.mirror';
const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';
const APPARMOR_PREFIX = 'container.apparmor.security.beta.kubernetes.io/';

function containerNames(spec: Obj): Set<string> {
  return new Set([...objs(spec.containers), ...objs(spec.initContainers), ...objs(spec.ephemeralContainers)].map((c) => str(c.name)));
}

export function validatePodSpecificAnnotations(annotations: unknown, specIn: unknown, path: string): FieldError[] {
  const a = strMap(annotations);
  const spec = obj(specIn);
  const errs: FieldError[] = [];
  if (MIRROR in a && !str(spec.nodeName)) errs.push(fieldErr.invalid(key(path, MIRROR), a[MIRROR], 'must set spec.nodeName if mirror pod annotation is set'));
  if (DELETION_COST in a) {
    const v = a[DELETION_COST];
    const n = Number(v);
    if (!/^[+-]?\d+$/.test(v) || n < -2147483648 || n > 2147483647) errs.push(fieldErr.invalid(key(path, DELETION_COST), v, 'must be a 32bit integer'));
  }
  const names = containerNames(spec);
  for (const k of Object.keys(a).sort()) {
    if (!k.startsWith(APPARMOR_PREFIX)) continue;
    const c = k.slice(APPARMOR_PREFIX.length);
    if (!names.has(c)) errs.push(fieldErr.invalid(key(path, k), c, 'container not found'));
    const p = a[k];
    if (p && p !== 'runtime/default' && p !== 'unconfined' && !p.startsWith('localhost/'))
      errs.push(fieldErr.invalid(key(path, k), p, `invalid AppArmor profile name: ${JSON.stringify(p)}`));
  }
  return errs;
}

function imageWhitespace(list: unknown, path: string): FieldError[] {
  const errs: FieldError[] = [];
  objs(list).forEach((c, i) => {
    const image = str(c.image);
    if (image.length !== image.trim().length) errs.push(fieldErr.invalid(child(index(path, i), 'image'), image, 'must not have leading or trailing whitespace'));
  });
  return errs;
}

/** validatePodMetadataAndSpec: shared by create and update. */
export function validatePodMetadataAndSpec(pod: Obj): FieldError[] {
  const meta = obj(pod.metadata);
  const spec = obj(pod.spec);
  const errs = [
    ...validateObjectMeta(pod.metadata, true, nameIsDNSSubdomain),
    ...validatePodSpecificAnnotations(meta.annotations, spec, 'metadata.annotations'),
    ...validatePodSpec(spec, 'spec', { resourceIsPod: true, podName: str(meta.name) }),
  ];
  if (!str(spec.serviceAccountName))
    objs(spec.volumes).forEach((v, vi) => {
      objs(optObj(v.projected)?.sources).forEach((s, si) => {
        if (optObj(s.serviceAccountToken))
          errs.push(fieldErr.forbidden(`spec.volumes[${vi}].projected.sources[${si}].serviceAccountToken`, 'must not be specified when serviceAccountName is not set'));
      });
    });
  errs.push(...imageWhitespace(spec.containers, 'spec.containers'), ...imageWhitespace(spec.initContainers, 'spec.initContainers'));
  return errs;
}

export function validatePodCreate(pod: Obj): FieldError[] {
  const errs = validatePodMetadataAndSpec(pod);
  const spec = obj(pod.spec);
  if (objs(spec.ephemeralContainers).length) errs.push(fieldErr.forbidden('spec.ephemeralContainers', 'cannot be set on create'));
  if (str(spec.nodeName) && objs(spec.schedulingGates).length) errs.push(fieldErr.forbidden('spec.nodeName', 'cannot be set until all schedulingGates have been cleared'));
  return errs;
}

/** ValidatePodSpecificAnnotationUpdates: the mirror-pod and AppArmor annotations are fixed. */
export function validatePodAnnotationUpdates(pod: Obj, old: Obj): FieldError[] {
  const n = strMap(obj(pod.metadata).annotations);
  const o = strMap(obj(old.metadata).annotations);
  const path = 'metadata.annotations';
  const errs: FieldError[] = [];
  for (const k of Object.keys(o).sort()) {
    if (k in n && n[k] === o[k]) continue;
    if (k.startsWith(APPARMOR_PREFIX)) errs.push(fieldErr.forbidden(key(path, k), 'may not remove or update AppArmor annotations'));
    if (k === MIRROR) errs.push(fieldErr.forbidden(key(path, k), 'may not remove or update mirror pod annotation'));
  }
  for (const k of Object.keys(n).sort()) {
    if (k in o) continue;
    if (k.startsWith(APPARMOR_PREFIX)) errs.push(fieldErr.forbidden(key(path, k), 'may not add AppArmor annotations'));
    if (k === MIRROR) errs.push(fieldErr.forbidden(key(path, k), 'may not add mirror pod annotation'));
  }
  return [...errs, ...validatePodSpecificAnnotations(n, pod.spec, path)];
}

function stateTransitions(newList: unknown, oldList: unknown, path: string, restartPolicy: string, initSpecs?: Obj[]): FieldError[] {
  if (restartPolicy === 'Always') return [];
  const errs: FieldError[] = [];
  objs(oldList).forEach((o, i) => {
    const term = optObj(obj(o.state).terminated);
    if (!term) return;
    if ((term.exitCode ?? 0) !== 0 && restartPolicy === 'OnFailure') return;
    if (initSpecs?.some((c) => str(c.name) === str(o.name) && c.restartPolicy === 'Always')) return;
    for (const n of objs(newList))
      if (str(n.name) === str(o.name) && !optObj(obj(n.state).terminated))
        errs.push(fieldErr.forbidden(child(index(path, i), 'state'), 'may not be transitioned to non-terminated state'));
  });
  return errs;
}

export function validatePodStatusUpdate(pod: Obj, old: Obj): FieldError[] {
  const errs = [...validateObjectMetaUpdate(pod.metadata, old.metadata), ...validatePodAnnotationUpdates(pod, old)];
  const status = obj(pod.status);
  objs(status.conditions).forEach((c, i) => {
    const t = str(c.type);
    if (!['PodScheduled', 'Ready', 'Initialized'].includes(t)) errs.push(...each(`metadata.conditions[${i}].Type`, t, isQualifiedName(t)));
  });
  if (str(obj(pod.spec).nodeName) !== str(obj(old.spec).nodeName)) errs.push(fieldErr.forbidden('status.nodeName', 'may not be changed directly'));
  const nominated = str(status.nominatedNodeName);
  if (nominated && nominated !== str(obj(old.status).nominatedNodeName))
    errs.push(...each('status.nominatedNodeName', nominated, nameIsDNSSubdomain(nominated, false)));
  errs.push(...validateImmutable(str(status.qosClass), str(obj(old.status).qosClass), 'status.qosClass'));
  const oldPolicy = str(obj(old.spec).restartPolicy);
  errs.push(...stateTransitions(status.containerStatuses, obj(old.status).containerStatuses, 'status.containerStatuses', oldPolicy));
  errs.push(...stateTransitions(status.initContainerStatuses, obj(old.status).initContainerStatuses, 'status.initContainerStatuses', oldPolicy, objs(obj(old.spec).initContainers)));
  errs.push(...stateTransitions(status.ephemeralContainerStatuses, obj(old.status).ephemeralContainerStatuses, 'status.ephemeralContainerStatuses', 'Never'));
  objs(status.podIPs).forEach((ip, i) => errs.push(...validateIP(`status.podIPs[${i}]`, str(ip.ip))));
  const hostIPs = objs(status.hostIPs);
  if (hostIPs.length && str(status.hostIP) !== str(hostIPs[0].ip)) errs.push(fieldErr.invalid('status.hostIPs[0].ip', str(hostIPs[0].ip), 'must be equal to `hostIP`'));
  hostIPs.forEach((ip, i) => errs.push(...validateIP(`status.hostIPs[${i}]`, str(ip.ip))));
  return errs;
}

/** ValidatePodTemplateSpec (templates never validate as a Pod: no name, resourceIsPod false). */
export function validatePodTemplateSpec(templateIn: unknown, path: string): FieldError[] {
  const t = obj(templateIn);
  const meta = obj(t.metadata);
  const spec = obj(t.spec);
  const errs = [
    ...validateLabels(meta.labels, child(path, 'labels')),
    ...validateAnnotations(meta.annotations, child(path, 'annotations')),
    ...validatePodSpecificAnnotations(meta.annotations, spec, child(path, 'annotations')),
    ...validatePodSpec(spec, child(path, 'spec'), { resourceIsPod: false }),
  ];
  if (objs(spec.ephemeralContainers).length) errs.push(fieldErr.forbidden(child(path, 'spec', 'ephemeralContainers'), 'ephemeral containers not allowed in pod template'));
  return errs;
}

export function validatePodTemplate(pt: Obj): FieldError[] {
  return [...validateObjectMeta(pt.metadata, true, nameIsDNSSubdomain), ...validatePodTemplateSpec(pt.template, 'template')];
}

export function validatePodTemplateUpdate(pt: Obj, old: Obj): FieldError[] {
  return [...validateObjectMetaUpdate(pt.metadata, old.metadata), ...validatePodTemplateSpec(pt.template, 'template')];
}

/** ValidatePodBinding (pods/binding). */
export function validateBinding(binding: Obj): FieldError[] {
  const target = obj(binding.target);
  const errs: FieldError[] = [];
  if (str(target.kind) && target.kind !== 'Node') errs.push(fieldErr.notSupported('target.kind', str(target.kind), ['Node', '<empty>']));
  if (!str(target.name)) errs.push(fieldErr.required('target.name'));
  return errs;
}
