import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NodeInfo } from '../../../../src/scheduler/framework';
import { ERR_REASON, newNodeName } from '../../../../src/scheduler/plugins/node-name';
import { fakeHandle, makeNode, makePod, newState } from '../../../helpers/scheduler-fixtures';

const plugin = () => newNodeName(undefined, fakeHandle());

describe('NodeName Filter (upstream TestNodeName)', () => {
  const cases: [string, string | undefined, string, string | undefined][] = [
    ['no host specified', undefined, 'foo', undefined],
    ['host matches', 'foo', 'foo', undefined],
    ["host doesn't match", 'bar', 'foo', ERR_REASON],
  ];
  for (const [name, podNode, nodeName, want] of cases) {
    it(name, () => {
      const pod = makePod('p', podNode ? { node: podNode } : {});
      const st = plugin().filter(newState(), pod, new NodeInfo(makeNode(nodeName)));
      if (!want) assert.ok(st.isSuccess());
      else {
        assert.equal(st.code, 'UnschedulableAndUnresolvable');
        assert.deepEqual(st.reasons, ["node(s) didn't match the requested node name"]);
      }
    });
  }
});

describe('NodeName PreFilter (KubeLab narrowing)', () => {
  it('skips a pod that names no node', () => {
    const r = plugin().preFilter(newState(), makePod('p'), []);
    assert.equal(r.status.code, 'Skip');
    assert.equal(r.result, undefined);
  });
  it('narrows to the named node', () => {
    const r = plugin().preFilter(newState(), makePod('p', { node: 'foo' }), []);
    assert.ok(r.status.isSuccess());
    assert.deepEqual([...(r.result?.nodeNames ?? [])], ['foo']);
  });
  it('registers Node Add without a hint', () => {
    assert.deepEqual(plugin().eventsToRegister(), [{ event: { resource: 'Node', actions: ['Add'] } }]);
  });
});
