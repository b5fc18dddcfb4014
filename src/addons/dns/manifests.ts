/**
 * The objects kubeadm's CoreDNS add-on creates (cmd/kubeadm/app/phases/addons/dns/manifests.go), as plain JSON, in
 * kubeadm's creation order: ConfigMap `coredns`, ClusterRole and ClusterRoleBinding `system:coredns`, ServiceAccount
 * `coredns`, Deployment `coredns` (2 replicas, label k8s-app=kube-dns) and Service `kube-dns` (the cluster DNS IP;
 * ports dns 53/UDP, dns-tcp 53/TCP, metrics 9153/TCP), all in kube-system. Pure.
 *
 * The Corefile is kubeadm's, for the given cluster domain. KubeLab's DNS server is not a pod but the ClusterDns
 * component on a loopback port: a comment at the top of the Corefile says which (the Service and its `.:53` stay
 * as in a kubeadm cluster, so in-cluster views match upstream).
 */
import type { KubeObject } from '../../api/object';
import { cidrContains, cidrSize, formatIPv4, parseCidr } from '../cni/cidr';

export const COREDNS_IMAGE = 'registry.k8s.io/coredns/coredns:v1.11.3';
export const COREDNS_REPLICAS = 2;
const NS = 'kube-system';
const CONTROL_PLANE_TAINT = 'node-role.kubernetes.io/control-plane';

/** kubeadm's GetDNSIP: the 10th address of the service CIDR (10.96.0.10 for 10.96.0.0/12). */
export function dnsServiceIP(serviceCidr: string): string {
  const c = parseCidr(serviceCidr);
  const ip = c.base + 10;
  if (cidrSize(c) <= 10 || !cidrContains(c, ip)) throw new Error(`unable to get DNS service IP: the service CIDR ${serviceCidr} has no 10th address`);
  return formatIPv4(ip);
}

/** kubeadm's Corefile for `clusterDomain`, with a leading comment naming KubeLab's DNS port. */
export function corefile(clusterDomain: string, dnsPort: number): string {
  return `# KubeLab: this zone is served by the cluster DNS component on 127.0.0.1:${dnsPort} (UDP and TCP).
.:53 {
    errors
    health {
       lameduck 5s
    }
    ready
    kubernetes ${clusterDomain} in-addr.arpa ip6.arpa {
       pods insecure
       fallthrough in-addr.arpa ip6.arpa
       ttl 30
    }
    prometheus :9153
    forward . /etc/resolv.conf {
       max_concurrent 1000
    }
    cache 30 {
       disable success ${clusterDomain}
       disable denial ${clusterDomain}
    }
    loop
    reload
    loadbalance
}
`;
}

const port = (name: string, p: number, protocol: string) => ({ name, port: p, protocol, targetPort: p });

export function corednsManifests(o: { clusterIP: string; dnsPort: number; clusterDomain?: string }): KubeObject[] {
  const domain = o.clusterDomain ?? 'cluster.local';
  const labels = { 'k8s-app': 'kube-dns' };
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'coredns', namespace: NS }, data: { Corefile: corefile(domain, o.dnsPort) } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRole',
      metadata: { name: 'system:coredns' },
      rules: [
        { apiGroups: [''], resources: ['endpoints', 'services', 'pods', 'namespaces'], verbs: ['list', 'watch'] },
        { apiGroups: ['discovery.k8s.io'], resources: ['endpointslices'], verbs: ['list', 'watch'] },
      ],
    },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'system:coredns' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:coredns' },
      subjects: [{ kind: 'ServiceAccount', name: 'coredns', namespace: NS }],
    },
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'coredns', namespace: NS } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'coredns', namespace: NS, labels: { ...labels } },
      spec: {
        replicas: COREDNS_REPLICAS,
        strategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        selector: { matchLabels: { ...labels } },
        template: {
          metadata: { labels: { ...labels } },
          spec: {
            priorityClassName: 'system-cluster-critical',
            serviceAccountName: 'coredns',
            affinity: {
              podAntiAffinity: {
                preferredDuringSchedulingIgnoredDuringExecution: [
                  {
                    weight: 100,
                    podAffinityTerm: {
                      labelSelector: { matchExpressions: [{ key: 'k8s-app', operator: 'In', values: ['kube-dns'] }] },
                      topologyKey: 'kubernetes.io/hostname',
                    },
                  },
                ],
              },
            },
            tolerations: [
              { key: 'CriticalAddonsOnly', operator: 'Exists' },
              { key: CONTROL_PLANE_TAINT, effect: 'NoSchedule' },
            ],
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            containers: [
              {
                name: 'coredns',
                image: COREDNS_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                resources: { limits: { memory: '170Mi' }, requests: { cpu: '100m', memory: '70Mi' } },
                args: ['-conf', '/etc/coredns/Corefile'],
                volumeMounts: [{ name: 'config-volume', mountPath: '/etc/coredns', readOnly: true }],
                ports: [
                  { containerPort: 53, name: 'dns', protocol: 'UDP' },
                  { containerPort: 53, name: 'dns-tcp', protocol: 'TCP' },
                  { containerPort: 9153, name: 'metrics', protocol: 'TCP' },
                  { containerPort: 8080, name: 'liveness-probe', protocol: 'TCP' },
                  { containerPort: 8181, name: 'readiness-probe', protocol: 'TCP' },
                ],
                livenessProbe: {
                  httpGet: { path: '/health', port: 'liveness-probe', scheme: 'HTTP' },
                  initialDelaySeconds: 60,
                  timeoutSeconds: 5,
                  successThreshold: 1,
                  failureThreshold: 5,
                },
                readinessProbe: { httpGet: { path: '/ready', port: 'readiness-probe', scheme: 'HTTP' } },
                securityContext: {
                  allowPrivilegeEscalation: false,
                  capabilities: { add: ['NET_BIND_SERVICE'], drop: ['ALL'] },
                  readOnlyRootFilesystem: true,
                },
              },
            ],
            dnsPolicy: 'Default',
            volumes: [{ name: 'config-volume', configMap: { name: 'coredns', items: [{ key: 'Corefile', path: 'Corefile' }] } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: {
        name: 'kube-dns',
        namespace: NS,
        labels: { ...labels, 'kubernetes.io/cluster-service': 'true', 'kubernetes.io/name': 'CoreDNS' },
        annotations: { 'prometheus.io/port': '9153', 'prometheus.io/scrape': 'true' },
      },
      spec: {
        clusterIP: o.clusterIP,
        ports: [port('dns', 53, 'UDP'), port('dns-tcp', 53, 'TCP'), port('metrics', 9153, 'TCP')],
        selector: { ...labels },
      },
    },
  ];
}
