/**
 * The registry's strategic-merge-patch hook: the merged result loses null fields and leftover `$` directives (as
 * decoding into a typed object does upstream), and the stored object it starts from — frozen and shared by the
 * watch cache — is never written to (the result is a tree of its own, cleaned in place).
 */
import * as assert from 'node:assert/strict';
import { test } from 'node:test';
import { builtinResources } from '../../../../src/api/resources';
import { deepFreeze } from '../../../../src/apiserver/watch/cached-object';
import { defaultHooks } from '../../../../src/apiserver/registry/hooks-impl';
import type { StoredObject } from '../../../../src/api/object';

const pods = builtinResources().find((r) => r.group === '' && r.resource === 'pods')!;

test('a strategic merge patch drops nulls and directives and leaves the frozen current object alone', () => {
  const hooks = defaultHooks({ schemaOf: () => undefined });
  const current = deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'p', namespace: 'ns', labels: { a: '1', b: '2' } },
    spec: { containers: [{ name: 'c', image: 'nginx', env: [{ name: 'X', value: '1' }] }] },
    status: { phase: 'Pending', conditions: [{ type: 'Ready', status: 'False' }] },
  } as StoredObject);
  const before = JSON.stringify(current);
  const patch = {
    metadata: { labels: { b: null, c: '3' } },
    status: { phase: 'Running', '$setElementOrder/conditions': [{ type: 'Ready' }], conditions: [{ type: 'Ready', status: 'True', reason: null }] },
  };
  const out = hooks.patch(pods, 'strategic', current, patch) as StoredObject;
  assert.equal(JSON.stringify(current), before, 'the current object is unchanged');
  assert.deepEqual(out.metadata.labels, { a: '1', c: '3' });
  assert.deepEqual(out.status, { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }] });
  assert.deepEqual(out.spec, current.spec);
  assert.notEqual(out.spec, current.spec, 'the result is its own tree');
  assert.ok(!Object.isFrozen(out.spec) && !Object.isFrozen((out.spec as { containers: object[] }).containers[0]));
});
