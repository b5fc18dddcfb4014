/**
 * Where PodSecurity finds a pod spec (admission.go's DefaultPodSpecExtractor) and which pod updates it re-evaluates
 * (isSignificantPodUpdate: container count, images and seccomp annotations; ephemeral containers added or changed).
 */
import { obj, objs, optObj, str, stringMap, type Obj } from './check';

export interface PodSpecSource {
  meta: Obj;
  spec: Obj;
}

type Extract = (o: Obj) => Obj | undefined;

const specTemplate: Extract = (o) => optObj(obj(o.spec).template);

/** group/resource → the pod template inside (undefined when an optional template is absent). */
const EXTRACTORS: Record<string, Extract> = {
  '/replicationcontrollers': specTemplate,
  '/podtemplates': (o) => obj(o.template),
  'apps/replicasets': (o) => obj(obj(o.spec).template),
  'apps/deployments': (o) => obj(obj(o.spec).template),
  'apps/statefulsets': (o) => obj(obj(o.spec).template),
  'apps/daemonsets': (o) => obj(obj(o.spec).template),
  'batch/jobs': (o) => obj(obj(o.spec).template),
  'batch/cronjobs': (o) => obj(obj(obj(obj(o.spec).jobTemplate).spec).template),
};

export function hasPodSpec(group: string, resource: string): boolean {
  return Object.hasOwn(EXTRACTORS, `${group}/${resource}`);
}

/** The pod template's metadata and spec, or undefined when the object carries none. */
export function extractPodSpec(group: string, resource: string, o: Obj): PodSpecSource | undefined {
  const extract = EXTRACTORS[`${group}/${resource}`];
  const template = extract?.(o);
  return template ? { meta: obj(template.metadata), spec: obj(template.spec) } : undefined;
}

const SECCOMP_POD = 'seccomp.security.alpha.kubernetes.io/pod';
const SECCOMP_CONTAINER_PREFIX = 'container.seccomp.security.alpha.kubernetes.io/';

function containerChanged(c: Obj, old: Obj, ann: Record<string, string>, oldAnn: Record<string, string>): boolean {
  if (str(c.image) !== str(old.image)) return true;
  const key = SECCOMP_CONTAINER_PREFIX + str(c.name);
  return ann[key] !== oldAnn[key];
}

export function isSignificantPodUpdate(pod: Obj, old: Obj): boolean {
  const ann = stringMap(obj(pod.metadata).annotations);
  const oldAnn = stringMap(obj(old.metadata).annotations);
  if (ann[SECCOMP_POD] !== oldAnn[SECCOMP_POD]) return true;
  const spec = obj(pod.spec);
  const oldSpec = obj(old.spec);
  for (const field of ['containers', 'initContainers']) {
    const now = objs(spec[field]);
    const before = objs(oldSpec[field]);
    if (now.length !== before.length) return true;
    if (now.some((c, i) => containerChanged(c, before[i], ann, oldAnn))) return true;
  }
  const oldEphemeral = objs(oldSpec.ephemeralContainers);
  for (const c of objs(spec.ephemeralContainers)) {
    const before = oldEphemeral.find((o) => str(o.name) === str(c.name));
    if (!before || containerChanged(c, before, ann, oldAnn)) return true;
  }
  return false;
}
