/** kubeadm's CoreDNS objects: kinds and order, the Service's IP and ports, the Deployment, the Corefile, GetDNSIP. */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { COREDNS_IMAGE, corednsManifests, dnsServiceIP } from '../../../../src/addons/dns';

type Any = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

describe('corednsManifests', () => {
  const objs = corednsManifests({ clusterIP: '10.96.0.10', dnsPort: 15353 }) as Any[];
  const byKind = (k: string) => objs.find((o) => o.kind === k)!;

  it('creates what kubeadm creates, in its order, in kube-system', () => {
    assert.deepEqual(
      objs.map((o) => `${o.apiVersion} ${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`),
      [
        'v1 ConfigMap kube-system/coredns',
        'rbac.authorization.k8s.io/v1 ClusterRole /system:coredns',
        'rbac.authorization.k8s.io/v1 ClusterRoleBinding /system:coredns',
        'v1 ServiceAccount kube-system/coredns',
        'apps/v1 Deployment kube-system/coredns',
        'v1 Service kube-system/kube-dns',
      ],
    );
  });

  it('gives the kube-dns Service the DNS IP, its three ports and the CoreDNS pods', () => {
    const s = byKind('Service');
    assert.equal(s.spec.clusterIP, '10.96.0.10');
    assert.deepEqual(
      s.spec.ports.map((p: Any) => `${p.name} ${p.port}/${p.protocol}->${p.targetPort}`),
      ['dns 53/UDP->53', 'dns-tcp 53/TCP->53', 'metrics 9153/TCP->9153'],
    );
    assert.deepEqual(s.spec.selector, { 'k8s-app': 'kube-dns' });
    assert.equal(s.metadata.labels['kubernetes.io/name'], 'CoreDNS');
    assert.equal(s.metadata.resourceVersion, undefined, 'creatable as is');
  });

  it('runs 2 critical CoreDNS replicas that tolerate the control plane, with kubeadm probes', () => {
    const d = byKind('Deployment');
    assert.equal(d.spec.replicas, 2);
    assert.deepEqual(d.spec.selector.matchLabels, { 'k8s-app': 'kube-dns' });
    const pod = d.spec.template.spec;
    assert.equal(pod.priorityClassName, 'system-cluster-critical');
    assert.equal(pod.serviceAccountName, 'coredns');
    assert.equal(pod.dnsPolicy, 'Default');
    assert.deepEqual(pod.tolerations, [
      { key: 'CriticalAddonsOnly', operator: 'Exists' },
      { key: 'node-role.kubernetes.io/control-plane', effect: 'NoSchedule' },
    ]);
    const c = pod.containers[0];
    assert.equal(c.image, COREDNS_IMAGE);
    assert.equal(COREDNS_IMAGE, 'registry.k8s.io/coredns/coredns:v1.11.3');
    assert.deepEqual(c.livenessProbe, { httpGet: { path: '/health', port: 'liveness-probe', scheme: 'HTTP' }, initialDelaySeconds: 60, timeoutSeconds: 5, successThreshold: 1, failureThreshold: 5 });
    assert.deepEqual(c.readinessProbe, { httpGet: { path: '/ready', port: 'readiness-probe', scheme: 'HTTP' } });
    assert.deepEqual(pod.volumes[0].configMap, { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] });
  });

  it('lets CoreDNS list and watch what it reads, and binds that to its ServiceAccount', () => {
    assert.deepEqual(byKind('ClusterRole').rules, [
      { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
      { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
    ]);
    assert.deepEqual(byKind('ClusterRoleBinding').subjects, [{ kind: 'ServiceAccount', name: 'coredns', namespace: 'kube-system' }]);
  });

  it("carries kubeadm's Corefile for the cluster domain, noting KubeLab's port", () => {
    const cm = corednsManifests({ clusterIP: '10.100.0.10', dnsPort: 5300, clusterDomain: 'corp.example' })[0] as Any;
    const text: string = cm.data.Corefile;
    assert.match(text, /^# KubeLab: .*127\.0\.0\.1:5300 /);
    assert.match(text, /\n\.:53 \{\n/);
    assert.match(text, /kubernetes corp\.example in-addr\.arpa ip6\.arpa \{\n {7}pods insecure\n {7}fallthrough in-addr\.arpa ip6\.arpa\n {7}ttl 30\n {4}\}/);
    assert.match(text, /disable success corp\.example\n {7}disable denial corp\.example/);
    assert.match(byKind('ConfigMap').data.Corefile, /kubernetes cluster\.local in-addr\.arpa/);
  });
});

describe('dnsServiceIP (kubeadm GetDNSIP)', () => {
  it('is the 10th address of the service CIDR', () => {
    assert.equal(dnsServiceIP('10.96.0.0/12'), '10.96.0.10');
    assert.equal(dnsServiceIP('172.20.0.0/16'), '172.20.0.10');
    assert.equal(dnsServiceIP('10.0.0.0/28'), '10.0.0.10');
    assert.throws(() => dnsServiceIP('10.0.0.0/29'), /has no 10th address/);
    assert.throws(() => dnsServiceIP('nonsense'), /invalid CIDR address/);
  });
});
