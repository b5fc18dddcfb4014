/** DefaultTolerationSeconds: the not-ready/unreachable NoExecute tolerations upstream adds, and when it does not. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDefaultTolerationSecondsPlugin } from '../../../../src/apiserver/admission/default-toleration-seconds';
import { attributes, context, FakeCluster, pod } from './fake-cluster';

type Obj = Record<string, unknown>;
const NOT_READY = { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };
const UNREACHABLE = { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 };

describe('DefaultTolerationSeconds', () => {
  const cases: [string, Obj[] | undefined, Obj[]][] = [
    ['no tolerations: both added', undefined, [NOT_READY, UNREACHABLE]],
    [
      'an unrelated toleration is kept first',
      [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }],
      [{ key: 'dedicated', operator: 'Equal', value: 'gpu', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE],
    ],
    [
      'own not-ready toleration: only unreachable added',
      [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }],
      [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 10 }, UNREACHABLE],
    ],
    ['empty key and effect tolerate everything', [{ operator: 'Exists' }], [{ operator: 'Exists' }]],
    [
      'a NoSchedule toleration of the taint does not count',
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }],
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoSchedule' }, NOT_READY, UNREACHABLE],
    ],
    [
      'empty effect with the key counts',
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }],
      [{ key: 'node.kubernetes.io/unreachable', operator: 'Exists' }, NOT_READY],
    ],
  ];
  for (const [name, tolerations, want] of cases)
    it(name, async () => {
      const attrs = attributes('CREATE', '', 'pods', pod('p', undefined, tolerations ? { spec: { tolerations } } : {}));
      const plugin = createDefaultTolerationSecondsPlugin();
      assert.equal(plugin.handles(attrs), true);
      await plugin.admit(attrs, context(new FakeCluster()));
      assert.deepEqual((attrs.object!.spec as Obj).tolerations, want);
    });

  it('configurable seconds; pods only, updates included, no subresources', async () => {
    const plugin = createDefaultTolerationSecondsPlugin({ notReadySeconds: 60, unreachableSeconds: 120 });
    const attrs = attributes('UPDATE', '', 'pods', pod('p'), { oldObject: pod('p') });
    assert.equal(plugin.handles(attrs), true);
    await plugin.admit(attrs, context(new FakeCluster()));
    assert.deepEqual(((attrs.object!.spec as Obj).tolerations as Obj[]).map((t) => t.tolerationSeconds), [60, 120]);
    assert.equal(plugin.handles(attributes('CREATE', '', 'pods', pod('p'), { subresource: 'binding' })), false);
    assert.equal(plugin.handles(attributes('CREATE', '', 'services', { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' } })), false);
  });
});
