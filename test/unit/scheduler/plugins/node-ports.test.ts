import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Pod } from '../../../../src/scheduler/framework';
import { NodeInfo } from '../../../../src/scheduler/framework';
import { ERR_REASON, fits, newNodePorts } from '../../../../src/scheduler/plugins/node-ports';
import { fakeHandle, makeNode, makePod, newState } from '../../../helpers/scheduler-fixtures';

/** upstream newPod(host, "PROTO/IP/PORT"...). */
function newPod(host: string, ...hostPortInfos: string[]): Pod {
  const ports = hostPortInfos.map((s) => {
    const [protocol, hostIP, port] = s.split('/');
    return { hostIP, hostPort: Number(port), protocol };
  });
  return makePod(`pod-${host}`, { node: host, spec: { containers: [{ name: 'c', image: 'nginx', ports }] } });
}
const newNodeInfo = (...pods: Pod[]) => {
  const ni = new NodeInfo(makeNode('m1'));
  for (const p of pods) ni.addPod(p);
  return ni;
};
const plugin = () => newNodePorts(undefined, fakeHandle());
const initPort = (sidecar: boolean) => makePod('init', { spec: { initContainers: [{ name: 'i', image: 'x', ...(sidecar ? { restartPolicy: 'Always' } : {}), ports: [{ containerPort: 8001, hostPort: 8001, protocol: 'TCP' }] }] } });

describe('NodePorts (upstream TestNodePorts)', () => {
  const cases: { name: string; pod: Pod; nodeInfo: NodeInfo; wantPreFilter?: string; wantFilter?: string }[] = [
    { name: 'skip filter', pod: makePod('empty'), nodeInfo: newNodeInfo(), wantPreFilter: 'Skip' },
    { name: 'other port', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'UDP/127.0.0.1/9090')) },
    { name: 'same udp port', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'UDP/127.0.0.1/8080')), wantFilter: ERR_REASON },
    { name: 'same tcp port', pod: newPod('m1', 'TCP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.1/8080')), wantFilter: ERR_REASON },
    { name: 'different host ip', pod: newPod('m1', 'TCP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.2/8080')) },
    { name: 'different protocol', pod: newPod('m1', 'UDP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.1/8080')) },
    { name: 'second udp port conflict', pod: newPod('m1', 'UDP/127.0.0.1/8000', 'UDP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'UDP/127.0.0.1/8080')), wantFilter: ERR_REASON },
    { name: 'first tcp port conflict', pod: newPod('m1', 'TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8080'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.1/8001', 'UDP/127.0.0.1/8081')), wantFilter: ERR_REASON },
    { name: 'first tcp port conflict due to 0.0.0.0 hostIP', pod: newPod('m1', 'TCP/0.0.0.0/8001'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.1/8001')), wantFilter: ERR_REASON },
    { name: 'TCP hostPort conflict due to 0.0.0.0 hostIP', pod: newPod('m1', 'TCP/10.0.10.10/8001', 'TCP/0.0.0.0/8001'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/127.0.0.1/8001')), wantFilter: ERR_REASON },
    { name: 'second tcp port conflict to 0.0.0.0 hostIP', pod: newPod('m1', 'TCP/127.0.0.1/8001'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/0.0.0.0/8001')), wantFilter: ERR_REASON },
    { name: 'second different protocol', pod: newPod('m1', 'UDP/127.0.0.1/8001'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/0.0.0.0/8001')) },
    { name: 'UDP hostPort conflict due to 0.0.0.0 hostIP', pod: newPod('m1', 'UDP/127.0.0.1/8001'), nodeInfo: newNodeInfo(newPod('m1', 'TCP/0.0.0.0/8001', 'UDP/0.0.0.0/8001')), wantFilter: ERR_REASON },
    { name: 'non-sidecar initContainer using hostPort', pod: initPort(false), nodeInfo: newNodeInfo(newPod('m1', 'TCP/0.0.0.0/8001')), wantPreFilter: 'Skip' },
    { name: 'TCP hostPort conflict from sidecar initContainer', pod: initPort(true), nodeInfo: newNodeInfo(newPod('m1', 'TCP/0.0.0.0/8001')), wantFilter: ERR_REASON },
  ];
  for (const c of cases) {
    it(c.name, () => {
      const p = plugin();
      const state = newState();
      const pre = p.preFilter(state, c.pod, []);
      assert.equal(pre.status.code, c.wantPreFilter ?? 'Success');
      if (c.wantPreFilter === 'Skip') return;
      const st = p.filter(state, c.pod, c.nodeInfo);
      if (!c.wantFilter) assert.ok(st.isSuccess(), st.message());
      else {
        assert.equal(st.code, 'Unschedulable');
        assert.deepEqual(st.reasons, ["node(s) didn't have free ports for the requested pod ports"]);
      }
    });
  }

  it('Filter without PreFilter is an Error status (upstream TestPreFilterDisabled)', () => {
    const st = plugin().filter(newState(), makePod('p'), newNodeInfo());
    assert.equal(st.code, 'Error');
    assert.match(st.message(), /PreFilterNodePorts.*not found/);
  });
});

describe('NodePorts QueueingHint (upstream Test_isSchedulableAfterAssignedPodDeleted)', () => {
  const withHostPort = (port: number, node?: string) => makePod(`hp-${port}-${node ?? ''}`, { ...(node ? { node } : {}), spec: { containers: [{ name: 'c', image: 'x', ports: [{ containerPort: 80, hostPort: port }] }] } });
  const target = withHostPort(8080);
  const cases: [string, unknown, string][] = [
    ['backoff-wrong-old-object', 'not-a-pod', 'Queue'],
    ['skip-queue-on-unscheduled', makePod('u'), 'QueueSkip'],
    ['skip-queue-on-non-hostport', makePod('n', { node: 'fake-node' }), 'QueueSkip'],
    ['skip-queue-on-unrelated-hostport', withHostPort(8081, 'fake-node'), 'QueueSkip'],
    ['queue-on-released-hostport', withHostPort(8080, 'fake-node'), 'Queue'],
  ];
  for (const [name, oldObj, want] of cases) it(name, () => assert.equal(plugin().isSchedulableAfterPodDeleted(target, oldObj, undefined), want));

  it('registers Pod Delete (hinted) and Node Add', () => {
    const ev = plugin().eventsToRegister();
    assert.deepEqual(ev.map((e) => [e.event.resource, e.event.actions, typeof e.hint]), [
      ['Pod', ['Delete'], 'function'],
      ['Node', ['Add'], 'undefined'],
    ]);
  });
});

describe('NodePorts Fits (upstream TestFits)', () => {
  const cases: [string, Pod, NodeInfo, boolean][] = [
    ['non-conflicting ports', newPod('p', 'TCP/127.0.0.1/80'), newNodeInfo(newPod('x', 'TCP/127.0.0.1/9090')), true],
    ['multiple non-conflicting ports', newPod('p', 'TCP/127.0.0.1/80', 'TCP/127.0.1.1/80', 'TCP/127.0.1.1/90', 'TCP/127.0.1.1/100'), newNodeInfo(newPod('x', 'TCP/127.0.0.1/9090', 'TCP/127.0.0.1/9191', 'TCP/127.0.1.1/8080')), true],
    ['same ports on different protocols', newPod('m1', 'TCP/127.0.0.1/80'), newNodeInfo(newPod('x', 'UDP/127.0.0.1/80')), true],
    ['conflicting ports', newPod('m1', 'TCP/127.0.0.1/80'), newNodeInfo(newPod('x', 'TCP/127.0.0.1/80')), false],
    ['multiple ports, some conflicting', newPod('p', 'TCP/127.0.0.1/80', 'TCP/127.0.1.1/80', 'TCP/127.0.1.1/90', 'TCP/127.0.1.1/100'), newNodeInfo(newPod('x', 'TCP/127.0.0.1/9090', 'TCP/127.0.1.1/90', 'TCP/127.0.1.1/8080')), false],
  ];
  for (const [name, pod, ni, want] of cases) it(name, () => assert.equal(fits(pod, ni), want));
});
