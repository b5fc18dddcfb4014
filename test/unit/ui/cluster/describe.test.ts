/** kubectl describe text: Go tabwriter alignment, pod/deployment layouts, events table, whyThisNode. */
import * as assert from 'node:assert/strict';
import { describe as suite, it } from 'node:test';
import { describe, TabWriter, whyThisNode } from '../../../../src/ui/cluster';

const NOW = Date.UTC(2026, 0, 1, 0, 10);

suite('TabWriter (Go text/tabwriter, padding 2)', () => {
  it('aligns consecutive lines per column block; a line without tabs ends the block', () => {
    const tw = new TabWriter();
    tw.write('Name:\tx\nNamespace:\tdefault\nContainers:\n  c:\n    Image:\tnginx\n    Port:\t<none>\n');
    assert.equal(tw.toString(), 'Name:       x\nNamespace:  default\nContainers:\n  c:\n    Image:  nginx\n    Port:   <none>\n');
  });
  it('nests blocks by column', () => {
    const tw = new TabWriter();
    tw.write('a\tbb\tc\naaa\tb\nx\n');
    assert.equal(tw.toString(), 'a    bb  c\naaa  b\nx\n');
  });
});

suite('describe', () => {
  const pod = {
    kind: 'Pod',
    metadata: { name: 'web', namespace: 'default', labels: { app: 'web', tier: 'fe' }, ownerReferences: [{ kind: 'ReplicaSet', name: 'web-1', controller: true }] },
    spec: { nodeName: 'n1', serviceAccountName: 'default', priority: 0, containers: [{ name: 'nginx', image: 'nginx:1.27' }], tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 }] },
    status: { phase: 'Running', hostIP: '10.0.0.2', podIP: '10.244.1.5', podIPs: [{ ip: '10.244.1.5' }], startTime: '2026-01-01T00:00:00Z', qosClass: 'BestEffort', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [{ name: 'nginx', containerID: 'sim://1', imageID: 'nginx@sha', ready: true, restartCount: 0, state: { running: { startedAt: '2026-01-01T00:00:01Z' } } }] },
  };
  const events = [{ type: 'Normal', reason: 'Scheduled', message: 'Successfully assigned default/web to n1', source: { component: 'default-scheduler' }, firstTimestamp: '2026-01-01T00:00:00Z', lastTimestamp: '2026-01-01T00:00:00Z', count: 1 },
    { type: 'Normal', reason: 'Pulled', message: 'Container image "nginx:1.27" already present on machine', source: { component: 'kubelet' }, firstTimestamp: '2026-01-01T00:05:00Z', lastTimestamp: '2026-01-01T00:09:00Z', count: 3 }];

  it('prints a pod as kubectl 1.32 does', () => {
    const text = describe('pod', pod, events, { now: NOW });
    const expected = [
      'Name:             web',
      'Namespace:        default',
      'Priority:         0',
      'Service Account:  default',
      'Node:             n1/10.0.0.2',
      'Start Time:       Thu, 01 Jan 2026 00:00:00 +0000',
      'Labels:           app=web',
      '                  tier=fe',
      'Annotations:      <none>',
      'Status:           Running',
      'IP:               10.244.1.5',
      'IPs:',
      '  IP:           10.244.1.5',
      'Controlled By:  ReplicaSet/web-1',
      'Containers:',
      '  nginx:',
      '    Container ID:   sim://1',
      '    Image:          nginx:1.27',
      '    Image ID:       nginx@sha',
      '    Port:           <none>',
      '    Host Port:      <none>',
      '    State:          Running',
      '      Started:      Thu, 01 Jan 2026 00:00:01 +0000',
      '    Ready:          True',
      '    Restart Count:  0',
      '    Environment:    <none>',
      '    Mounts:         <none>',
      'Conditions:',
      '  Type           Status',
      '  Ready          True ',
      'Volumes:         <none>',
      'QoS Class:       BestEffort',
      'Node-Selectors:  <none>',
      'Tolerations:     node.kubernetes.io/not-ready:NoExecute op=Exists for 300s',
      'Events:',
      '  Type    Reason     Age               From               Message',
      '  ----    ------     ----              ----               -------',
      '  Normal  Scheduled  10m               default-scheduler  Successfully assigned default/web to n1',
      '  Normal  Pulled     60s (x3 over 5m)  kubelet            Container image "nginx:1.27" already present on machine',
      '',
    ].join('\n');
    assert.equal(text, expected);
  });

  it('prints "Events: <none>" for no events and leaves Events out when undefined', () => {
    assert.match(describe('Namespace', { metadata: { name: 'x' }, status: { phase: 'Active' } }, [], { now: NOW }), /No LimitRange resource\.\n$/);
    assert.match(describe('Pod', pod, [], { now: NOW }), /\nEvents:\s+<none>\n$/);
    assert.doesNotMatch(describe('Pod', pod, undefined, { now: NOW }), /Events/);
  });

  it('prints a Deployment with its replica counts and ReplicaSets', () => {
    const d = { kind: 'Deployment', metadata: { name: 'web', namespace: 'default', uid: 'd1', creationTimestamp: '2026-01-01T00:00:00Z' }, spec: { replicas: 3, selector: { matchLabels: { app: 'web' } }, strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } }, template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'nginx', image: 'nginx' }] } } }, status: { replicas: 3, updatedReplicas: 3, availableReplicas: 2, unavailableReplicas: 1 } };
    const rs = { metadata: { name: 'web-1', annotations: { 'deployment.kubernetes.io/revision': '1' }, ownerReferences: [{ uid: 'd1', controller: true }] }, spec: { replicas: 3 }, status: { replicas: 3 } };
    const text = describe('deployments', d, undefined, { now: NOW, replicaSets: [rs] });
    assert.match(text, /^Replicas:\s+3 desired \| 3 updated \| 3 total \| 2 available \| 1 unavailable$/m);
    assert.match(text, /^RollingUpdateStrategy:\s+25% max unavailable, 25% max surge$/m);
    assert.match(text, /^NewReplicaSet:\s+web-1 \(3\/3 replicas created\)$/m);
    assert.match(text, /^OldReplicaSets:\s+<none>$/m);
  });
});

suite('whyThisNode', () => {
  it('renders the chosen node, the ranking and per-node verdicts from the annotations', () => {
    const annotations = {
      'scheduler.kubelab.dev/selected-node': JSON.stringify({ node: 'n2', numAllNodes: 2, evaluatedNodes: 2, feasibleNodes: 1 }),
      'scheduler.kubelab.dev/score-result': JSON.stringify({ weights: { NodeResourcesFit: 1 }, columns: ['raw', 'normalized', 'weighted'], nodes: [{ node: 'n2', rank: 1, total: 88, plugins: { NodeResourcesFit: [88, 88, 88] } }] }),
      'scheduler.kubelab.dev/filter-result': JSON.stringify({ n2: { NodeResourcesFit: 'passed' }, n1: { NodeUnschedulable: "node(s) were unschedulable" } }),
    };
    const text = whyThisNode({ metadata: { name: 'p', namespace: 'default', annotations }, spec: { nodeName: 'n2' } });
    assert.match(text, /^Chosen node: n2$/m);
    assert.match(text, /^Nodes: 2 in the cluster, 2 evaluated, 1 feasible$/m);
    assert.match(text, /^ {2}1 +n2 \* +88 +88 \[88\]$/m);
    assert.match(text, /^ {2}n1 +NodeUnschedulable: node\(s\) were unschedulable$/m);
  });
  it('says why there is nothing to show', () => {
    assert.match(whyThisNode({ metadata: { name: 'p', namespace: 'd' }, spec: {} }), /has not been scheduled yet/);
    assert.match(whyThisNode({ metadata: { name: 'p', namespace: 'd' }, spec: { nodeName: 'n' } }), /carries no scheduling explanation/);
  });
});
