import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { renderProgress, renderStatus, truncate, type LiveStatus } from '../../../src/cli/status-view';

const node = (name: string, ready = true, role = 'worker', pods = 0, stopped = false) => ({ name, ready, role, pods, stopped });
const base = (): LiveStatus => ({
  nodes: [node('kubelab-control-plane', true, 'control-plane', 4), node('kubelab-worker', true, 'worker', 1), node('kubelab-worker2', false, 'worker', 0, true)],
  podsByPhase: { Pending: 2, Running: 5, Succeeded: 0, Terminating: 1 },
  lastEvents: [],
  components: [
    { name: 'etcd', state: 'running' },
    { name: 'kube-apiserver', state: 'running' },
  ],
  url: 'https://127.0.0.1:6443',
  kubeconfig: '/home/u/.kubelab/kubeconfig',
});

describe('renderStatus', () => {
  it('shows the header, one line per node, and the URL and kubeconfig', () => {
    assert.deepEqual(renderStatus(base(), 100), [
      'Nodes 2/3 Ready · Pods: 5 Running, 2 Pending, 1 Terminating',
      '  kubelab-control-plane  Ready                       control-plane  4 pods',
      '  kubelab-worker         Ready                       worker         1 pod',
      '  kubelab-worker2        NotReady (kubelet stopped)  worker         0 pods',
      'API server https://127.0.0.1:6443 · export KUBECONFIG=/home/u/.kubelab/kubeconfig',
    ]);
  });

  it('says "none" without pods and lists unknown phases after the known ones', () => {
    assert.match(renderStatus({ ...base(), podsByPhase: {} }, 80)[0], /Pods: none$/);
    assert.match(renderStatus({ ...base(), podsByPhase: { Weird: 1, Failed: 2, Unknown: 1 } }, 80)[0], /Pods: 2 Failed, 1 Unknown, 1 Weird$/);
  });

  it('lists components only when not all run, one line each', () => {
    const s = base();
    s.components.push({ name: 'kube-scheduler', state: 'stopped' }, { name: 'kube-proxy', state: 'starting' }, { name: 'coredns', state: 'off' });
    const lines = renderStatus(s, 100);
    assert.deepEqual(lines.slice(4, 7), ['  ○ kube-scheduler: stopped', '  ○ kube-proxy: starting', '  ○ coredns: off']);
    assert.ok(!renderStatus(base(), 100).some((l) => l.includes('○')));
  });

  it('shows the last 5 events, newest last, cut to the width', () => {
    const s = base();
    s.lastEvents = Array.from({ length: 7 }, (_, i) => ({ time: `12:00:0${i}`, type: i % 2 ? 'Warning' : 'Normal', reason: 'Pulled', object: `pod/web-${i}`, message: `Successfully pulled image "nginx:1.${i}" in 1.2s (1.2s including waiting). Image size: 1000 bytes.` }));
    const lines = renderStatus(s, 60);
    const at = lines.indexOf('Last events:');
    assert.ok(at > 0);
    const ev = lines.slice(at + 1, at + 6);
    assert.equal(ev.length, 5);
    assert.match(ev[0], /^ {2}12:00:02 Normal {2}Pulled pod\/web-2: Successfully/);
    assert.match(ev[4], /^ {2}12:00:06 Normal {2}Pulled pod\/web-6:/);
    for (const l of ev) assert.equal(Array.from(l).length, 60);
    assert.ok(ev.every((l) => l.endsWith('…')));
  });

  it('summarises more than 10 nodes', () => {
    const s = base();
    s.nodes = [node('cp', true, 'control-plane'), ...Array.from({ length: 11 }, (_, i) => node(`w${i}`, i !== 3 && i !== 7, 'worker', 2, i === 3))];
    const lines = renderStatus(s, 100);
    assert.equal(lines[0], 'Nodes 10/12 Ready · Pods: 5 Running, 2 Pending, 1 Terminating');
    assert.equal(lines[1], '  1 control-plane, 11 workers · 1 kubelet stopped');
    assert.equal(lines[2], '  NotReady (2): w3, w7');
    assert.ok(!lines.some((l) => l.includes('w0')));
    s.nodes = s.nodes.slice(0, 10);
    assert.ok(renderStatus(s, 100).some((l) => l.startsWith('  w0 ')), '10 nodes are still listed');
  });

  it('splits the header and the footer when narrow, shortening the path in the middle', () => {
    const s = { ...base(), kubeconfig: '/home/someone/with/a/very/long/path/.kubelab/kubeconfig' };
    const lines = renderStatus(s, 40);
    assert.deepEqual(lines.slice(0, 2), ['Nodes 2/3 Ready', 'Pods: 5 Running, 2 Pending, 1 Terminati…']);
    assert.equal(lines.at(-2), 'API server https://127.0.0.1:6443');
    assert.equal(lines.at(-1), 'export KUBECONFIG=/home/someo…kubeconfig');
    assert.equal(Array.from(lines.at(-1)!).length, 40);
  });

  it('strips control characters (no terminal escapes from the cluster)', () => {
    const s = base();
    s.lastEvents = [{ time: 't', type: 'Warning', reason: 'X\u001b[2J', object: 'pod/a\nb', message: 'line1\r\nline2\u0007\u009b' }];
    const all = renderStatus(s, 200).join('\n');
    assert.ok(!/[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/.test(all));
    assert.ok(all.includes('X [2J pod/a b: line1 line2'));
  });

  it('every line fits any width, for any status (property)', () => {
    const str = fc.string({ unit: 'grapheme', maxLength: 120 });
    const status = fc.record({
      nodes: fc.array(fc.record({ name: str, ready: fc.boolean(), role: str, pods: fc.nat(100000), stopped: fc.boolean() }), { maxLength: 14 }),
      podsByPhase: fc.dictionary(str, fc.nat(1e6), { maxKeys: 8 }),
      lastEvents: fc.array(fc.record({ time: str, type: str, reason: str, object: str, message: str }), { maxLength: 8 }),
      components: fc.array(fc.record({ name: str, state: fc.constantFrom('running' as const, 'off' as const, 'stopped' as const, 'starting' as const) }), { maxLength: 8 }),
      url: str,
      kubeconfig: str,
    });
    fc.assert(
      fc.property(status, fc.integer({ min: 0, max: 300 }), (s, width) => {
        const lines = renderStatus(s, width);
        for (const l of lines) {
          assert.ok(Array.from(l).length <= Math.max(20, width), JSON.stringify(l));
          assert.ok(!/[\n\r\u001b]/.test(l));
        }
        assert.ok(lines.length <= 2 + Math.min(s.nodes.length, 10) + s.components.length + 6 + 2, 'compact');
      }),
    );
  });
});

describe('renderProgress', () => {
  it('shows the done steps and the current one', () => {
    assert.equal(renderProgress('kube-scheduler', ['etcd', 'kube-apiserver']), 'Starting: ✓ etcd  ✓ kube-apiserver  ▸ kube-scheduler…');
    assert.equal(renderProgress('etcd', []), 'Starting: ▸ etcd…');
    assert.equal(renderProgress('', ['etcd', 'kube-apiserver']), 'Started: ✓ etcd  ✓ kube-apiserver');
  });

  it('drops the oldest steps to fit a width', () => {
    const line = renderProgress('kubelets (3/4)', ['etcd', 'kube-apiserver', 'kube-controller-manager', 'kube-scheduler'], 50);
    assert.equal(line, 'Starting: …  ✓ kube-scheduler  ▸ kubelets (3/4)…');
    fc.assert(fc.property(fc.string(), fc.array(fc.string()), fc.integer({ min: 0, max: 200 }), (step, done, w) => Array.from(renderProgress(step, done, w)).length <= Math.max(20, w)));
  });

  it('truncate keeps short text and marks a cut', () => {
    assert.equal(truncate('abc', 3), 'abc');
    assert.equal(truncate('abcd', 3), 'ab…');
  });
});
