/** Defaulting of workloads, services, storage, RBAC, CRDs and the other kinds, plus the create-time hooks. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  applyPodPriority,
  defaultObject,
  defaultServiceIPFamilies,
  generateJobSelector,
  hasDefaults,
  normalizeServiceClusterIPs,
  prepareNamespaceForCreate,
} from '../../../../src/api/defaults';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Any = any;
const g = (group: string, kind: string) => ({ group, version: 'v1', kind });
const d = (group: string, kind: string, o: Any): Any => {
  defaultObject(g(group, kind), o);
  return o;
};
const tmpl = (): Any => ({ metadata: { labels: { app: 'a' } }, spec: { containers: [{ name: 'c', image: 'x:1' }] } });

describe('workload defaults', () => {
  it('Deployment', () => {
    const o = d('apps', 'Deployment', { spec: { template: tmpl() } });
    assert.deepEqual({ ...o.spec, template: undefined }, {
      template: undefined,
      replicas: 1,
      strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: '25%', maxSurge: '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
    });
    assert.equal(o.spec.template.metadata.creationTimestamp, null);
    assert.equal(o.spec.template.spec.dnsPolicy, 'ClusterFirst');
    assert.deepEqual(o.spec.template.spec.containers[0].resources, {});
    assert.equal(o.spec.template.spec.enableServiceLinks, undefined, 'Pod-only defaults stay out of templates');
  });
  it('Deployment keeps replicas: 0 and a Recreate strategy without rollingUpdate', () => {
    const o = d('apps', 'Deployment', { spec: { replicas: 0, strategy: { type: 'Recreate' }, template: tmpl() } });
    assert.equal(o.spec.replicas, 0);
    assert.deepEqual(o.spec.strategy, { type: 'Recreate' });
  });
  it('StatefulSet', () => {
    const o = d('apps', 'StatefulSet', { spec: { template: tmpl(), volumeClaimTemplates: [{ metadata: { name: 'data' }, spec: { resources: { requests: { storage: '1Gi' } } } }] } });
    assert.equal(o.spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(o.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.deepEqual(o.spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    assert.equal(o.spec.replicas, 1);
    assert.equal(o.spec.revisionHistoryLimit, 10);
    const pvc = o.spec.volumeClaimTemplates[0];
    assert.deepEqual([pvc.apiVersion, pvc.kind, pvc.metadata.creationTimestamp, pvc.spec.volumeMode, pvc.status.phase], ['v1', 'PersistentVolumeClaim', null, 'Filesystem', 'Pending']);
  });
  it('DaemonSet', () => {
    const o = d('apps', 'DaemonSet', { spec: { template: tmpl() } });
    assert.deepEqual(o.spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(o.spec.revisionHistoryLimit, 10);
  });
  it('Job, including labels copied from the template', () => {
    const o = d('batch', 'Job', { metadata: { name: 'j' }, spec: { template: tmpl() } });
    const { template, ...rest } = o.spec;
    assert.deepEqual(rest, { completions: 1, parallelism: 1, backoffLimit: 6, completionMode: 'NonIndexed', suspend: false, podReplacementPolicy: 'TerminatingOrFailed' });
    assert.deepEqual(o.metadata.labels, { app: 'a' });
    assert.equal(template.spec.restartPolicy, 'Always');
    const parallel = d('batch', 'Job', { spec: { parallelism: 3, podFailurePolicy: { rules: [] }, template: tmpl() } });
    assert.equal(parallel.spec.completions, undefined);
    assert.equal(parallel.spec.podReplacementPolicy, 'Failed');
  });
  it('CronJob (the job template gets pod defaults only)', () => {
    const o = d('batch', 'CronJob', { spec: { schedule: '* * * * *', jobTemplate: { spec: { template: tmpl() } } } });
    assert.deepEqual([o.spec.concurrencyPolicy, o.spec.suspend, o.spec.successfulJobsHistoryLimit, o.spec.failedJobsHistoryLimit], ['Allow', false, 3, 1]);
    assert.equal(o.spec.jobTemplate.metadata.creationTimestamp, null);
    assert.equal(o.spec.jobTemplate.spec.backoffLimit, undefined);
    assert.equal(o.spec.jobTemplate.spec.template.spec.schedulerName, 'default-scheduler');
  });
  it('ReplicationController takes selector and labels from its template', () => {
    const o = d('', 'ReplicationController', { metadata: {}, spec: { template: tmpl() } });
    assert.deepEqual([o.spec.selector, o.metadata.labels, o.spec.replicas], [{ app: 'a' }, { app: 'a' }, 1]);
  });
});

describe('service and network defaults', () => {
  it('Service', () => {
    const o = d('', 'Service', { spec: { ports: [{ port: 80 }, { port: 443, targetPort: 'https' }] } });
    assert.deepEqual(o.spec, {
      ports: [{ port: 80, protocol: 'TCP', targetPort: 80 }, { port: 443, targetPort: 'https', protocol: 'TCP' }],
      sessionAffinity: 'None',
      type: 'ClusterIP',
      internalTrafficPolicy: 'Cluster',
    });
    const lb = d('', 'Service', { spec: { type: 'LoadBalancer', sessionAffinity: 'ClientIP', ports: [{ port: 80 }] }, status: { loadBalancer: { ingress: [{ ip: '1.2.3.4' }] } } });
    assert.deepEqual(lb.spec.sessionAffinityConfig, { clientIP: { timeoutSeconds: 10800 } });
    assert.deepEqual([lb.spec.externalTrafficPolicy, lb.spec.allocateLoadBalancerNodePorts, lb.status.loadBalancer.ingress[0].ipMode], ['Cluster', true, 'VIP']);
    const ext = d('', 'Service', { spec: { type: 'ExternalName', externalName: 'example.com' } });
    assert.equal(ext.spec.internalTrafficPolicy, undefined);
  });
  it('Endpoints and EndpointSlice ports', () => {
    assert.deepEqual(d('', 'Endpoints', { subsets: [{ ports: [{ port: 80 }] }] }).subsets[0].ports[0], { port: 80, protocol: 'TCP' });
    assert.deepEqual(d('discovery.k8s.io', 'EndpointSlice', { ports: [{ port: 80 }] }).ports[0], { port: 80, name: '', protocol: 'TCP' });
  });
});

describe('other kinds', () => {
  it('Namespace, Secret, PV, PVC, StorageClass, PriorityClass, RBAC, Node, LimitRange, CRD', () => {
    const ns = d('', 'Namespace', { metadata: { name: 'dev' } });
    assert.deepEqual([ns.metadata.labels, ns.status], [{ 'kubernetes.io/metadata.name': 'dev' }, { phase: 'Active' }]);
    const secret = d('', 'Secret', { stringData: { user: 'admin' }, data: { x: 'eQ==' } });
    assert.deepEqual(secret, { type: 'Opaque', data: { x: 'eQ==', user: 'YWRtaW4=' } });
    const pv = d('', 'PersistentVolume', { spec: { capacity: { storage: '1024Mi' } } });
    assert.deepEqual([pv.spec.persistentVolumeReclaimPolicy, pv.spec.volumeMode, pv.status.phase, pv.spec.capacity.storage], ['Retain', 'Filesystem', 'Pending', '1Gi']);
    const pvc = d('', 'PersistentVolumeClaim', { spec: {} });
    assert.deepEqual([pvc.spec.volumeMode, pvc.status.phase], ['Filesystem', 'Pending']);
    const sc = d('storage.k8s.io', 'StorageClass', { provisioner: 'x' });
    assert.deepEqual([sc.reclaimPolicy, sc.volumeBindingMode], ['Delete', 'Immediate']);
    assert.equal(d('scheduling.k8s.io', 'PriorityClass', { value: 1 }).preemptionPolicy, 'PreemptLowerPriority');
    const rb = d('rbac.authorization.k8s.io', 'RoleBinding', { roleRef: { kind: 'Role', name: 'r' }, subjects: [{ kind: 'User', name: 'u' }, { kind: 'ServiceAccount', name: 's' }] });
    assert.deepEqual([rb.roleRef.apiGroup, rb.subjects[0].apiGroup, rb.subjects[1].apiGroup], ['rbac.authorization.k8s.io', 'rbac.authorization.k8s.io', undefined]);
    const node = d('', 'Node', { status: { capacity: { cpu: '4', memory: '8Gi' } } });
    assert.deepEqual(node.status.allocatable, { cpu: '4', memory: '8Gi' });
    const lr = d('', 'LimitRange', { spec: { limits: [{ type: 'Container', max: { cpu: '2' }, min: { memory: '64Mi' } }] } });
    assert.deepEqual([lr.spec.limits[0].default, lr.spec.limits[0].defaultRequest], [{ cpu: '2' }, { cpu: '2', memory: '64Mi' }]);
    const crd = d('apiextensions.k8s.io', 'CustomResourceDefinition', { spec: { names: { kind: 'Widget' }, versions: [{ name: 'v1', storage: true }] } });
    assert.deepEqual([crd.spec.names.singular, crd.spec.names.listKind, crd.spec.conversion, crd.status.storedVersions], ['widget', 'WidgetList', { strategy: 'None' }, ['v1']]);
  });
  it('leaves unknown kinds alone', () => {
    const o = { spec: { a: 1 } };
    defaultObject(g('example.com', 'Widget'), o);
    assert.deepEqual(o, { spec: { a: 1 } });
    assert.equal(hasDefaults(g('example.com', 'Widget')), false);
    assert.equal(hasDefaults(g('apps', 'Deployment')), true);
  });
});

describe('create-time hooks', () => {
  it('namespace finalizer and phase', () => {
    const ns: Any = { metadata: { name: 'x' }, spec: { finalizers: ['example.com/f'] } };
    prepareNamespaceForCreate(ns);
    assert.deepEqual([ns.spec.finalizers, ns.status], [['example.com/f', 'kubernetes'], { phase: 'Active' }]);
  });
  it('job selector from the uid (unless manual)', () => {
    const job: Any = { metadata: { name: 'pi', uid: 'u1' }, spec: { template: { metadata: { labels: { app: 'a' } } } } };
    generateJobSelector(job);
    assert.deepEqual(job.spec.selector, { matchLabels: { 'batch.kubernetes.io/controller-uid': 'u1' } });
    assert.deepEqual(job.spec.template.metadata.labels, {
      app: 'a',
      'job-name': 'pi',
      'batch.kubernetes.io/job-name': 'pi',
      'controller-uid': 'u1',
      'batch.kubernetes.io/controller-uid': 'u1',
    });
    const manual: Any = { metadata: { name: 'm', uid: 'u' }, spec: { manualSelector: true } };
    generateJobSelector(manual);
    assert.equal(manual.spec.selector, undefined);
  });
  it('pod priority and service IPs', () => {
    const pod: Any = { spec: {} };
    applyPodPriority(pod);
    assert.deepEqual(pod.spec, { priority: 0, preemptionPolicy: 'PreemptLowerPriority' });
    const svc: Any = { spec: { clusterIP: '10.96.0.10' } };
    normalizeServiceClusterIPs(svc);
    defaultServiceIPFamilies(svc);
    assert.deepEqual(svc.spec, { clusterIP: '10.96.0.10', clusterIPs: ['10.96.0.10'], ipFamilyPolicy: 'SingleStack', ipFamilies: ['IPv4'] });
  });
});
