/**
 * The remaining built-in defaults: Namespace (the kubernetes.io/metadata.name label, phase Active), Secret (type
 * Opaque; stringData folded into data as upstream's conversion does), Node (allocatable = capacity), LimitRange
 * (container default limits/requests from max/default/min), ResourceQuota (rounding), RBAC bindings (roleRef and
 * subject apiGroups), PriorityClass (preemptionPolicy) and CustomResourceDefinition (singular, listKind,
 * conversion None, storedVersions).
 */
import { ensure, isSet, list, roundResourceList, setDefault, setDefaultString, sub, type Obj } from './util';

const RBAC = 'rbac.authorization.k8s.io';

export function defaultNamespace(ns: Obj): void {
  const meta = ensure(ns, 'metadata');
  if (typeof meta.name === 'string' && meta.name) ensure(meta, 'labels')['kubernetes.io/metadata.name'] = meta.name;
  setDefaultString(ensure(ns, 'status'), 'phase', 'Active');
}

export function defaultSecret(secret: Obj): void {
  setDefaultString(secret, 'type', 'Opaque');
  const stringData = sub(secret, 'stringData');
  if (stringData) {
    const data = ensure(secret, 'data');
    for (const [k, v] of Object.entries(stringData)) data[k] = Buffer.from(typeof v === 'string' ? v : String(v ?? ''), 'utf8').toString('base64');
  }
  delete secret.stringData;
}

export function defaultNode(node: Obj): void {
  const status = sub(node, 'status');
  if (!status) return;
  roundResourceList(status, 'capacity');
  if (!isSet(status.allocatable) && isSet(status.capacity)) status.allocatable = { ...(status.capacity as Obj) };
  roundResourceList(status, 'allocatable');
}

export function defaultLimitRange(lr: Obj): void {
  for (const item of list(ensure(lr, 'spec'), 'limits')) {
    for (const k of ['max', 'min', 'default', 'defaultRequest', 'maxLimitRequestRatio']) roundResourceList(item, k);
    if (item.type !== 'Container') continue;
    const def = ensure(item, 'default');
    const req = ensure(item, 'defaultRequest');
    for (const [k, v] of Object.entries(sub(item, 'max') ?? {})) if (!(k in def)) def[k] = v;
    for (const [k, v] of Object.entries(def)) if (!(k in req)) req[k] = v;
    for (const [k, v] of Object.entries(sub(item, 'min') ?? {})) if (!(k in req)) req[k] = v;
  }
}

export function defaultResourceQuota(rq: Obj): void {
  roundResourceList(sub(rq, 'spec'), 'hard');
  roundResourceList(sub(rq, 'status'), 'hard');
  roundResourceList(sub(rq, 'status'), 'used');
}

export function defaultRoleBinding(b: Obj): void {
  setDefaultString(ensure(b, 'roleRef'), 'apiGroup', RBAC);
  for (const s of list(b, 'subjects')) if (!s.apiGroup && (s.kind === 'User' || s.kind === 'Group')) s.apiGroup = RBAC;
}

export function defaultPriorityClass(pc: Obj): void {
  setDefault(pc, 'preemptionPolicy', 'PreemptLowerPriority');
}

export function defaultCRD(crd: Obj): void {
  const spec = ensure(crd, 'spec');
  const names = ensure(spec, 'names');
  if (typeof names.kind === 'string' && names.kind) {
    setDefaultString(names, 'singular', names.kind.toLowerCase());
    setDefaultString(names, 'listKind', `${names.kind}List`);
  }
  setDefault(spec, 'conversion', { strategy: 'None' });
  const svc = sub(sub(sub(spec, 'conversion') ?? {}, 'webhook') ?? {}, 'clientConfig');
  const ref = svc && sub(svc, 'service');
  if (ref) setDefault(ref, 'port', 443);
  const status = ensure(crd, 'status');
  if (!Array.isArray(status.storedVersions) || !status.storedVersions.length) {
    const storage = list(spec, 'versions').find((v) => v.storage === true);
    if (storage) status.storedVersions = [storage.name];
  }
}
