/**
 * The objects kubeadm's kube-proxy add-on phase creates, so kube-proxy shows in kube-system as it does on a real
 * cluster: ServiceAccount `kube-proxy`, ConfigMap `kube-proxy` (its KubeProxyConfiguration, with the mode chosen in
 * the ClusterConfig), the ClusterRoleBinding `kubeadm:node-proxier`, and the DaemonSet `kube-proxy` whose pods
 * (`kube-proxy-xxxxx`, one per node, tolerating every taint) stand for the per-node kube-proxy KubeLab runs in
 * process. The process itself authenticates as `system:kube-proxy` (bound to system:node-proxier from the first start).
 */
export const KUBE_PROXY_IMAGE = 'registry.k8s.io/kube-proxy:v1.32.0';

export interface KubeProxyManifestOptions {
  mode: string;
  clusterCIDR: string;
  ipvsScheduler: string;
  minSyncPeriodMs: number;
  syncPeriodMs: number;
}

const seconds = (ms: number) => `${ms / 1000}s`;

export function kubeProxyManifests(o: KubeProxyManifestOptions): Record<string, unknown>[] {
  const labels = { 'k8s-app': 'kube-proxy' };
  const config = [
    'apiVersion: kubeproxy.config.k8s.io/v1alpha1',
    'kind: KubeProxyConfiguration',
    'bindAddress: 0.0.0.0',
    'clientConnection:',
    '  kubeconfig: /var/lib/kube-proxy/kubeconfig.conf',
    `clusterCIDR: ${o.clusterCIDR}`,
    'healthzBindAddress: 0.0.0.0:10256',
    'metricsBindAddress: 127.0.0.1:10249',
    `mode: ${o.mode}`,
    'iptables:',
    `  minSyncPeriod: ${seconds(o.minSyncPeriodMs)}`,
    `  syncPeriod: ${seconds(o.syncPeriodMs)}`,
    'ipvs:',
    `  scheduler: ${o.ipvsScheduler}`,
    `  minSyncPeriod: ${seconds(o.minSyncPeriodMs)}`,
    `  syncPeriod: ${seconds(o.syncPeriodMs)}`,
    '',
  ].join('\n');
  return [
    { apiVersion: 'v1', kind: 'ServiceAccount', metadata: { name: 'kube-proxy', namespace: 'kube-system' } },
    {
      apiVersion: 'rbac.authorization.k8s.io/v1',
      kind: 'ClusterRoleBinding',
      metadata: { name: 'kubeadm:node-proxier' },
      roleRef: { apiGroup: 'rbac.authorization.k8s.io', kind: 'ClusterRole', name: 'system:node-proxier' },
      subjects: [{ kind: 'ServiceAccount', name: 'kube-proxy', namespace: 'kube-system' }],
    },
    {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'kube-proxy', namespace: 'kube-system', labels: { app: 'kube-proxy' } },
      data: { 'config.conf': config },
    },
    {
      apiVersion: 'apps/v1',
      kind: 'DaemonSet',
      metadata: { name: 'kube-proxy', namespace: 'kube-system', labels },
      spec: {
        selector: { matchLabels: labels },
        updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1 } },
        template: {
          metadata: { labels },
          spec: {
            priorityClassName: 'system-node-critical',
            serviceAccountName: 'kube-proxy',
            hostNetwork: true,
            nodeSelector: { 'kubernetes.io/os': 'linux' },
            tolerations: [{ operator: 'Exists' }],
            containers: [
              {
                name: 'kube-proxy',
                image: KUBE_PROXY_IMAGE,
                imagePullPolicy: 'IfNotPresent',
                command: ['/usr/local/bin/kube-proxy', '--config=/var/lib/kube-proxy/config.conf', '--hostname-override=$(NODE_NAME)'],
                env: [{ name: 'NODE_NAME', valueFrom: { fieldRef: { apiVersion: 'v1', fieldPath: 'spec.nodeName' } } }],
                securityContext: { privileged: true },
                volumeMounts: [{ name: 'kube-proxy', mountPath: '/var/lib/kube-proxy' }],
              },
            ],
            volumes: [{ name: 'kube-proxy', configMap: { name: 'kube-proxy' } }],
          },
        },
      },
    },
  ];
}
