/**
 * The Node authorizer (plugin/pkg/auth/authorizer/node), simplified but worded as upstream. It only speaks for
 * kubelets: users named `system:node:<name>` in group `system:nodes` (anyone else gets noOpinion with no reason).
 *
 * - secrets, configmaps: get/list/watch of a named object in a namespace, only when a pod bound to the node
 *   references it; pvcs, pvs, volumeattachments: get (pvcs/status update/patch) only when related to the node.
 * - serviceaccounts: only `create` of `serviceaccounts/token` for a ServiceAccount a pod on the node runs as.
 * - leases (coordination.k8s.io): get/create/update/patch/delete in kube-node-lease, named after the node (create
 *   is allowed by name-less attributes, as upstream); csinodes likewise.
 * - nodes: create; get/list/watch of its own Node only (list/watch with a `metadata.name=<node>` field selector);
 *   update/patch (also nodes/status) of its own Node only (AuthorizeNodeWithSelectors, beta and on in 1.32).
 * - pods: get (and list/watch naming one pod) of pods bound to the node; list/watch only with a
 *   `spec.nodeName=<node>` field selector; create (mirror pods); delete, pods/status update/patch and pods/eviction
 *   create only for pods bound to the node.
 * - everything else: the static rules of the `system:node` ClusterRole (bootstrappolicy.NodeRules()): services
 *   get/list/watch, endpoints get, events create/update/patch, tokenreviews, CSRs, …; otherwise noOpinion (RBAC may
 *   still allow).
 * Denials carry upstream's reasons (`no relationship found between node 'n1' and this object`, `can only read
 * resources of this type`, …). Never allows or denies anything for a non-node user; never throws.
 */
import { goQuote } from '../../api/selectors';
import type { ClusterReader } from '../reader';
import type { UserInfo } from '../request';
import { nodeRules } from './bootstrap-roles';
import { NodeRelations, type RelatedType } from './node-graph';
import { rulesAllow } from './rbac-rules';
import type { Authorizer, AuthzAttributes, AuthzResult } from './types';

export const NODE_USER_PREFIX = 'system:node:';
export const NODES_GROUP = 'system:nodes';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

const ALLOW: AuthzResult = { decision: 'allow', reason: '' };
const NO_OPINION: AuthzResult = { decision: 'noOpinion', reason: '' };

function noOpinion(reason: string): AuthzResult {
  return { decision: 'noOpinion', reason };
}

/** A `field=value` requirement on the request's field selector. */
function hasFieldEquals(a: AuthzAttributes, field: string, value: string): boolean {
  return (a.fieldSelector ?? []).some((r) => r.field === field && r.operator === '=' && r.value === value);
}

/** nodeidentifier.NodeIdentity: whether the user is a node, and its name ('' when it cannot be determined). */
export function nodeIdentity(user: UserInfo): { isNode: boolean; nodeName: string } {
  if (!user.name.startsWith(NODE_USER_PREFIX) || !user.groups.includes(NODES_GROUP)) return { isNode: false, nodeName: '' };
  return { isNode: true, nodeName: user.name.slice(NODE_USER_PREFIX.length) };
}

export function createNodeAuthorizer(reader: ClusterReader): Authorizer {
  const relations = new NodeRelations(reader);
  const staticRules = nodeRules();

  function related(node: string, type: RelatedType, a: AuthzAttributes): AuthzResult {
    if (!a.name) return noOpinion('No Object name found');
    if (relations.hasPath(node, type, a.namespace, a.name)) return ALLOW;
    return noOpinion(`no relationship found between node '${node}' and this object`);
  }

  function getOnly(node: string, type: RelatedType, a: AuthzAttributes): AuthzResult {
    if (a.verb !== 'get') return noOpinion('can only get individual resources of this type');
    if (a.subresource) return noOpinion('cannot get subresource');
    return related(node, type, a);
  }

  function readNamespaced(node: string, type: RelatedType, a: AuthzAttributes): AuthzResult {
    if (a.verb !== 'get' && a.verb !== 'list' && a.verb !== 'watch') return noOpinion('can only read resources of this type');
    if (a.subresource) return noOpinion('cannot read subresource');
    if (!a.namespace) return noOpinion('can only read namespaced object of this type');
    return related(node, type, a);
  }

  function statusUpdate(node: string, type: RelatedType, a: AuthzAttributes): AuthzResult {
    if (a.verb !== 'update' && a.verb !== 'patch') return noOpinion('can only get/update/patch this type');
    if (a.subresource !== 'status') return noOpinion('can only update status subresource');
    return related(node, type, a);
  }

  function createToken(node: string, a: AuthzAttributes): AuthzResult {
    if (a.verb !== 'create' || !a.name) return noOpinion('can only create tokens for individual service accounts');
    if (a.subresource !== 'token') return noOpinion('can only create token subresource of serviceaccount');
    return related(node, 'serviceAccount', a);
  }

  /** authorizeLease and authorizeCSINode: the object must be named after the node (not checkable on create). */
  function ownNamed(node: string, a: AuthzAttributes, what: 'lease' | 'csinode'): AuthzResult {
    const verbs = ['get', 'create', 'update', 'patch', 'delete'];
    if (what === 'lease') {
      if (!verbs.includes(a.verb)) return noOpinion('can only get, create, update, patch, or delete a node lease');
      if (a.namespace !== NODE_LEASE_NAMESPACE) return noOpinion(`can only access leases in the ${goQuote(NODE_LEASE_NAMESPACE)} system namespace`);
      if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access node lease with the same name as the requesting node');
      return ALLOW;
    }
    if (!verbs.includes(a.verb)) return noOpinion('can only get, create, update, patch, or delete a CSINode');
    if (a.subresource) return noOpinion('cannot authorize CSINode subresources');
    if (a.verb !== 'create' && a.name !== node) return noOpinion('can only access CSINode with the same name as the requesting node');
    return ALLOW;
  }

  function authorizeNode(node: string, a: AuthzAttributes): AuthzResult {
    const own = a.name === node;
    if (a.subresource === '') {
      switch (a.verb) {
        case 'create':
          return ALLOW;
        case 'get':
        case 'list':
        case 'watch':
          // AuthorizeNodeWithSelectors (beta, on in 1.32): a node reads only its own Node object.
          if (own || (a.verb !== 'get' && hasFieldEquals(a, 'metadata.name', node))) return ALLOW;
          return noOpinion(a.name ? `node '${node}' cannot read '${a.name}', only its own Node object` : `node '${node}' cannot read all nodes, only its own Node object`);
        case 'update':
        case 'patch':
          return own ? ALLOW : noOpinion(`node '${node}' cannot modify '${a.name}', only its own Node object`);
      }
    } else if (a.subresource === 'status' && (a.verb === 'update' || a.verb === 'patch')) {
      return own ? ALLOW : noOpinion(`node '${node}' cannot modify '${a.name}', only its own Node object`);
    }
    return NO_OPINION;
  }

  function authorizePod(node: string, a: AuthzAttributes): AuthzResult {
    switch (a.subresource) {
      case '':
        switch (a.verb) {
          case 'get':
            return getOnly(node, 'pod', a);
          case 'list':
          case 'watch':
            // AuthorizeNodeWithSelectors: only the pods bound to this node (or one named pod related to it).
            if (hasFieldEquals(a, 'spec.nodeName', node)) return ALLOW;
            if (a.name) return related(node, 'pod', a);
            return noOpinion('can only list/watch pods with spec.nodeName field selector');
          case 'create':
            return ALLOW;
          case 'delete':
            return related(node, 'pod', a);
        }
        break;
      case 'status':
        if (a.verb === 'update' || a.verb === 'patch') return related(node, 'pod', a);
        break;
      case 'eviction':
        if (a.verb === 'create') return related(node, 'pod', a);
        break;
    }
    return NO_OPINION;
  }

  function authorizeResource(node: string, a: AuthzAttributes): AuthzResult | undefined {
    switch (`${a.apiGroup}/${a.resource}`) {
      case '/secrets':
        return readNamespaced(node, 'secret', a);
      case '/configmaps':
        return readNamespaced(node, 'configmap', a);
      case '/persistentvolumeclaims':
        return a.subresource === 'status' ? statusUpdate(node, 'pvc', a) : getOnly(node, 'pvc', a);
      case '/persistentvolumes':
        return getOnly(node, 'pv', a);
      case 'storage.k8s.io/volumeattachments':
        return getOnly(node, 'volumeattachment', a);
      case '/serviceaccounts':
        return createToken(node, a);
      case 'coordination.k8s.io/leases':
        return ownNamed(node, a, 'lease');
      case 'storage.k8s.io/csinodes':
        return ownNamed(node, a, 'csinode');
      case '/nodes':
        return authorizeNode(node, a);
      case '/pods':
        return authorizePod(node, a);
    }
    return undefined;
  }

  return {
    name: 'Node',
    authorize(a: AuthzAttributes): AuthzResult {
      const { isNode, nodeName } = nodeIdentity(a.user);
      if (!isNode) return NO_OPINION;
      if (!nodeName) return noOpinion(`unknown node for user ${goQuote(a.user.name)}`);
      if (a.isResourceRequest) {
        const r = authorizeResource(nodeName, a);
        if (r) return r;
      }
      return rulesAllow(a, staticRules) ? ALLOW : NO_OPINION;
    },
  };
}
