/**
 * The NodeRestriction admission plugin (plugin/pkg/admission/noderestriction). It only restricts node identities —
 * user `system:node:<name>` in group `system:nodes` — and never mutates. For pods a node may: create mirror pods
 * (annotation kubernetes.io/config.mirror) bound to itself, owned by its own Node (controller, no
 * blockOwnerDeletion, matching uid) and referencing no service account, secret, configmap, clustertrustbundle or
 * PVC; delete pods bound to itself; update the status of pods bound to itself (not their labels or resource claim
 * statuses); evict pods bound to itself. Other objects: see node-restriction-rules.ts. Messages are upstream's
 * (`node "n1" is not allowed to modify node "n2"`, …), wrapped as admission.NewForbidden does.
 */
import { goQuote } from '../../api/selectors/go-format';
import { StatusError } from '../../api/status';
import { obj, objs, optObj, str, type Obj } from '../validation/access';
import type { ClusterReader } from '../reader';
import type { UserInfo } from '../request';
import { admissionForbidden } from './forbidden';
import {
  admitCSINode,
  admitLease,
  admitNode,
  admitPVCStatus,
  admitResourceSlice,
  admitServiceAccountToken,
  semanticJson,
  type RuleResult,
} from './node-restriction-rules';
import { hasProjectedSource, podConfigMapNames, podSecretNames } from './pod-refs';
import type { AdmissionAttributes, MutatingPlugin } from './types';

const NODE_PREFIX = 'system:node:';
const MIRROR_ANNOTATION = 'kubernetes.io/config.mirror';

/** The node a user is (upstream's default NodeIdentifier), or undefined for anyone else. */
export function nodeIdentity(user: UserInfo): string | undefined {
  if (!user.name.startsWith(NODE_PREFIX) || !user.groups.includes('system:nodes')) return undefined;
  return user.name.slice(NODE_PREFIX.length);
}

const forbidden = (message: string): RuleResult => ({ forbidden: message });
const podNotFound = (name: string): RuleResult => ({ notFound: { group: '', resource: 'pod', name } });

function admitPodCreate(node: string, attrs: AdmissionAttributes, reader: ClusterReader): RuleResult {
  const pod = attrs.object;
  if (!pod) return undefined;
  const n = goQuote(node);
  if (!Object.hasOwn(pod.metadata.annotations ?? {}, MIRROR_ANNOTATION)) {
    return forbidden(`pod does not have ${goQuote(MIRROR_ANNOTATION)} annotation, node ${n} can only create mirror pods`);
  }
  const spec = obj(pod.spec);
  if (str(spec.nodeName) !== node) return forbidden(`node ${n} can only create pods with spec.nodeName set to itself`);
  const owners = objs(pod.metadata.ownerReferences);
  if (owners.length > 1) return forbidden(`node ${n} can only create pods with a single owner reference set to itself`);
  if (owners.length === 0) return forbidden(`node ${n} can only create pods with an owner reference set to itself`);
  const owner = owners[0];
  if (str(owner.apiVersion) !== 'v1' || str(owner.kind) !== 'Node' || str(owner.name) !== node) {
    return forbidden(`node ${n} can only create pods with an owner reference set to itself`);
  }
  if (owner.controller !== true) return forbidden(`node ${n} can only create pods with a controller owner reference set to itself`);
  if (owner.blockOwnerDeletion === true) return forbidden(`node ${n} must not set blockOwnerDeletion on an owner reference`);
  const nodeObj = reader.get('', 'nodes', '', node);
  if (!nodeObj) return { notFound: { group: '', resource: 'node', name: node } };
  if (str(owner.uid) !== (nodeObj.metadata.uid ?? '')) {
    return forbidden(`node ${node} UID mismatch: expected ${str(owner.uid)} got ${nodeObj.metadata.uid ?? ''}`);
  }
  if (str(spec.serviceAccountName)) return forbidden(`node ${n} can not create pods that reference a service account`);
  if (podSecretNames(spec).length) return forbidden(`node ${n} can not create pods that reference secrets`);
  if (podConfigMapNames(spec).length) return forbidden(`node ${n} can not create pods that reference configmaps`);
  if (hasProjectedSource(spec, 'clusterTrustBundle')) return forbidden(`node ${n} can not create pods that reference clustertrustbundles`);
  if (objs(spec.volumes).some((v) => optObj(v.persistentVolumeClaim))) return forbidden(`node ${n} can not create pods that reference persistentvolumeclaims`);
  return undefined;
}

function boundPod(attrs: AdmissionAttributes, reader: ClusterReader, name: string): Obj | undefined {
  if (attrs.oldObject && attrs.oldObject.metadata.name === name) return attrs.oldObject as Obj;
  return reader.get('', 'pods', attrs.namespace, name) as Obj | undefined;
}

function admitPod(node: string, attrs: AdmissionAttributes, reader: ClusterReader): RuleResult {
  const n = goQuote(node);
  const op = attrs.operation;
  switch (attrs.subresource) {
    case '': {
      if (op === 'CREATE') return admitPodCreate(node, attrs, reader);
      if (op !== 'DELETE') return forbidden(`unexpected operation ${goQuote(op)}, node ${n} can only create and delete mirror pods`);
      const existing = boundPod(attrs, reader, attrs.name);
      if (!existing) return podNotFound(attrs.name);
      return str(obj(existing.spec).nodeName) === node ? undefined : forbidden(`node ${n} can only delete pods with spec.nodeName set to itself`);
    }
    case 'status': {
      if (op !== 'UPDATE') return forbidden(`unexpected operation ${goQuote(op)}`);
      const old = attrs.oldObject;
      if (!old || !attrs.object) return undefined;
      if (str(obj(old.spec).nodeName) !== node) return forbidden(`node ${n} can only update pod status for pods with spec.nodeName set to itself`);
      if (semanticJson(attrs.object.metadata.labels) !== semanticJson(old.metadata.labels)) return forbidden(`node ${n} cannot update labels through pod status`);
      const claims = (p: Obj): string => semanticJson(objs(obj(p.status).resourceClaimStatuses).map((c) => [str(c.name), c.resourceClaimName ?? null]));
      if (claims(attrs.object) !== claims(old as Obj)) return forbidden(`node ${n} cannot update resource claim statues`);
      return undefined;
    }
    case 'eviction': {
      if (op !== 'CREATE') return forbidden(`unexpected operation ${op}`);
      const podName = attrs.name || (attrs.object?.metadata.name ?? '');
      if (!podName) return forbidden('could not determine pod from request data');
      const existing = reader.get('', 'pods', attrs.namespace, podName);
      if (!existing) return podNotFound(podName);
      return str(obj(existing.spec).nodeName) === node ? undefined : forbidden(`node ${node} can only evict pods with spec.nodeName set to itself`);
    }
    default:
      return forbidden(`unexpected pod subresource ${goQuote(attrs.subresource)}, only 'status' and 'eviction' are allowed`);
  }
}

function rule(node: string, attrs: AdmissionAttributes, reader: ClusterReader): RuleResult {
  const { group, resource } = attrs.resource;
  switch (`${group}/${resource}`) {
    case '/pods':
      return admitPod(node, attrs, reader);
    case '/nodes':
      return admitNode(node, attrs);
    case '/persistentvolumeclaims':
      return admitPVCStatus(node, attrs);
    case '/serviceaccounts':
      return admitServiceAccountToken(node, attrs, reader);
    case 'coordination.k8s.io/leases':
      return admitLease(node, attrs);
    case 'storage.k8s.io/csinodes':
      return admitCSINode(node, attrs);
    case 'resource.k8s.io/resourceslices':
      return admitResourceSlice(node, attrs);
    default:
      return undefined;
  }
}

export function createNodeRestrictionPlugin(): MutatingPlugin {
  const check = (attrs: AdmissionAttributes, ctx: { reader: ClusterReader }): void => {
    const node = nodeIdentity(attrs.user);
    if (node === undefined) return;
    if (!node) throw admissionForbidden(attrs, `could not determine node from user ${goQuote(attrs.user.name)}`);
    const r = rule(node, attrs, ctx.reader);
    if (!r) return;
    if ('notFound' in r) throw StatusError.notFound({ group: r.notFound.group, resource: r.notFound.resource }, r.notFound.name);
    throw admissionForbidden(attrs, r.forbidden);
  };
  return {
    name: 'NodeRestriction',
    handles: (attrs) => (attrs.operation === 'CREATE' || attrs.operation === 'UPDATE' || attrs.operation === 'DELETE') && nodeIdentity(attrs.user) !== undefined,
    admit: check,
  };
}
