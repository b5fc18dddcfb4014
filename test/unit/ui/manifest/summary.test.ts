/** kubectl's apply/delete lines (kubectl 1.32 output, as the kubectl integration tests and a run against KubeLab show). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyLine, applyOperation, deleteLine, kindString, summaryHeadline, type ApplyOperation, type DryRun } from '../../../../src/ui/manifest';

const o = (apiVersion: string, kind: string, name: string, resourceVersion?: string, extra: object = {}) => ({ apiVersion, kind, metadata: { name, ...(resourceVersion ? { resourceVersion } : {}) }, ...extra });

describe('kindString', () => {
  const cases: [string, string, string][] = [
    ['v1', 'Service', 'service'],
    ['apps/v1', 'Deployment', 'deployment.apps'],
    ['networking.k8s.io/v1', 'Ingress', 'ingress.networking.k8s.io'],
    ['autoscaling/v2', 'HorizontalPodAutoscaler', 'horizontalpodautoscaler.autoscaling'],
    ['apiextensions.k8s.io/v1', 'CustomResourceDefinition', 'customresourcedefinition.apiextensions.k8s.io'],
    ['example.com/v1alpha1', 'Widget', 'widget.example.com'],
  ];
  for (const [apiVersion, kind, want] of cases) it(`${apiVersion} ${kind} → ${want}`, () => assert.equal(kindString({ apiVersion, kind }), want));
});

describe('applyLine / deleteLine', () => {
  const cases: [ReturnType<typeof o>, ApplyOperation, DryRun, string][] = [
    [o('apps/v1', 'Deployment', 'web'), 'created', 'none', 'deployment.apps/web created'],
    [o('v1', 'Service', 'web'), 'unchanged', 'none', 'service/web unchanged'],
    [o('networking.k8s.io/v1', 'Ingress', 'web'), 'configured', 'none', 'ingress.networking.k8s.io/web configured'],
    [o('v1', 'ConfigMap', 'inferred'), 'created', 'client', 'configmap/inferred created (dry run)'],
    [o('v1', 'ConfigMap', 'inferred'), 'serverside-applied', 'server', 'configmap/inferred serverside-applied (server dry run)'],
    [o('v1', 'ConfigMap', 'inferred'), 'serverside-applied', 'none', 'configmap/inferred serverside-applied'],
  ];
  for (const [obj, op, dry, want] of cases) it(want, () => assert.equal(applyLine(obj, op, dry), want));

  it('delete: `<kind> "<name>" deleted` with the dry-run suffixes and force', () => {
    assert.equal(deleteLine(o('apps/v1', 'Deployment', 'made')), 'deployment.apps "made" deleted');
    assert.equal(deleteLine(o('v1', 'ConfigMap', 'inferred'), 'server'), 'configmap "inferred" deleted (server dry run)');
    assert.equal(deleteLine(o('v1', 'Pod', 'p'), 'client'), 'pod "p" deleted (dry run)');
    assert.equal(deleteLine(o('v1', 'Pod', 'p'), 'none', true), 'pod "p" force deleted');
  });
});

describe('applyOperation', () => {
  it('created when there was no object; unchanged when the resourceVersion stayed; configured when it moved', () => {
    assert.equal(applyOperation(undefined, o('v1', 'ConfigMap', 'c', '5')), 'created');
    assert.equal(applyOperation(o('v1', 'ConfigMap', 'c', '5'), o('v1', 'ConfigMap', 'c', '5')), 'unchanged');
    assert.equal(applyOperation(o('v1', 'ConfigMap', 'c', '5'), o('v1', 'ConfigMap', 'c', '6', { data: { a: '1' } })), 'configured');
  });

  it('on a dry run (nothing stored, the resourceVersion may not move) compares the objects', () => {
    const live = o('v1', 'ConfigMap', 'c', '5', { data: { a: '1', b: '2' } });
    assert.equal(applyOperation(live, o('v1', 'ConfigMap', 'c', '5', { data: { b: '2', a: '1' } }), 'server'), 'unchanged');
    assert.equal(applyOperation(live, o('v1', 'ConfigMap', 'c', '5', { data: { a: '1', b: '3' } }), 'server'), 'configured');
    assert.equal(applyOperation(undefined, live, 'server'), 'created');
  });
});

describe('summaryHeadline', () => {
  it('counts operations in a fixed order', () => {
    assert.equal(summaryHeadline(['unchanged', 'created', 'created', 'configured']), '2 created, 1 configured, 1 unchanged');
    assert.equal(summaryHeadline(['deleted', 'deleted']), '2 deleted');
    assert.equal(summaryHeadline([]), 'nothing applied');
  });
});
