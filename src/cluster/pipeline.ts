/**
 * The API server's request pipeline as the cluster configures it: the authenticators (authentication.ts), the
 * authorizers in kube-apiserver's order (system:masters, Node, RBAC), the admission plugins (upstream's default set,
 * or the names given), and the ServiceAccount token signer behind TokenRequest.
 */
import { createPrivateKey } from 'node:crypto';
import { resolveAdmissionPlugins } from '../apiserver/admission/registry';
import { serviceAccountClaims, signServiceAccountToken } from '../apiserver/authn/serviceaccount-jwt';
import { createNodeAuthorizer } from '../apiserver/authz/node';
import { privilegedGroupsAuthorizer } from '../apiserver/authz/privileged-groups';
import { createRbacAuthorizer } from '../apiserver/authz/rbac';
import { unionAuthorizer } from '../apiserver/authz/union';
import type { ClusterReader } from '../apiserver/reader';
import type { Authorizer } from '../apiserver/authz/types';
import type { Pipeline } from '../apiserver/server';
import type { Clock } from '../base/clock';
import type { ClusterAuthentication } from './authentication';

export interface PipelineOptions {
  /** kube-apiserver's --authorization-mode: `Node,RBAC` (default) or `AlwaysAllow` (every authenticated request). */
  authorizationMode?: 'Node,RBAC' | 'AlwaysAllow';
  /** Admission plugins to enable (upstream names); default: every plugin KubeLab implements, in upstream's order. */
  admissionPlugins?: readonly string[];
}

const alwaysAllow: Authorizer = { name: 'AlwaysAllow', authorize: () => ({ decision: 'allow', reason: '' }) };

export function buildPipeline(reader: ClusterReader, authn: ClusterAuthentication, clock: Clock, o: PipelineOptions = {}): Pipeline {
  const rbac = createRbacAuthorizer(reader);
  const key = createPrivateKey(authn.serviceAccountKey.privateKeyPem);
  return {
    authenticators: authn.authenticators(reader),
    authorizer: o.authorizationMode === 'AlwaysAllow' ? alwaysAllow : unionAuthorizer([privilegedGroupsAuthorizer(), createNodeAuthorizer(reader), rbac]),
    rules: rbac,
    // The issue asks for kube-node-lease to be protected as well (upstream protects the other three).
    admission: resolveAdmissionPlugins(o.admissionPlugins, { NamespaceLifecycle: { immortalNamespaces: ['default', 'kube-system', 'kube-public', 'kube-node-lease'] } }),
    apiAudiences: [authn.issuer],
    issueToken(t) {
      const now = clock.now();
      const claims = serviceAccountClaims({ ...t, now, issuer: authn.issuer });
      return { token: signServiceAccountToken(key, claims), expiresAt: claims.exp * 1000, audiences: claims.aud };
    },
  };
}
