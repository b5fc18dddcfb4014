/**
 * The ServiceAccount admission plugin (plugin/pkg/admission/serviceaccount), mutating and validating, pods only.
 * On pod CREATE (admit): defaults spec.serviceAccountName to "default"; the service account must exist (a missing
 * "default" is looked up again for a while, as the controller may not have created it yet) else 403
 * `error looking up service account ns/default: serviceaccount "default" not found`; unless automounting is turned
 * off (pod first, then service account) adds the projected `kube-api-access-xxxxx` volume (token, kube-root-ca.crt,
 * namespace) and mounts it read-only at /var/run/secrets/kubernetes.io/serviceaccount in every init and regular
 * container that has nothing mounted there; copies the service account's imagePullSecrets when the pod has none.
 * Mirror pods are never changed and may not reference service accounts, secrets or token projections. With
 * `kubernetes.io/enforce-mountable-secrets=true` on the service account, the pod may only reference the secrets it
 * lists. validate() re-checks all of that (and ephemeral container updates) without mutating.
 */
import { isPlainObject, type StoredObject } from '../../api/object';
import { generateName as simpleNameGenerator } from '../registry/meta';
import { objs, str, type Obj } from '../validation/access';
import { admissionForbidden } from './forbidden';
import { hasProjectedSource, podSecretNames } from './pod-refs';
import type { AdmissionAttributes, AdmissionContext, MutatingPlugin, ValidatingPlugin } from './types';

export const DEFAULT_SERVICE_ACCOUNT = 'default';
export const TOKEN_VOLUME_PREFIX = 'kube-api-access-';
export const TOKEN_MOUNT_PATH = '/var/run/secrets/kubernetes.io/serviceaccount';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';
const ENFORCE_MOUNTABLE_SECRETS = 'kubernetes.io/enforce-mountable-secrets';
/** serviceaccount.WarnOnlyBoundTokenExpirationSeconds: 1 h + 7 s. */
const TOKEN_EXPIRATION_SECONDS = 3607;

export interface ServiceAccountOptions {
  /** Names the token volume: base + 5 random characters (upstream's SimpleNameGenerator by default). */
  generateName?: (base: string) => string;
  /** Pause between lookups of a missing service account (upstream: 100–200 ms; 10 tries for "default", else 1). */
  sleep?: (ms: number) => Promise<void>;
  /** Enforce mountable secrets for every service account (upstream's LimitSecretReferences, off by default). */
  limitSecretReferences?: boolean;
}

/** The projected volume source of the service account token (TokenVolumeSource). */
export function tokenVolumeSource(): Obj {
  return {
    sources: [
      { serviceAccountToken: { expirationSeconds: TOKEN_EXPIRATION_SECONDS, path: 'token' } },
      { configMap: { name: 'kube-root-ca.crt', items: [{ key: 'ca.crt', path: 'ca.crt' }] } },
      { downwardAPI: { items: [{ path: 'namespace', fieldRef: { apiVersion: 'v1', fieldPath: 'metadata.namespace' } }] } },
    ],
    defaultMode: 420,
  };
}

function isMirror(pod: StoredObject): boolean {
  return Object.hasOwn(pod.metadata.annotations ?? {}, MIRROR_ANNOTATION);
}

function specOf(pod: StoredObject): Obj {
  if (!isPlainObject(pod.spec)) pod.spec = {};
  return pod.spec as Obj;
}

/** Go's strconv.ParseBool, false on error. */
function parseBool(v: string): boolean {
  return ['1', 't', 'T', 'TRUE', 'true', 'True'].includes(v);
}

function mountToken(spec: Obj, generateName: (base: string) => string): void {
  const volumes = objs(spec.volumes);
  const existing = volumes.find((v) => str(v.name).startsWith(TOKEN_VOLUME_PREFIX));
  const volumeName = existing ? str(existing.name) : generateName(TOKEN_VOLUME_PREFIX);
  let needsVolume = false;
  for (const field of ['initContainers', 'containers']) {
    if (!Array.isArray(spec[field])) continue;
    for (const c of spec[field] as unknown[]) {
      if (!isPlainObject(c)) continue;
      if (objs(c.volumeMounts).some((m) => str(m.mountPath) === TOKEN_MOUNT_PATH)) continue;
      if (!Array.isArray(c.volumeMounts)) c.volumeMounts = [];
      (c.volumeMounts as unknown[]).push({ name: volumeName, readOnly: true, mountPath: TOKEN_MOUNT_PATH });
      needsVolume = true;
    }
  }
  if (existing || !needsVolume) return;
  if (!Array.isArray(spec.volumes)) spec.volumes = [];
  (spec.volumes as unknown[]).push({ name: volumeName, projected: tokenVolumeSource() });
}

function mountableSecretsError(sa: Readonly<StoredObject>, spec: Obj, which: 'create' | 'ephemeral'): string | undefined {
  const mountable = new Set(objs(sa.secrets).map((s) => str(s.name)));
  const saName = sa.metadata.name ?? '';
  const notAllowed = `is not allowed because service account ${saName} does not reference that secret`;
  const envErrors = (kind: string, containers: Obj[]): string | undefined => {
    for (const c of containers) {
      for (const env of objs(c.env)) {
        const ref = (env.valueFrom as Obj | undefined)?.secretKeyRef;
        if (isPlainObject(ref) && !mountable.has(str(ref.name))) {
          return `${kind} ${str(c.name)} with envVar ${str(env.name)} referencing secret.secretName="${str(ref.name)}" ${notAllowed}`;
        }
      }
      for (const from of objs(c.envFrom)) {
        const ref = from.secretRef;
        if (isPlainObject(ref) && !mountable.has(str(ref.name))) {
          return `${kind} ${str(c.name)} with envFrom referencing secret.secretName="${str(ref.name)}" ${notAllowed}`;
        }
      }
    }
    return undefined;
  };
  if (which === 'ephemeral') return envErrors('ephemeral container', objs(spec.ephemeralContainers));
  for (const v of objs(spec.volumes)) {
    if (isPlainObject(v.secret) && !mountable.has(str(v.secret.secretName))) {
      return `volume with secret.secretName="${str(v.secret.secretName)}" ${notAllowed}`;
    }
  }
  const env = envErrors('init container', objs(spec.initContainers)) ?? envErrors('container', objs(spec.containers));
  if (env) return env;
  const pullSecrets = new Set(objs(sa.imagePullSecrets).map((s) => str(s.name)));
  const bad = objs(spec.imagePullSecrets).findIndex((ref) => !pullSecrets.has(str(ref.name)));
  if (bad >= 0) {
    const name = str(objs(spec.imagePullSecrets)[bad].name);
    return `imagePullSecrets[${bad}].name="${name}" is not allowed because service account ${saName} does not reference that imagePullSecret`;
  }
  return undefined;
}

export function createServiceAccountPlugin(opts: ServiceAccountOptions = {}): MutatingPlugin & ValidatingPlugin {
  const generateName = opts.generateName ?? simpleNameGenerator;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));

  async function getServiceAccount(attrs: AdmissionAttributes, ctx: AdmissionContext, name: string): Promise<Readonly<StoredObject>> {
    const ns = attrs.namespace;
    let sa = ctx.reader.get('', 'serviceaccounts', ns, name);
    const attempts = name === DEFAULT_SERVICE_ACCOUNT ? 10 : 1;
    const interval = 100 + Math.floor(Math.random() * 100);
    for (let i = 0; !sa && i < attempts; i++) {
      if (i !== 0) await sleep(interval);
      sa = ctx.reader.get('', 'serviceaccounts', ns, name);
    }
    if (!sa) throw admissionForbidden(attrs, `error looking up service account ${ns}/${name}: serviceaccount "${name}" not found`);
    return sa;
  }

  function enforceMountable(sa: Readonly<StoredObject>): boolean {
    if (opts.limitSecretReferences) return true;
    const v = sa.metadata.annotations?.[ENFORCE_MOUNTABLE_SECRETS];
    return v !== undefined && parseBool(v);
  }

  async function validate(attrs: AdmissionAttributes, ctx: AdmissionContext): Promise<void> {
    const pod = attrs.object!;
    const spec = isPlainObject(pod.spec) ? (pod.spec as Obj) : {};
    const saName = str(spec.serviceAccountName);
    if (attrs.operation === 'UPDATE' && attrs.subresource === 'ephemeralcontainers') {
      if (!saName) throw admissionForbidden(attrs, `no service account specified for pod ${attrs.namespace}/${pod.metadata.name ?? ''}`);
      const sa = await getServiceAccount(attrs, ctx, saName);
      const err = enforceMountable(sa) ? mountableSecretsError(sa, spec, 'ephemeral') : undefined;
      if (err) throw admissionForbidden(attrs, err);
      return;
    }
    if (attrs.operation !== 'CREATE') return;
    if (isMirror(pod)) {
      if (saName) throw admissionForbidden(attrs, 'a mirror pod may not reference service accounts');
      if (podSecretNames(spec).length) throw admissionForbidden(attrs, 'a mirror pod may not reference secrets');
      if (hasProjectedSource(spec, 'serviceAccountToken')) throw admissionForbidden(attrs, 'a mirror pod may not use ServiceAccountToken volume projections');
      return;
    }
    if (!saName) throw admissionForbidden(attrs, `no service account specified for pod ${attrs.namespace}/${pod.metadata.name ?? ''}`);
    const sa = await getServiceAccount(attrs, ctx, saName);
    const err = enforceMountable(sa) ? mountableSecretsError(sa, spec, 'create') : undefined;
    if (err) throw admissionForbidden(attrs, err);
  }

  return {
    name: 'ServiceAccount',
    handles(attrs) {
      const r = attrs.resource;
      if (r.group !== '' || r.resource !== 'pods' || !attrs.object) return false;
      if (attrs.subresource !== '' && attrs.subresource !== 'ephemeralcontainers') return false;
      return attrs.operation === 'CREATE' || attrs.operation === 'UPDATE';
    },
    async admit(attrs, ctx) {
      if (attrs.operation !== 'CREATE') return;
      const pod = attrs.object!;
      if (isMirror(pod)) return validate(attrs, ctx);
      const spec = specOf(pod);
      if (!str(spec.serviceAccountName)) spec.serviceAccountName = DEFAULT_SERVICE_ACCOUNT;
      const sa = await getServiceAccount(attrs, ctx, str(spec.serviceAccountName));
      const automount = typeof spec.automountServiceAccountToken === 'boolean' ? spec.automountServiceAccountToken : sa.automountServiceAccountToken !== false;
      if (automount) mountToken(spec, generateName);
      const pullSecrets = objs(sa.imagePullSecrets);
      if (!objs(spec.imagePullSecrets).length && pullSecrets.length) spec.imagePullSecrets = pullSecrets.map((s) => ({ name: str(s.name) }));
      return validate(attrs, ctx);
    },
    validate,
  };
}
