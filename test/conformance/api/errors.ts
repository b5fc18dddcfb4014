/**
 * API conformance, part 5: requests the server must refuse, with upstream's exact Status — 422 Invalid with causes,
 * undecodable and oversized bodies, a body of another kind, unknown resources, methods a resource does not serve,
 * and server-side field validation (Strict → 400, Warn → a Warning header, Ignore → silence).
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cm, deployment, expectCode, expectStatus, headerValues } from '../../helpers/api-assert';
import { T, type ApiHarness } from './harness';

const RFC1123_SUBDOMAIN =
  "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";

const NOT_FOUND = { code: 404, reason: 'NotFound', message: 'the server could not find the requested resource', details: {} };
const NOT_ALLOWED = { code: 405, reason: 'MethodNotAllowed', message: 'the server does not allow this method on the requested resource', details: {} };

export function errorTests(h: ApiHarness): void {
  describe('refused requests', () => {
    it('an invalid name is 422 Invalid with a cause on metadata.name', T, async () => {
      const ns = await h.namespace();
      expectStatus(await h.api.post(`/api/v1/namespaces/${ns}/configmaps`, cm('Bad_Name')), {
        code: 422,
        reason: 'Invalid',
        message: `ConfigMap "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ${RFC1123_SUBDOMAIN}`,
        details: {
          name: 'Bad_Name',
          kind: 'ConfigMap',
          causes: [{ reason: 'FieldValueInvalid', message: `Invalid value: "Bad_Name": ${RFC1123_SUBDOMAIN}`, field: 'metadata.name' }],
        },
      });
      assert.equal((await h.api.get(`/api/v1/namespaces/${ns}/configmaps/Bad_Name`)).status, 404);
    });

    it('malformed JSON is 400 BadRequest', T, async () => {
      const ns = await h.namespace();
      const body = '{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"';
      expectStatus(await h.api.post(`/api/v1/namespaces/${ns}/configmaps`, body, undefined, { contentType: 'application/json' }), {
        code: 400,
        reason: 'BadRequest',
        // Upstream's prefix; the parser's own message and position (Go would say "unexpected end of JSON input").
        message: `the object provided is unrecognized (must be of type ConfigMap): couldn't get version/kind; json parse error: Expected ',' or '}' after property value (line 1, column ${body.length + 1})`,
      });
    });

    it('a body over 3 MiB is 413 RequestEntityTooLarge', { timeout: 8000 }, async () => {
      const ns = await h.namespace();
      const big = cm('big', { blob: 'x'.repeat(3 * 1024 * 1024 + 16) });
      expectStatus(await h.api.post(`/api/v1/namespaces/${ns}/configmaps`, big), {
        code: 413,
        reason: 'RequestEntityTooLarge',
        message: 'Request entity too large: limit is 3145728',
      });
      assert.equal((await h.api.get(`/api/v1/namespaces/${ns}/configmaps/big`)).status, 404);
    });

    it('a body of another kind is 400 BadRequest', T, async () => {
      const ns = await h.namespace();
      const secret = { apiVersion: 'v1', kind: 'Secret', metadata: { name: 'x' }, data: {} };
      expectStatus(await h.api.post(`/api/v1/namespaces/${ns}/configmaps`, secret), {
        code: 400,
        reason: 'BadRequest',
        message: 'Secret in version "v1" cannot be handled as a ConfigMap: converting (v1.Secret) to (core.ConfigMap): unknown conversion',
      });
      assert.equal((await h.api.get(`/api/v1/namespaces/${ns}/configmaps/x`)).status, 404);
    });

    it('an unknown resource or group is 404 NotFound', T, async () => {
      expectStatus(await h.api.get('/api/v1/namespaces/default/foos'), NOT_FOUND);
      expectStatus(await h.api.get('/api/v1/foos/x'), NOT_FOUND);
      expectStatus(await h.api.get('/apis/nope.example.com/v1/namespaces/default/foos'), NOT_FOUND);
      expectStatus(await h.api.post('/api/v1/namespaces/default/foos', cm('x')), NOT_FOUND);
      expectStatus(await h.api.get('/apis/nope.example.com/v1'), NOT_FOUND);
    });

    it('PUT on a collection and DELETE on componentstatuses are 405 MethodNotAllowed', T, async () => {
      const ns = await h.namespace();
      expectStatus(await h.api.put(`/api/v1/namespaces/${ns}/configmaps`, cm('x')), NOT_ALLOWED);
      expectStatus(await h.api.delete('/api/v1/componentstatuses/etcd-0'), NOT_ALLOWED);
      expectStatus(await h.api.post('/api/v1/componentstatuses', { metadata: { name: 'x' } }), NOT_ALLOWED);
      const cs = await h.api.get('/api/v1/componentstatuses');
      expectCode(cs, 200);
      assert.equal((cs.body as { kind: string }).kind, 'ComponentStatusList');
    });
  });

  describe('server-side field validation', () => {
    const withTypo = (name: string) => {
      const d = deployment(name);
      d.spec.replicaz = 3;
      return d;
    };

    it('fieldValidation=Strict with an unknown field is 400 naming the field', T, async () => {
      const ns = await h.namespace();
      expectStatus(await h.api.post(`/apis/apps/v1/namespaces/${ns}/deployments`, withTypo('strict'), { fieldValidation: 'Strict' }), {
        code: 400,
        reason: 'BadRequest',
        message: 'Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: unknown field "spec.replicaz"',
      });
      assert.equal((await h.api.get(`/apis/apps/v1/namespaces/${ns}/deployments/strict`)).status, 404);
    });

    it('fieldValidation=Warn (and no parameter) creates the object, drops the field and sends a Warning header', T, async () => {
      const ns = await h.namespace();
      for (const [name, query] of [['warn', { fieldValidation: 'Warn' }], ['default', undefined]] as const) {
        const res = await h.api.post(`/apis/apps/v1/namespaces/${ns}/deployments`, withTypo(name), query);
        expectCode(res, 201);
        assert.deepEqual(headerValues(res, 'warning'), ['299 - "unknown field \\"spec.replicaz\\""'], name);
        assert.equal((res.body as { spec: Record<string, unknown> }).spec.replicaz, undefined);
      }
    });

    it('fieldValidation=Ignore creates the object silently', T, async () => {
      const ns = await h.namespace();
      const res = await h.api.post(`/apis/apps/v1/namespaces/${ns}/deployments`, withTypo('ignore'), { fieldValidation: 'Ignore' });
      expectCode(res, 201);
      assert.deepEqual(headerValues(res, 'warning'), []);
    });
  });
}
