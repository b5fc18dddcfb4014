import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import { parseRequestInfo } from '../../../src/apiserver/request-info';

const cases: [method: string, path: string, query: string, expect: Partial<ReturnType<typeof parseRequestInfo>>][] = [
  ['GET', '/api/v1/namespaces/default/pods', '', { isResourceRequest: true, verb: 'list', namespace: 'default', resource: 'pods', name: '' }],
  ['GET', '/api/v1/namespaces/default/pods/web', '', { verb: 'get', resource: 'pods', name: 'web' }],
  ['GET', '/api/v1/namespaces/default/pods', 'watch=true', { verb: 'watch', resource: 'pods' }],
  ['GET', '/api/v1/watch/namespaces/default/pods/web', '', { verb: 'watch', resource: 'pods', name: 'web' }],
  ['POST', '/api/v1/namespaces/default/pods/web/binding', '', { verb: 'create', resource: 'pods', name: 'web', subresource: 'binding' }],
  ['GET', '/apis/apps/v1/namespaces/ns1/deployments/web/scale', '', { apiGroup: 'apps', apiVersion: 'v1', namespace: 'ns1', subresource: 'scale' }],
  ['DELETE', '/api/v1/namespaces/default/configmaps', '', { verb: 'deletecollection' }],
  ['GET', '/api/v1/namespaces/kube-system', '', { verb: 'get', resource: 'namespaces', name: 'kube-system', namespace: 'kube-system' }],
  ['PUT', '/api/v1/namespaces/gone/finalize', '', { verb: 'update', resource: 'namespaces', name: 'gone', subresource: 'finalize' }],
  ['GET', '/api/v1/nodes', '', { verb: 'list', resource: 'nodes', namespace: '' }],
  ['PATCH', '/apis/apps/v1/namespaces/default/deployments/web', '', { verb: 'patch' }],
  ['GET', '/apis/apps/v1', '', { isResourceRequest: false }],
  ['GET', '/apis', '', { isResourceRequest: false }],
  ['GET', '/version', '', { isResourceRequest: false, verb: 'get' }],
  ['GET', '/api/v1/pods', '', { verb: 'list', namespace: '', resource: 'pods' }],
];

for (const [method, path, query, expect] of cases) {
  test(`${method} ${path}${query ? '?' + query : ''}`, () => {
    const info = parseRequestInfo(method, path, new URLSearchParams(query));
    for (const [k, v] of Object.entries(expect)) assert.equal(info[k as keyof typeof info], v, k);
  });
}
