/**
 * defaultFieldManager: the API server's prefixFromUserAgent (everything before the first `/`, non-printable
 * characters dropped, at most 128 UTF-8 bytes), and managerOrUserAgent preferring the requested fieldManager.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultFieldManager, managerOrUserAgent, updateManagedFields } from '../../../../src/api/apply';
import { configMapSchema, resolver, T0 } from './fixtures';

describe('defaultFieldManager', () => {
  const cases: [string | undefined, string][] = [
    ['kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9', 'kubectl'],
    ['kube-controller-manager/v1.32.0 (linux/amd64) kubernetes/70d3cc9/system:serviceaccount:kube-system:deployment-controller', 'kube-controller-manager'],
    ['Mozilla/5.0 (X11; Linux x86_64)', 'Mozilla'],
    ['node-fetch', 'node-fetch'],
    ['my tool\u0000\u0007/1.0', 'my tool'],
    ['', ''],
    [undefined, ''],
  ];
  for (const [ua, want] of cases) it(`${JSON.stringify(ua)} → ${JSON.stringify(want)}`, () => assert.equal(defaultFieldManager(ua), want));

  it('cuts at 128 bytes without splitting a character', () => {
    assert.equal(defaultFieldManager('a'.repeat(200)), 'a'.repeat(128));
    const out = defaultFieldManager('é'.repeat(100));
    assert.equal(Buffer.byteLength(out), 128);
    assert.equal(defaultFieldManager('a' + 'é'.repeat(100)), 'a' + 'é'.repeat(63));
  });

  it('the requested fieldManager wins over the User-Agent', () => {
    assert.equal(managerOrUserAgent('kubectl-create', 'kubectl/v1.32.0'), 'kubectl-create');
    assert.equal(managerOrUserAgent(undefined, 'kubectl/v1.32.0'), 'kubectl');
    assert.equal(managerOrUserAgent('', 'kubectl/v1.32.0'), 'kubectl');
  });

  it('an empty result is recorded as "unknown"', () => {
    const out = updateManagedFields(undefined, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' }, data: { a: '1' } }, {
      manager: defaultFieldManager(undefined), operation: 'Update', now: T0, schema: configMapSchema, resolver, apiVersion: 'v1',
    });
    assert.equal(out.metadata!.managedFields![0]!.manager, 'unknown');
  });
});
