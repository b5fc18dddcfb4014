/**
 * ServiceAccount token authentication: bearer tokens that are JWTs from one of our issuers are verified
 * (serviceaccount-jwt.ts), then checked against the cluster as upstream's validator does (pkg/serviceaccount
 * claims.go): the ServiceAccount must exist with the token's uid, and a token bound to a Secret, a Pod or (alone)
 * a Node is valid only while that object exists with the same uid and was not deleted more than the 60 s leeway
 * ago (a deletionTimestamp in the past). Tokens from other issuers, and anything that is not a JWT → undefined.
 *
 * The user is upstream's ServiceAccountInfo.UserInfo(): `system:serviceaccount:<ns>:<name>`, uid = the
 * ServiceAccount's uid, groups `system:serviceaccounts` and `system:serviceaccounts:<ns>`, extras pod-name/pod-uid,
 * node-name/node-uid and credential-id (`JTI=<jti>`). `system:authenticated` is added by the union.
 */
import type { ClusterReader } from '../reader';
import type { UserInfo } from '../request';
import { bearerToken } from './bearer';
import { JWT_LEEWAY_MS, verifyServiceAccountToken, type ServiceAccountClaims } from './serviceaccount-jwt';
import type { VerificationKey } from './serviceaccount-keys';
import type { Authenticator } from './types';
import {
  EXTRA_CREDENTIAL_ID,
  EXTRA_NODE_NAME,
  EXTRA_NODE_UID,
  EXTRA_POD_NAME,
  EXTRA_POD_UID,
  serviceAccountGroups,
  serviceAccountUsername,
} from './user';

export interface ServiceAccountAuthnOptions {
  /** A function is called per request, so rotated keys take effect at once. */
  publicKeys: readonly VerificationKey[] | (() => readonly VerificationKey[]);
  issuer?: string | readonly string[];
  audiences?: readonly string[];
  reader: ClusterReader;
  /** Current time, ms. */
  now: () => number;
}

const INVALIDATED = 'service account token has been invalidated';

export function createServiceAccountAuthenticator(o: ServiceAccountAuthnOptions): Authenticator {
  return {
    name: 'serviceaccount',
    authenticate(input) {
      const token = bearerToken(input.headers);
      if (token === undefined) return undefined;
      const now = o.now();
      const keys = typeof o.publicKeys === 'function' ? o.publicKeys() : o.publicKeys;
      const r = verifyServiceAccountToken(keys, token, { now, issuer: o.issuer, audiences: o.audiences });
      if (!r || 'error' in r) return r;
      const checked = validateObjects(o.reader, r.claims, now);
      if (typeof checked === 'string') return { error: checked };
      return { user: userFor(r.claims, checked) };
    },
  };
}

interface Bound {
  podName?: string;
  podUid?: string;
  nodeName?: string;
  nodeUid?: string;
}

function deletedBefore(obj: { metadata: { deletionTimestamp?: string } }, limit: number): boolean {
  const ts = obj.metadata.deletionTimestamp;
  return ts !== undefined && Date.parse(ts) < limit;
}

/** Upstream's validator.Validate object checks; an error message or what the token is bound to. */
function validateObjects(reader: ClusterReader, c: ServiceAccountClaims, now: number): string | Bound {
  const limit = now - JWT_LEEWAY_MS;
  const k = c['kubernetes.io'];
  const ns = k.namespace;
  const saRef = k.serviceaccount;
  const sa = reader.get('', 'serviceaccounts', ns, saRef.name);
  if (!sa) return `serviceaccounts ${JSON.stringify(saRef.name)} not found`;
  const saUid = sa.metadata.uid ?? '';
  if (saUid !== saRef.uid) return `service account UID (${saUid}) does not match claim (${saRef.uid})`;
  if (deletedBefore(sa, limit)) return `service account ${ns}/${saRef.name} has been deleted`;

  if (k.secret) {
    const secret = reader.get('', 'secrets', ns, k.secret.name);
    if (!secret) return INVALIDATED;
    const uid = secret.metadata.uid ?? '';
    if (uid !== k.secret.uid) return `secret UID (${uid}) does not match service account secret ref claim (${k.secret.uid})`;
    if (deletedBefore(secret, limit)) return INVALIDATED;
  }

  const bound: Bound = {};
  if (k.pod) {
    const pod = reader.get('', 'pods', ns, k.pod.name);
    if (!pod) return INVALIDATED;
    const uid = pod.metadata.uid ?? '';
    if (uid !== k.pod.uid) return `pod UID (${uid}) does not match service account pod ref claim (${k.pod.uid})`;
    if (deletedBefore(pod, limit)) return INVALIDATED;
    bound.podName = k.pod.name;
    bound.podUid = k.pod.uid;
  }

  if (k.node) {
    if (k.pod) {
      bound.nodeName = k.node.name;
      bound.nodeUid = k.node.uid;
    } else {
      const node = reader.get('', 'nodes', '', k.node.name);
      if (!node) return INVALIDATED;
      const uid = node.metadata.uid ?? '';
      if (uid !== k.node.uid) return `node UID (${uid}) does not match service account node ref claim (${k.node.uid})`;
      if (deletedBefore(node, limit)) return INVALIDATED;
      bound.nodeName = k.node.name;
      bound.nodeUid = k.node.uid;
    }
  }
  return bound;
}

function userFor(c: ServiceAccountClaims, b: Bound): UserInfo {
  const k = c['kubernetes.io'];
  const user: UserInfo = {
    name: serviceAccountUsername(k.namespace, k.serviceaccount.name),
    uid: k.serviceaccount.uid,
    groups: serviceAccountGroups(k.namespace),
  };
  const extra: Record<string, string[]> = {};
  if (b.podName && b.podUid) {
    extra[EXTRA_POD_NAME] = [b.podName];
    extra[EXTRA_POD_UID] = [b.podUid];
  }
  if (c.jti) extra[EXTRA_CREDENTIAL_ID] = [`JTI=${c.jti}`];
  if (b.nodeName) {
    extra[EXTRA_NODE_NAME] = [b.nodeName];
    if (b.nodeUid) extra[EXTRA_NODE_UID] = [b.nodeUid];
  }
  if (Object.keys(extra).length) user.extra = extra;
  return user;
}
