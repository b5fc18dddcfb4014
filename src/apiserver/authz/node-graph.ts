/**
 * The relationships the Node authorizer checks (upstream keeps them in a graph fed by informers; here they are
 * answered on demand from the ClusterReader):
 *   node <- pod                         pod.spec.nodeName
 *   node <- pod <- secret | configmap   referenced by the pod (volumes, env, envFrom, imagePullSecrets, projected, CSI)
 *   node <- pod <- serviceaccount       pod.spec.serviceAccountName
 *   node <- pod <- pvc <- pv [<- secret] pod volumes (incl. generic ephemeral `<pod>-<volume>`), pv.spec.claimRef,
 *                                       secrets referenced by the PV's volume source
 *   node <- volumeattachment            va.spec.nodeName
 * Pods without spec.nodeName relate to nothing. The references of each (frozen, shared) pod and PV object are
 * computed once and remembered per object.
 */
import type { ClusterReader } from '../reader';

export type RelatedType = 'pod' | 'secret' | 'configmap' | 'pvc' | 'pv' | 'serviceAccount' | 'volumeattachment';

type Obj = Record<string, unknown>;

interface PodRefs {
  nodeName: string;
  secrets: Set<string>;
  configMaps: Set<string>;
  pvcs: Set<string>;
  serviceAccount: string;
}

function obj(v: unknown): Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Obj) : {};
}

function arr(v: unknown): Obj[] {
  return Array.isArray(v) ? v.map(obj) : [];
}

function str(v: unknown): string {
  return typeof v === 'string' ? v : '';
}

/** Volume sources whose `secretRef.name` names a Secret (pod and PV volumes alike). */
const SECRET_REF_SOURCES = ['cephfs', 'cinder', 'flexVolume', 'rbd', 'scaleIO', 'iscsi', 'storageos'];
/** CSI secret references (a pod's inline CSI volume only has nodePublishSecretRef). */
const CSI_SECRET_REFS = ['nodePublishSecretRef', 'nodeStageSecretRef', 'controllerPublishSecretRef', 'controllerExpandSecretRef', 'nodeExpandSecretRef'];

const podCache = new WeakMap<object, PodRefs>();

/** VisitPodSecretNames / VisitPodConfigmapNames / the PVC and ServiceAccount edges of graph.AddPod. */
export function podRefs(pod: object): PodRefs {
  const cached = podCache.get(pod);
  if (cached) return cached;
  const p = pod as Obj;
  const spec = obj(p.spec);
  const refs: PodRefs = {
    nodeName: str(spec.nodeName),
    secrets: new Set(),
    configMaps: new Set(),
    pvcs: new Set(),
    serviceAccount: str(spec.serviceAccountName),
  };
  const add = (set: Set<string>, name: unknown) => {
    if (str(name)) set.add(str(name));
  };
  for (const s of arr(spec.imagePullSecrets)) add(refs.secrets, s.name);
  for (const c of [...arr(spec.containers), ...arr(spec.initContainers), ...arr(spec.ephemeralContainers)]) {
    for (const from of arr(c.envFrom)) {
      add(refs.secrets, obj(from.secretRef).name);
      add(refs.configMaps, obj(from.configMapRef).name);
    }
    for (const env of arr(c.env)) {
      const vf = obj(env.valueFrom);
      add(refs.secrets, obj(vf.secretKeyRef).name);
      add(refs.configMaps, obj(vf.configMapKeyRef).name);
    }
  }
  const podName = str(obj(p.metadata).name);
  for (const v of arr(spec.volumes)) {
    add(refs.secrets, obj(v.secret).secretName);
    add(refs.secrets, obj(v.azureFile).secretName);
    add(refs.secrets, obj(obj(v.csi).nodePublishSecretRef).name);
    for (const src of SECRET_REF_SOURCES) add(refs.secrets, obj(obj(v[src]).secretRef).name);
    add(refs.configMaps, obj(v.configMap).name);
    for (const s of arr(obj(v.projected).sources)) {
      add(refs.secrets, obj(s.secret).name);
      add(refs.configMaps, obj(s.configMap).name);
    }
    add(refs.pvcs, obj(v.persistentVolumeClaim).claimName);
    if (v.ephemeral !== undefined && str(v.name)) refs.pvcs.add(`${podName}-${str(v.name)}`);
  }
  podCache.set(pod, refs);
  return refs;
}

const pvSecretCache = new WeakMap<object, string[]>();

/** VisitPVSecretNames: `<namespace>/<name>` of every Secret the PV references (namespace defaulting to the claim's). */
export function pvSecretKeys(pv: object): string[] {
  const cached = pvSecretCache.get(pv);
  if (cached) return cached;
  const spec = obj((pv as Obj).spec);
  const claimNs = str(obj(spec.claimRef).namespace);
  const out: string[] = [];
  const add = (ref: Obj, nameField = 'name', nsField = 'namespace') => {
    const name = str(ref[nameField]);
    if (name) out.push(`${str(ref[nsField]) || claimNs}/${name}`);
  };
  for (const src of SECRET_REF_SOURCES) add(obj(obj(spec[src]).secretRef));
  add(obj(spec.azureFile), 'secretName', 'secretNamespace');
  const csi = obj(spec.csi);
  for (const r of CSI_SECRET_REFS) add(obj(csi[r]));
  pvSecretCache.set(pv, out);
  return out;
}

/** Answers "is there a path from this object to that node?" from the reader's current objects. */
export class NodeRelations {
  constructor(private readonly reader: ClusterReader) {}

  private podsOnNode(nodeName: string, namespace: string): PodRefs[] {
    const out: PodRefs[] = [];
    for (const pod of this.reader.list('', 'pods', namespace)) {
      const refs = podRefs(pod);
      if (refs.nodeName === nodeName) out.push(refs);
    }
    return out;
  }

  hasPath(nodeName: string, type: RelatedType, namespace: string, name: string): boolean {
    switch (type) {
      case 'pod': {
        const pod = this.reader.get('', 'pods', namespace, name);
        return !!pod && podRefs(pod).nodeName === nodeName;
      }
      case 'configmap':
        return this.podsOnNode(nodeName, namespace).some((p) => p.configMaps.has(name));
      case 'serviceAccount':
        return this.podsOnNode(nodeName, namespace).some((p) => p.serviceAccount === name);
      case 'pvc':
        return this.podsOnNode(nodeName, namespace).some((p) => p.pvcs.has(name));
      case 'pv': {
        const pv = this.reader.get('', 'persistentvolumes', '', name);
        const claim = obj(obj(pv?.spec).claimRef);
        return !!pv && !!str(claim.name) && this.hasPath(nodeName, 'pvc', str(claim.namespace), str(claim.name));
      }
      case 'secret': {
        if (this.podsOnNode(nodeName, namespace).some((p) => p.secrets.has(name))) return true;
        const key = `${namespace}/${name}`;
        return this.reader
          .list('', 'persistentvolumes')
          .some((pv) => pvSecretKeys(pv).includes(key) && this.hasPath(nodeName, 'pv', '', str(pv.metadata.name)));
      }
      case 'volumeattachment': {
        const va = this.reader.get('storage.k8s.io', 'volumeattachments', '', name);
        return !!va && str(obj(va.spec).nodeName) === nodeName;
      }
    }
  }
}
