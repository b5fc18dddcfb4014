/**
 * ServiceAccount tokens as kube-apiserver issues them (pkg/serviceaccount): compact RS256 JWTs with header
 * `{alg, kid}` (kid = upstream's key id) and the bound-token claims (iss, sub, aud array, exp, iat, nbf, jti and the
 * private `kubernetes.io` claim), serialized as Go does (sorted keys). Verification follows upstream's
 * jwtTokenAuthenticator and claim validator, in its order and with its messages:
 *   not a JWT / issuer not ours → undefined (other authenticators may try);
 *   no key for kid → `invalid signature, no keys found`; bad signature → go-jose's error;
 *   issuer, audience, then time checks with go-jose's 60 s leeway.
 * Object lookups (ServiceAccount, Pod, Secret, Node still exist) are serviceaccount.ts's job. Only node:crypto is
 * used. No message ever contains the token.
 */
import { createPrivateKey, randomUUID, sign, verify, type KeyObject } from 'node:crypto';
import { serviceAccountUsername } from './user';
import { keyIdOf, type VerificationKey } from './serviceaccount-keys';

export const DEFAULT_SA_ISSUER = 'https://kubernetes.default.svc.cluster.local';
/** go-jose's jwt.DefaultLeeway. */
export const JWT_LEEWAY_MS = 60_000;

export interface ObjectRef {
  name: string;
  uid: string;
}

export interface KubernetesClaim {
  namespace: string;
  serviceaccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  warnafter?: number;
}

export interface ServiceAccountClaims {
  iss: string;
  sub: string;
  aud: string[];
  /** NumericDates: seconds since the epoch. */
  exp: number;
  iat: number;
  nbf: number;
  jti?: string;
  'kubernetes.io': KubernetesClaim;
}

export interface ClaimsOptions {
  namespace: string;
  serviceAccount: ObjectRef;
  pod?: ObjectRef;
  secret?: ObjectRef;
  node?: ObjectRef;
  /** Current time, ms. */
  now: number;
  /** Default 3600 (TokenRequest's default). */
  expirationSeconds?: number;
  /** Default [issuer]. */
  audiences?: string[];
  issuer?: string;
  /** Default a random UUID (upstream 1.29+). */
  jti?: string;
  warnAfterSeconds?: number;
}

/** The claims upstream's serviceaccount.Claims builds. A token binds to a pod (optionally with its node), a secret, or a node. */
export function serviceAccountClaims(o: ClaimsOptions): ServiceAccountClaims {
  if (o.secret && (o.node || o.pod)) throw new Error('internal error, token can only be bound to one object type');
  const now = Math.floor(o.now / 1000);
  const iss = o.issuer ?? DEFAULT_SA_ISSUER;
  const k8s: KubernetesClaim = { namespace: o.namespace, serviceaccount: { ...o.serviceAccount } };
  if (o.pod) {
    k8s.pod = { ...o.pod };
    if (o.node) k8s.node = { ...o.node };
  } else if (o.secret) k8s.secret = { ...o.secret };
  else if (o.node) k8s.node = { ...o.node };
  if (o.warnAfterSeconds) k8s.warnafter = now + o.warnAfterSeconds;
  return {
    iss,
    sub: serviceAccountUsername(o.namespace, o.serviceAccount.name),
    aud: [...(o.audiences ?? [iss])],
    exp: now + (o.expirationSeconds ?? 3600),
    iat: now,
    nbf: now,
    jti: o.jti ?? randomUUID(),
    'kubernetes.io': k8s,
  };
}

const HASH: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

/** Signs the claims with the RSA private key (PEM or KeyObject) as RS256; the header carries upstream's kid. */
export function signServiceAccountToken(privateKey: string | KeyObject, claims: ServiceAccountClaims): string {
  const key = typeof privateKey === 'string' ? createPrivateKey(privateKey) : privateKey;
  const header = goJson({ alg: 'RS256', kid: keyIdOf(key) });
  const input = `${b64(header)}.${b64(goJson(claims))}`;
  return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

export interface VerifyOptions {
  /** Current time, ms. */
  now: number;
  /** Issuers we accept; the first is ours. Default [DEFAULT_SA_ISSUER]. */
  issuer?: string | readonly string[];
  /** The API server's audiences (upstream --api-audiences). Default [first issuer]. */
  audiences?: readonly string[];
}

export type VerifyResult = { claims: ServiceAccountClaims; audiences: string[] } | { error: string } | undefined;

/** Verifies signature, issuer, audience and times; undefined when the token is not a JWT from one of our issuers. */
export function verifyServiceAccountToken(keys: readonly VerificationKey[], token: string, opts: VerifyOptions): VerifyResult {
  const issuers = opts.issuer === undefined ? [DEFAULT_SA_ISSUER] : typeof opts.issuer === 'string' ? [opts.issuer] : [...opts.issuer];
  if (token.trimStart().startsWith('{')) return undefined;
  const parts = token.split('.');
  if (parts.length !== 3) return undefined;
  const payload = decodeJson(parts[1]);
  if (!payload || typeof payload.iss !== 'string' || !issuers.includes(payload.iss)) return undefined;
  const header = decodeJson(parts[0]);
  const signature = strictB64(parts[2]);
  if (!header || !signature) return undefined;

  const kid = typeof header.kid === 'string' ? header.kid : '';
  const candidates = kid ? keys.filter((k) => k.kid === kid) : keys;
  if (!candidates.length) return { error: 'invalid signature, no keys found' };
  const hash = typeof header.alg === 'string' ? HASH[header.alg] : undefined;
  const errors: string[] = [];
  let verified = false;
  for (const k of candidates) {
    if (!hash) {
      errors.push('go-jose/go-jose: unknown/unsupported algorithm');
      continue;
    }
    if (checkSignature(hash, `${parts[0]}.${parts[1]}`, k.key, signature)) {
      verified = true;
      break;
    }
    errors.push('go-jose/go-jose: error in cryptographic primitive');
  }
  if (!verified) return { error: aggregate(errors) };

  const claims = readClaims(payload);
  if (!claims) return { error: 'service account token claims could not be validated due to unexpected validation error' };
  if (!issuers.includes(claims.iss)) return { error: `token issuer ${goQuote(claims.iss)} is invalid` };

  const implicit = [...(opts.audiences ?? [issuers[0]])];
  const tokenAuds = claims.aud.length ? claims.aud : implicit;
  const auds = tokenAuds.filter((a) => implicit.includes(a));
  if (!auds.length && implicit.length) {
    return { error: `token audiences ${goQuoteList(tokenAuds)} is invalid for the target audiences ${goQuoteList(implicit)}` };
  }

  const now = opts.now;
  if (claims.nbf !== undefined && now + JWT_LEEWAY_MS < claims.nbf * 1000) return { error: 'service account token is not valid yet' };
  if (claims.exp !== undefined && now - JWT_LEEWAY_MS > claims.exp * 1000) return { error: 'service account token has expired' };
  if (claims.iat !== undefined && now + JWT_LEEWAY_MS < claims.iat * 1000) return { error: 'service account token is issued in the future' };
  return { claims: claims as ServiceAccountClaims, audiences: auds };
}

function checkSignature(hash: string, input: string, key: KeyObject, signature: Buffer): boolean {
  try {
    return verify(hash, Buffer.from(input), key, signature);
  } catch (_e) {
    return false;
  }
}

type Loose = Omit<ServiceAccountClaims, 'exp' | 'iat' | 'nbf'> & { exp?: number; iat?: number; nbf?: number };

/** Type-checks the verified payload as Go's json.Unmarshal into upstream's claim structs would. */
function readClaims(p: Record<string, unknown>): Loose | undefined {
  const str = (v: unknown) => v === undefined || typeof v === 'string';
  const num = (v: unknown) => v === undefined || (typeof v === 'number' && Number.isFinite(v));
  const ref = (v: unknown): v is ObjectRef | undefined =>
    v === undefined || (isObject(v) && str(v.name) && str(v.uid));
  if (!str(p.iss) || !str(p.sub) || !str(p.jti) || !num(p.exp) || !num(p.iat) || !num(p.nbf)) return undefined;
  let aud: string[];
  if (p.aud === undefined) aud = [];
  else if (typeof p.aud === 'string') aud = [p.aud];
  else if (Array.isArray(p.aud) && p.aud.every((a) => typeof a === 'string')) aud = p.aud as string[];
  else return undefined;
  const k = p['kubernetes.io'] ?? {};
  if (!isObject(k) || !str(k.namespace) || !num(k.warnafter)) return undefined;
  if (!ref(k.serviceaccount) || !ref(k.pod) || !ref(k.secret) || !ref(k.node)) return undefined;
  const r = (v: ObjectRef | undefined) => (v ? { name: v.name ?? '', uid: v.uid ?? '' } : undefined);
  const k8s: KubernetesClaim = { namespace: (k.namespace as string | undefined) ?? '', serviceaccount: r(k.serviceaccount) ?? { name: '', uid: '' } };
  for (const f of ['pod', 'secret', 'node'] as const) if (k[f] !== undefined) k8s[f] = r(k[f] as ObjectRef);
  if (k.warnafter !== undefined) k8s.warnafter = k.warnafter as number;
  const out: Loose = { iss: p.iss as string, sub: (p.sub as string | undefined) ?? '', aud, 'kubernetes.io': k8s };
  for (const f of ['exp', 'iat', 'nbf'] as const) if (p[f] !== undefined) out[f] = Math.trunc(p[f] as number);
  if (p.jti !== undefined) out.jti = p.jti as string;
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** base64url without padding, rejecting anything Go's RawURLEncoding rejects. */
function strictB64(s: string): Buffer | undefined {
  if (!/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1) return undefined;
  return Buffer.from(s, 'base64url');
}

function decodeJson(s: string): Record<string, unknown> | undefined {
  const buf = strictB64(s);
  if (!buf) return undefined;
  try {
    const v: unknown = JSON.parse(buf.toString('utf8'));
    return isObject(v) ? v : undefined;
  } catch (_e) {
    return undefined;
  }
}

function b64(s: string): string {
  return Buffer.from(s, 'utf8').toString('base64url');
}

/** JSON as Go's encoding/json writes a map: keys sorted, `<`, `>`, `&`, U+2028/9 escaped. */
export function goJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(goJson).join(',')}]`;
  if (isObject(v)) {
    const keys = Object.keys(v).filter((k) => v[k] !== undefined).sort();
    return `{${keys.map((k) => `${goString(k)}:${goJson(v[k])}`).join(',')}}`;
  }
  if (typeof v === 'string') return goString(v);
  return JSON.stringify(v ?? null);
}

function goString(s: string): string {
  return JSON.stringify(s).replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

/** Go's %q for a string (close enough for the ASCII names in these messages). */
function goQuote(s: string): string {
  return JSON.stringify(s);
}

/** Go's %q for a []string: `["a" "b"]`. */
function goQuoteList(l: readonly string[]): string {
  return `[${l.map(goQuote).join(' ')}]`;
}

/** utilerrors.NewAggregate(...).Error(): one message as is, several deduplicated in brackets. */
function aggregate(msgs: string[]): string {
  const seen = [...new Set(msgs)];
  return seen.length === 1 ? seen[0] : `[${seen.join(', ')}]`;
}
