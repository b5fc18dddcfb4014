/**
 * The control plane as static pods on the master node, shaped like kubeadm's manifests (kube-system, hostNetwork,
 * priorityClassName system-node-critical, component/tier labels, the real component images and flags). KubeLab's
 * components run in this process, not in these containers: the containers are simulated, and their HTTP health
 * endpoints answer from the real components' health (see control-plane-runtime.ts), so each mirror pod's
 * readiness follows its component. kubeadm's manifests have liveness and startup probes; these also carry a
 * readiness probe on the same endpoint so that a stopped component shows as not Ready within seconds.
 */
export const CONTROL_PLANE_VERSION = 'v1.32.0';
export const ETCD_IMAGE = 'registry.k8s.io/etcd:3.5.16-0';

export interface ControlPlaneComponent {
  name: 'etcd' | 'kube-apiserver' | 'kube-controller-manager' | 'kube-scheduler';
  image: string;
  port: number;
  path: string;
  scheme: 'HTTP' | 'HTTPS';
  command: string[];
}

export function controlPlaneComponents(o: { advertiseAddress: string; apiPort: number; podCIDR: string; serviceCIDR: string }): ControlPlaneComponent[] {
  const img = (n: string) => `registry.k8s.io/${n}:${CONTROL_PLANE_VERSION}`;
  return [
    {
      name: 'etcd',
      image: ETCD_IMAGE,
      port: 2381,
      path: '/health?exclude=NOSPACE&serializable=true',
      scheme: 'HTTP',
      command: ['etcd', `--advertise-client-urls=https://${o.advertiseAddress}:2379`, '--data-dir=/var/lib/etcd', '--listen-metrics-urls=http://127.0.0.1:2381', '--name=kubelab-control-plane'],
    },
    {
      name: 'kube-apiserver',
      image: img('kube-apiserver'),
      port: o.apiPort,
      path: '/readyz',
      scheme: 'HTTPS',
      command: ['kube-apiserver', `--advertise-address=${o.advertiseAddress}`, '--authorization-mode=Node,RBAC', '--enable-admission-plugins=NodeRestriction', `--secure-port=${o.apiPort}`, `--service-cluster-ip-range=${o.serviceCIDR}`],
    },
    {
      name: 'kube-controller-manager',
      image: img('kube-controller-manager'),
      port: 10257,
      path: '/healthz',
      scheme: 'HTTPS',
      command: ['kube-controller-manager', '--allocate-node-cidrs=true', `--cluster-cidr=${o.podCIDR}`, '--controllers=*,bootstrapsigner,tokencleaner', '--leader-elect=true', `--service-cluster-ip-range=${o.serviceCIDR}`],
    },
    {
      name: 'kube-scheduler',
      image: img('kube-scheduler'),
      port: 10259,
      path: '/healthz',
      scheme: 'HTTPS',
      command: ['kube-scheduler', '--bind-address=127.0.0.1', '--kubeconfig=/etc/kubernetes/scheduler.conf', '--leader-elect=true'],
    },
  ];
}

const probe = (c: ControlPlaneComponent, o: { period: number; failure: number; initialDelay?: number }) => ({
  httpGet: { host: '127.0.0.1', path: c.path, port: c.port, scheme: c.scheme },
  initialDelaySeconds: o.initialDelay ?? 0,
  periodSeconds: o.period,
  timeoutSeconds: 15,
  failureThreshold: o.failure,
  successThreshold: 1,
});

/** The static pod manifest of one component (the kubelet names it `<component>-<node>`). */
export function controlPlaneManifest(c: ControlPlaneComponent): Record<string, unknown> {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: c.name, namespace: 'kube-system', labels: { component: c.name, tier: 'control-plane' } },
    spec: {
      hostNetwork: true,
      priority: 2000001000,
      priorityClassName: 'system-node-critical',
      restartPolicy: 'Always',
      dnsPolicy: 'ClusterFirst',
      enableServiceLinks: true,
      schedulerName: 'default-scheduler',
      securityContext: { seccompProfile: { type: 'RuntimeDefault' } },
      terminationGracePeriodSeconds: 30,
      tolerations: [{ effect: 'NoExecute', operator: 'Exists' }],
      containers: [
        {
          name: c.name,
          image: c.image,
          imagePullPolicy: 'IfNotPresent',
          command: c.command,
          resources: { requests: { cpu: c.name === 'kube-apiserver' ? '250m' : c.name === 'kube-scheduler' ? '100m' : c.name === 'etcd' ? '100m' : '200m', ...(c.name === 'etcd' ? { memory: '100Mi' } : {}) } },
          livenessProbe: probe(c, { period: 10, failure: 8, initialDelay: 10 }),
          startupProbe: probe(c, { period: 10, failure: 24, initialDelay: 0 }),
          readinessProbe: probe(c, { period: 1, failure: 3 }),
          terminationMessagePath: '/dev/termination-log',
          terminationMessagePolicy: 'File',
        },
      ],
    },
  };
}
