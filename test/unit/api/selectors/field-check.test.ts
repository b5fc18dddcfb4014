/**
 * Field selectors per resource as kube-apiserver 1.32 applies them: which labels each kind accepts (its field label
 * conversion func, or the metadata-only default), the 400 text for the rest, label aliases, each object's field
 * set (GetAttrs) and the compiled matcher agreeing with it.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../../../src/api/object';
import { builtinResources, type ResourceInfo } from '../../../../src/api/resources';
import { isStatusError } from '../../../../src/api/status';
import {
  checkFieldSelector,
  compileFieldMatcher,
  fieldsOf,
  parseFieldSelector,
  parseLabelSelector,
  selectionPredicate,
  supportedFieldLabels,
} from '../../../../src/api/selectors';

const BUILTIN = builtinResources();
function res(group: string, resource: string): ResourceInfo {
  const r = BUILTIN.find((x) => x.group === group && x.resource === resource);
  assert.ok(r, `${group}/${resource}`);
  return r;
}
function crd(namespaced: boolean): ResourceInfo {
  return { ...res('apps', 'deployments'), group: 'example.com', resource: 'widgets', kind: 'Widget', namespaced, crd: 'widgets.example.com' };
}

function rejection(r: ResourceInfo, selector: string): string {
  try {
    checkFieldSelector(r, parseFieldSelector(selector));
  } catch (e) {
    assert.ok(isStatusError(e));
    assert.equal(e.code, 400);
    assert.equal(e.reason, 'BadRequest');
    return e.message;
  }
  assert.fail(`${selector} accepted for ${r.resource}`);
}

const DEFAULT_MSG = (l: string) => `"${l}" is not a known field selector: only "metadata.name", "metadata.namespace"`;

describe('field selectors per resource', () => {
  it('accepts exactly the labels of each kind and rejects others with its own text', () => {
    const table: [ResourceInfo, string[], string, string][] = [
      [
        res('', 'pods'),
        ['metadata.name', 'metadata.namespace', 'spec.nodeName', 'spec.restartPolicy', 'spec.schedulerName', 'spec.serviceAccountName', 'spec.hostNetwork', 'status.phase', 'status.podIP', 'status.podIPs', 'status.nominatedNodeName', 'spec.host'],
        'spec.foo',
        'field label not supported: spec.foo',
      ],
      [res('', 'nodes'), ['metadata.name', 'spec.unschedulable'], 'metadata.namespace', 'field label not supported: metadata.namespace'],
      [res('', 'namespaces'), ['status.phase', 'metadata.name'], 'metadata.namespace', 'field label not supported: metadata.namespace'],
      [res('', 'secrets'), ['type', 'metadata.namespace', 'metadata.name'], 'data', 'field label not supported: data'],
      [res('', 'services'), ['metadata.namespace', 'metadata.name', 'spec.clusterIP', 'spec.type'], 'spec.ports', 'field label not supported: spec.ports'],
      [res('', 'replicationcontrollers'), ['metadata.name', 'metadata.namespace', 'status.replicas'], 'spec.replicas', 'field label not supported: spec.replicas'],
      [
        res('', 'events'),
        ['involvedObject.kind', 'involvedObject.namespace', 'involvedObject.name', 'involvedObject.uid', 'involvedObject.apiVersion', 'involvedObject.resourceVersion', 'involvedObject.fieldPath', 'reason', 'reportingComponent', 'source', 'type', 'metadata.namespace', 'metadata.name'],
        'regarding.name',
        'field label not supported: regarding.name',
      ],
      [
        res('events.k8s.io', 'events'),
        ['regarding.kind', 'regarding.namespace', 'regarding.name', 'regarding.uid', 'regarding.apiVersion', 'regarding.resourceVersion', 'regarding.fieldPath', 'reason', 'reportingController', 'source', 'type', 'metadata.namespace', 'metadata.name'],
        'involvedObject.name',
        'field label not supported: involvedObject.name',
      ],
      [res('batch', 'jobs'), ['metadata.name', 'metadata.namespace', 'status.successful'], 'status.active', 'field label "status.active" not supported for Job'],
      [res('apps', 'replicasets'), ['metadata.name', 'metadata.namespace'], 'status.replicas', DEFAULT_MSG('status.replicas')],
      [res('apps', 'deployments'), ['metadata.name', 'metadata.namespace'], 'spec.foo', DEFAULT_MSG('spec.foo')],
      [res('', 'configmaps'), ['metadata.name', 'metadata.namespace'], 'data.x', DEFAULT_MSG('data.x')],
      [res('rbac.authorization.k8s.io', 'clusterroles'), ['metadata.name', 'metadata.namespace'], 'rules', DEFAULT_MSG('rules')],
      [crd(true), ['metadata.name', 'metadata.namespace'], 'spec.size', 'field label not supported: spec.size'],
      [crd(false), ['metadata.name'], 'metadata.namespace', 'field label not supported: metadata.namespace'],
    ];
    for (const [r, accepted, bad, msg] of table) {
      assert.deepEqual([...supportedFieldLabels(r)].sort(), [...accepted].sort(), r.resource);
      for (const label of accepted) assert.ok(!checkFieldSelector(r, parseFieldSelector(`${label}=x`)).empty(), `${r.resource} ${label}`);
      assert.equal(rejection(r, `${bad}=x`), msg, `${r.group}/${r.resource}`);
      assert.equal(rejection(r, `metadata.name=a,${bad}!=y`), msg);
    }
  });

  it('reports the first unsupported term in term order, and quotes labels as Go does', () => {
    assert.equal(rejection(res('', 'pods'), 'z.b=1,a.b=1'), 'field label not supported: a.b');
    assert.equal(rejection(res('apps', 'deployments'), 'a"b=1'), DEFAULT_MSG('a\\"b'));
    assert.ok(checkFieldSelector(res('', 'pods'), parseFieldSelector('')).empty());
  });

  it('converts aliases to canonical labels', () => {
    assert.equal(checkFieldSelector(res('', 'pods'), parseFieldSelector('spec.host=n1')).toString(), 'spec.nodeName=n1');
    const ev = checkFieldSelector(res('events.k8s.io', 'events'), parseFieldSelector('regarding.name=web,reportingController=kubelet,type=Warning'));
    assert.equal(ev.toString(), 'involvedObject.name=web,reportingComponent=kubelet,type=Warning');
  });
});

describe('field sets (GetAttrs) and matching', () => {
  const pod: KubeObject = {
    metadata: { name: 'web-1', namespace: 'default', labels: { app: 'web' } },
    spec: { nodeName: 'node-1', restartPolicy: 'Always', schedulerName: 'default-scheduler', serviceAccountName: 'default' },
    status: { phase: 'Running', podIPs: [{ ip: '10.0.0.5' }, { ip: 'fd00::5' }] },
  };

  it('computes pod fields, with spec.hostNetwork defaulting to "false" and podIP from podIPs', () => {
    assert.deepEqual(fieldsOf(res('', 'pods'), pod), {
      'metadata.name': 'web-1',
      'metadata.namespace': 'default',
      'spec.nodeName': 'node-1',
      'spec.restartPolicy': 'Always',
      'spec.schedulerName': 'default-scheduler',
      'spec.serviceAccountName': 'default',
      'spec.hostNetwork': 'false',
      'status.phase': 'Running',
      'status.podIP': '10.0.0.5',
      'status.nominatedNodeName': '',
    });
    assert.equal(fieldsOf(res('', 'pods'), { spec: { hostNetwork: true }, status: { podIP: '1.2.3.4' } })['spec.hostNetwork'], 'true');
    assert.equal(fieldsOf(res('', 'pods'), { status: { podIP: '1.2.3.4', podIPs: [{ ip: '9.9.9.9' }] } })['status.podIP'], '1.2.3.4');
  });

  it('computes the other kinds as their strategies do', () => {
    const f = (g: string, r: string, o: KubeObject) => fieldsOf(res(g, r), o);
    assert.deepEqual(f('', 'nodes', { metadata: { name: 'n1' }, spec: {} }), { 'metadata.name': 'n1', 'spec.unschedulable': 'false' });
    assert.deepEqual(f('', 'namespaces', { metadata: { name: 'ns' }, status: { phase: 'Active' } }), {
      'metadata.name': 'ns',
      'status.phase': 'Active',
      name: 'ns',
    });
    assert.equal(f('', 'secrets', { metadata: { name: 's' }, type: 'kubernetes.io/tls' }).type, 'kubernetes.io/tls');
    assert.deepEqual(f('', 'services', { metadata: { name: 's', namespace: 'd' }, spec: { clusterIP: 'None', type: 'ClusterIP' } }), {
      'metadata.name': 's',
      'metadata.namespace': 'd',
      'spec.clusterIP': 'None',
      'spec.type': 'ClusterIP',
    });
    assert.equal(f('', 'replicationcontrollers', { status: { replicas: 3 } })['status.replicas'], '3');
    assert.equal(f('', 'replicationcontrollers', {})['status.replicas'], '0');
    assert.equal(f('apps', 'replicasets', { status: { replicas: 2 } })['status.replicas'], '2');
    assert.equal(f('batch', 'jobs', { status: { succeeded: 4 } })['status.successful'], '4');
    assert.deepEqual(f('', 'configmaps', { metadata: { name: 'c', namespace: 'd' } }), { 'metadata.name': 'c', 'metadata.namespace': 'd' });
    assert.deepEqual(f('rbac.authorization.k8s.io', 'clusterroles', { metadata: { name: 'c' } }), { 'metadata.name': 'c' });
  });

  it('reads events in either API shape; source falls back to the reporting controller', () => {
    const core = {
      metadata: { name: 'e', namespace: 'd' },
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'd', uid: 'u1' },
      reason: 'Scheduled',
      type: 'Normal',
      source: { component: 'default-scheduler' },
      reportingComponent: 'default-scheduler',
    };
    const v1 = {
      metadata: { name: 'e', namespace: 'd' },
      regarding: { kind: 'Pod', name: 'web-1', namespace: 'd', uid: 'u1' },
      reason: 'Scheduled',
      type: 'Normal',
      reportingController: 'default-scheduler',
    };
    for (const r of [res('', 'events'), res('events.k8s.io', 'events')]) {
      assert.deepEqual(fieldsOf(r, core), fieldsOf(r, v1));
      const fs = fieldsOf(r, v1);
      assert.equal(fs['involvedObject.name'], 'web-1');
      assert.equal(fs.source, 'default-scheduler');
      assert.equal(fs.reportingComponent, 'default-scheduler');
      assert.equal(fs['involvedObject.fieldPath'], '');
    }
  });

  it('compiled matchers agree with matches(fieldsOf(...))', () => {
    const r = res('', 'pods');
    const objs: KubeObject[] = [pod, { metadata: { name: 'x' } }, { spec: { nodeName: 'node-2', hostNetwork: true }, status: { phase: 'Pending' } }];
    const sels = ['', 'spec.nodeName=node-1', 'spec.host=node-1', 'spec.nodeName=', 'status.phase!=Running,spec.hostNetwork=true', 'status.podIPs=', 'status.podIPs=10.0.0.5', 'metadata.namespace=default,metadata.name=web-1'];
    for (const s of sels) {
      const checked = checkFieldSelector(r, parseFieldSelector(s));
      const m = compileFieldMatcher(r, checked);
      for (const o of objs) assert.equal(m(o), checked.matches(fieldsOf(r, o)), `${s} on ${JSON.stringify(o)}`);
    }
    assert.ok(compileFieldMatcher(r, checkFieldSelector(r, parseFieldSelector('spec.host=node-1')))(pod));
    assert.ok(!compileFieldMatcher(r, checkFieldSelector(r, parseFieldSelector('status.podIPs=10.0.0.5')))(pod));
  });

  it('selectionPredicate applies both selectors', () => {
    const r = res('', 'pods');
    const p = (l: string, f: string) => selectionPredicate(r, parseLabelSelector(l), checkFieldSelector(r, parseFieldSelector(f)))(pod);
    assert.ok(p('app=web', 'spec.nodeName=node-1'));
    assert.ok(p('', ''));
    assert.ok(!p('app=db', 'spec.nodeName=node-1'));
    assert.ok(!p('app=web', 'spec.nodeName=node-2'));
    assert.ok(!p('app', 'metadata.namespace=kube-system'));
  });
});
