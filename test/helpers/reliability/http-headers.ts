/**
 * fast-check arbitraries of the query and headers of a fuzzed request (http-arbitraries.ts builds whole requests):
 * selector, limit, continue, resourceVersion, watch, dryRun, fieldManager, fieldValidation and other parameters with
 * good and garbage values; Authorization (mostly the admin token, else broken), Content-Type and Accept variants
 * (Table, PartialObjectMetadata, protobuf, discovery, nonsense), Impersonate-* and a few other headers.
 *
 * Contract: every string produced is sendable by node's HTTPS client as it is (latin1 without controls).
 */
import fc from 'fast-check';

/** Latin1 without controls: what node lets through in a request target or header value. */
export function latin1(s: string): string {
  return s.replace(/[^\x21-\x7e\x80-\xff]/gu, (c) => [...Buffer.from(c, 'utf8')].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join(''));
}

// ---- query --------------------------------------------------------------------------------------------------------

const garbage = fc.oneof(fc.constantFrom('', ' ', '=', '!', '%', '%zz', '\u0000', 'true', 'false', '1', '0', '-1', '1e400', '9223372036854775808', '0x10', 'NaN', 'Ω🚀'), fc.string({ maxLength: 20 }));
const PARAMS: Record<string, fc.Arbitrary<string>> = {
  labelSelector: fc.oneof(fc.constantFrom('app=web', 'app in (a,b)', '!app', 'app', 'a=b,c!=d', 'app notin ()', 'x==y', 'a=b=c', 'in (', '(', 'a in (b', 'a,,b', 'a>1', 'a<b', 'x'.repeat(70) + '=y'), garbage),
  fieldSelector: fc.oneof(fc.constantFrom('metadata.name=fz-0', 'metadata.namespace!=x', 'spec.nodeName=', 'status.phase=Running', 'bogus.field=1', 'metadata.name', 'a==b', '=', 'metadata.name=a,metadata.name=b'), garbage),
  limit: fc.oneof(fc.constantFrom('1', '0', '-1', '500', '99999999999999999999', '1.5', 'abc', ''), garbage),
  continue: fc.oneof(fc.constantFrom('eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6MSwic3RhcnQiOiJhIn0', 'not-base64!', 'e30', 'eyJ2IjoibWV0YS5rOHMuaW8vdjEiLCJydiI6LTEsInN0YXJ0IjoiLi4vLi4vIn0', ''), fc.base64String({ maxLength: 40 }), garbage),
  resourceVersion: fc.oneof(fc.constantFrom('0', '1', '-1', '999999999', '18446744073709551616', 'abc', ''), garbage),
  resourceVersionMatch: fc.constantFrom('NotOlderThan', 'Exact', 'bogus', ''),
  watch: fc.constantFrom('true', '1', 'false', '0', 'yes', ''),
  allowWatchBookmarks: fc.constantFrom('true', 'false', 'x'),
  sendInitialEvents: fc.constantFrom('true', 'false', 'x'),
  timeoutSeconds: fc.oneof(fc.constantFrom('0', '1', '-5', '1e9', 'x', '99999999999999999999'), garbage),
  dryRun: fc.constantFrom('All', 'all', 'true', 'None', '', 'x'),
  fieldManager: fc.oneof(fc.constantFrom('kubectl', '', 'x'.repeat(200), 'Ω', 'a\tb'), garbage),
  fieldValidation: fc.constantFrom('Strict', 'Warn', 'Ignore', 'strict', 'bogus', ''),
  force: fc.constantFrom('true', 'false', 'x'),
  gracePeriodSeconds: fc.constantFrom('0', '-1', '30', 'x', '9223372036854775808'),
  propagationPolicy: fc.constantFrom('Foreground', 'Background', 'Orphan', 'bogus'),
  orphanDependents: fc.constantFrom('true', 'false', 'x'),
  pretty: fc.constantFrom('true', '1', 'x'),
  container: garbage,
  tailLines: fc.constantFrom('1', '-1', 'x'),
  limitBytes: fc.constantFrom('1', '0', '-1', 'x'),
  sinceSeconds: fc.constantFrom('1', '0', '-1', 'x'),
  follow: fc.constantFrom('false', 'x'),
  includeObject: fc.constantFrom('Object', 'Metadata', 'None', 'x'),
  x: garbage,
};
export const param = fc.constantFrom(...Object.keys(PARAMS)).chain((k) => PARAMS[k].map((v) => [k, v] as const));

export function queryString(pairs: readonly (readonly [string, string])[]): string {
  if (!pairs.length) return '';
  return `?${pairs.map(([k, v]) => `${k}=${latin1(v).replace(/[#&]/g, encodeURIComponent)}`).join('&')}`;
}

// ---- headers ------------------------------------------------------------------------------------------------------

export const CONTENT_TYPES = [
  'application/json',
  'application/yaml',
  'application/merge-patch+json',
  'application/strategic-merge-patch+json',
  'application/json-patch+json',
  'application/apply-patch+yaml',
  'application/apply-patch+cbor',
  'application/vnd.kubernetes.protobuf',
  'application/cbor',
  'text/plain',
  'application/json; charset=latin1',
  'APPLICATION/JSON',
  'multipart/form-data; boundary=x',
  'application/x-www-form-urlencoded',
  '*/*',
  ';;;',
  'garbage',
  '',
];
const ACCEPTS = [
  'application/json',
  'application/yaml',
  '*/*',
  'application/json;as=Table;v=v1;g=meta.k8s.io',
  'application/json;as=Table;v=v1;g=meta.k8s.io,application/json',
  'application/json;as=PartialObjectMetadataList;v=v1;g=meta.k8s.io',
  'application/json;as=PartialObjectMetadata;v=v1;g=meta.k8s.io',
  'application/json;as=Table;v=v9;g=meta.k8s.io',
  'application/json;as=Bogus;v=v1;g=meta.k8s.io',
  'application/vnd.kubernetes.protobuf',
  'application/vnd.kubernetes.protobuf;as=Table;v=v1;g=meta.k8s.io',
  'application/vnd.kubernetes.protobuf, */*',
  'application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json',
  'application/cbor',
  'text/html',
  'image/png',
  ',,,',
  ';q=0',
];

/** `arb` one time in `n`, else undefined (fc.option's freq is the other way round). */
function rarely<T>(arb: fc.Arbitrary<T>, n: number): fc.Arbitrary<T | undefined> {
  return fc.oneof({ weight: n - 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: arb });
}

export function headersArb(ctx: { token: string }): fc.Arbitrary<Record<string, string | string[]>> {
  const auth = fc.oneof(
    { weight: 40, arbitrary: fc.constant(`Bearer ${ctx.token}`) },
    { weight: 1, arbitrary: fc.constantFrom('', 'Bearer', 'Bearer ', 'Bearer wrong-token', 'Basic YWRtaW46YWRtaW4=', `bearer ${ctx.token}`, `Bearer  ${ctx.token}`, `Bearer ${ctx.token}x`, 'Bearer a.b.c', 'Negotiate x') },
    { weight: 1, arbitrary: fc.string({ maxLength: 30 }).map(latin1) },
  );
  const impersonation = fc.dictionary(
    fc.constantFrom('impersonate-user', 'impersonate-group', 'impersonate-uid', 'impersonate-extra-scopes', 'impersonate-extra-%zz', 'impersonate-extra-'),
    fc.oneof(fc.constantFrom('system:admin', 'system:serviceaccount:default:default', 'system:masters', 'system:anonymous', 'system:node:n1', 'alice', ''), fc.string({ maxLength: 12 }).map(latin1)),
    { maxKeys: 3 },
  );
  const extra = fc.dictionary(
    fc.constantFrom('content-encoding', 'transfer-encoding', 'expect', 'x-forwarded-for', 'user-agent', 'x-remote-user', 'range', 'if-match', 'connection'),
    fc.constantFrom('gzip', 'chunked', 'identity', '100-continue', '1.2.3.4', 'kubectl/v1.32', 'admin', 'bytes=0-1', '*', 'keep-alive', 'x'),
    { maxKeys: 2 },
  );
  return fc
    .record({
      auth: fc.option(auth, { freq: 30, nil: undefined }),
      contentType: fc.option(fc.oneof({ weight: 2, arbitrary: fc.constantFrom('application/json', 'application/yaml') }, { weight: 1, arbitrary: fc.constantFrom(...CONTENT_TYPES) }), { freq: 6, nil: undefined }),
      accept: fc.option(fc.constantFrom(...ACCEPTS), { freq: 2, nil: undefined }),
      impersonate: rarely(impersonation, 10),
      extra: rarely(extra, 10),
    })
    .map((h) => {
      const out: Record<string, string | string[]> = {};
      if (h.auth !== undefined) out.authorization = h.auth;
      if (h.contentType !== undefined) out['content-type'] = h.contentType;
      if (h.accept !== undefined) out.accept = h.accept;
      Object.assign(out, h.impersonate ?? {});
      // transfer-encoding and connection are the client's to set; the body framing decides them.
      for (const [k, v] of Object.entries(h.extra ?? {})) if (k !== 'transfer-encoding' && k !== 'connection') out[k] = v;
      return out;
    });
}
