import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compareByCreationAndPhase, createPodTemplate, isPodUpdated, replaceNodeNameAffinity, targetNodeName, templateGeneration, unscheduledPodsWithoutNode } from '../../../../src/controllers/daemonset/daemon-pods';
import { ds, node, pod } from './fixtures';

const pin = (n: string) => ({ nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [n] }] }] });

describe('ReplaceDaemonSetPodNodeNameNodeAffinity', () => {
  it('creates the affinity when there is none', () => {
    assert.deepEqual(replaceNodeNameAffinity(undefined, 'n1'), { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: pin('n1') } });
  });
  it('keeps pod (anti-)affinity and preferred terms, replaces required node terms', () => {
    const input = {
      podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [] },
      nodeAffinity: {
        preferredDuringSchedulingIgnoredDuringExecution: [{ weight: 1, preference: { matchExpressions: [{ key: 'a', operator: 'Exists' }] } }],
        requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] }] },
      },
    };
    const before = JSON.stringify(input);
    const out = replaceNodeNameAffinity(input, 'n2');
    assert.equal(JSON.stringify(input), before, 'input untouched');
    assert.deepEqual(out.nodeAffinity?.requiredDuringSchedulingIgnoredDuringExecution, pin('n2'));
    assert.deepEqual(out.nodeAffinity?.preferredDuringSchedulingIgnoredDuringExecution, input.nodeAffinity.preferredDuringSchedulingIgnoredDuringExecution);
    assert.deepEqual(out.podAntiAffinity, input.podAntiAffinity);
  });
  it('adds required terms to a node affinity that only has preferred ones', () => {
    const out = replaceNodeNameAffinity({ nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [] } }, 'n3');
    assert.deepEqual(out, { nodeAffinity: { preferredDuringSchedulingIgnoredDuringExecution: [], requiredDuringSchedulingIgnoredDuringExecution: pin('n3') } });
  });
});

describe('GetTargetNodeName', () => {
  it('prefers spec.nodeName, then the pinning affinity', () => {
    assert.equal(targetNodeName(pod('a', { nodeName: 'x', node: 'y' })), 'x');
    assert.equal(targetNodeName(pod('a', { node: 'y' })), 'y');
    assert.equal(targetNodeName(pod('a')), undefined);
  });
  it('refuses a matchFields term with several values', () => {
    const p = pod('a');
    p.spec!.affinity = { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['a', 'b'] }] }] } } };
    assert.equal(targetNodeName(p), undefined);
  });
});

describe('templates and revisions', () => {
  it('reads the deprecated template generation annotation', () => {
    assert.equal(templateGeneration(ds()), undefined);
    assert.equal(templateGeneration(ds({}, { annotations: { 'deprecated.daemonset.template.generation': '3' } })), 3);
    assert.equal(templateGeneration(ds({}, { annotations: { 'deprecated.daemonset.template.generation': 'x' } })), undefined);
  });
  it('CreatePodTemplate adds labels and tolerations without touching the set', () => {
    const set = ds();
    const before = JSON.stringify(set);
    const t = createPodTemplate(set.spec?.template, 2, 'abc');
    assert.equal(JSON.stringify(set), before);
    assert.deepEqual(t.metadata?.labels, { app: 'ds', 'pod-template-generation': '2', 'controller-revision-hash': 'abc' });
    assert.equal(t.spec?.tolerations?.length, 6);
    assert.deepEqual(createPodTemplate(set.spec?.template, undefined, '').metadata?.labels, { app: 'ds' });
  });
  it('IsPodUpdated: by hash, or by template generation', () => {
    const p = pod('a', { hash: 'h1' });
    assert.equal(isPodUpdated(p, 'h1', undefined), true);
    assert.equal(isPodUpdated(p, 'h2', undefined), false);
    assert.equal(isPodUpdated(p, '', undefined), false);
    p.metadata!.labels!['pod-template-generation'] = '4';
    assert.equal(isPodUpdated(p, 'h2', 4), true);
    assert.equal(isPodUpdated(p, 'h2', 5), false);
  });
});

describe('pod order and vanished nodes', () => {
  it('orders scheduled pods first, then oldest, then by name', () => {
    const pods = [pod('c', { created: '2026-01-01T00:00:02Z' }), pod('b', { created: '2026-01-01T00:00:01Z' }), pod('a', { created: '2026-01-01T00:00:02Z' }), pod('z', { nodeName: 'n', created: '2026-01-01T00:00:09Z' })];
    assert.deepEqual(pods.sort(compareByCreationAndPhase).map((p) => p.metadata?.name), ['z', 'b', 'a', 'c']);
  });
  it('lists only unscheduled pods of nodes that do not exist', () => {
    const byNode = new Map([
      ['gone', [pod('u1', { node: 'gone' }), pod('s1', { node: 'gone', nodeName: 'gone' })]],
      ['here', [pod('u2', { node: 'here' })]],
    ]);
    assert.deepEqual(unscheduledPodsWithoutNode([node('here')], byNode), ['u1']);
  });
});
