/**
 * The secret and configmap names a pod spec references (pkg/api/pod VisitPodSecretNames / VisitPodConfigmapNames,
 * over init, regular and ephemeral containers): image pull secrets, env and envFrom references, and volume sources
 * (secret, projected, and the volume plugins' secretRef fields). Read-only; objects are decoded JSON.
 */
import { arr, obj, objs, optObj, str, type Obj } from '../validation/access';

function containers(spec: Obj): Obj[] {
  return [...objs(spec.initContainers), ...objs(spec.containers), ...objs(spec.ephemeralContainers)];
}

/** Volume sources whose `secretRef` names a secret. */
const SECRET_REF_SOURCES = ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos'];

export function podSecretNames(spec: Obj): string[] {
  const names: string[] = [];
  for (const ref of objs(spec.imagePullSecrets)) names.push(str(ref.name));
  for (const c of containers(spec)) {
    for (const from of objs(c.envFrom)) {
      const ref = optObj(from.secretRef);
      if (ref) names.push(str(ref.name));
    }
    for (const env of objs(c.env)) {
      const ref = optObj(optObj(env.valueFrom)?.secretKeyRef);
      if (ref) names.push(str(ref.name));
    }
  }
  for (const v of objs(spec.volumes)) {
    const azureFile = optObj(v.azureFile);
    if (azureFile && str(azureFile.secretName)) names.push(str(azureFile.secretName));
    for (const source of SECRET_REF_SOURCES) {
      const ref = optObj(optObj(v[source])?.secretRef);
      if (ref) names.push(str(ref.name));
    }
    for (const p of objs(optObj(v.projected)?.sources)) {
      const secret = optObj(p.secret);
      if (secret) names.push(str(secret.name));
    }
    const secret = optObj(v.secret);
    if (secret) names.push(str(secret.secretName));
    const csiRef = optObj(optObj(v.csi)?.nodePublishSecretRef);
    if (csiRef) names.push(str(csiRef.name));
  }
  return names;
}

export function podConfigMapNames(spec: Obj): string[] {
  const names: string[] = [];
  for (const c of containers(spec)) {
    for (const from of objs(c.envFrom)) {
      const ref = optObj(from.configMapRef);
      if (ref) names.push(str(ref.name));
    }
    for (const env of objs(c.env)) {
      const ref = optObj(optObj(env.valueFrom)?.configMapKeyRef);
      if (ref) names.push(str(ref.name));
    }
  }
  for (const v of objs(spec.volumes)) {
    for (const p of objs(optObj(v.projected)?.sources)) {
      const cm = optObj(p.configMap);
      if (cm) names.push(str(cm.name));
    }
    const cm = optObj(v.configMap);
    if (cm) names.push(str(cm.name));
  }
  return names;
}

/** Projected volume sources of the given kind (`serviceAccountToken`, `clusterTrustBundle`) anywhere in the pod. */
export function hasProjectedSource(spec: Obj, kind: string): boolean {
  return objs(spec.volumes).some((v) => arr(obj(v.projected).sources).some((p) => optObj(obj(p)[kind]) !== undefined));
}
