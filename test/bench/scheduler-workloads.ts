/**
 * The scheduler_perf workloads `npm run bench -- scheduler` runs (upstream test/integration/scheduler_perf
 * performance-config.yaml and its templates): node-default nodes (4 CPU, 32 Gi, 110 pods, Ready; plus the
 * kubernetes.io/hostname label a kubelet sets) with the zone labels of labelNodePrepareStrategy, and the pod
 * templates pod-default, pod-with-node-affinity, pod-with-pod-anti-affinity, pod-with-pod-affinity and
 * pod-with-topology-spreading (pause container, port 80, 100m CPU / 500 Mi requests and limits). Pod counts follow
 * the targets (init pods first, unmeasured; then the measured pods).
 */
export interface Workload {
  name: string;
  /** Zone label values assigned round-robin to nodes (labelNodePrepareStrategy), none when empty. */
  zones: string[];
  namespaces: string[];
  init: { count: number; namespace: string; template: (i: number) => Record<string, unknown> } | undefined;
  measure: { count: number; namespace: string; template: (i: number) => Record<string, unknown> };
}

const ZONE = 'topology.kubernetes.io/zone';

function podSpec(extra: Record<string, unknown> = {}): Record<string, unknown> {
  const res = { cpu: '100m', memory: '500Mi' };
  return { containers: [{ name: 'pause', image: 'registry.k8s.io/pause:3.10', ports: [{ containerPort: 80 }], resources: { limits: res, requests: res } }], ...extra };
}

function pod(prefix: string, i: number, labels: Record<string, string> | undefined, spec: Record<string, unknown>): Record<string, unknown> {
  return { apiVersion: 'v1', kind: 'Pod', metadata: { name: `${prefix}-${i}`, ...(labels ? { labels } : {}) }, spec };
}

export const podDefault = (i: number) => pod('pod', i, undefined, podSpec());

export const podWithNodeAffinity = (i: number) =>
  pod('node-affinity', i, undefined, podSpec({ affinity: { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchExpressions: [{ key: ZONE, operator: 'In', values: ['zone1', 'zone2'] }] }] } } } }));

export const podWithPodAntiAffinity = (i: number) =>
  pod('anti-affinity-pod', i, { color: 'green' }, podSpec({ affinity: { podAntiAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: 'green' } }, topologyKey: 'kubernetes.io/hostname', namespaces: ['sched-0', 'sched-1'] }] } } }));

export const podWithPodAffinity = (i: number) =>
  pod('affinity-pod', i, { color: 'blue' }, podSpec({ affinity: { podAffinity: { requiredDuringSchedulingIgnoredDuringExecution: [{ labelSelector: { matchLabels: { color: 'blue' } }, topologyKey: ZONE, namespaces: ['sched-0', 'sched-1'] }] } } }));

export const podWithTopologySpreading = (i: number) =>
  pod('spreading-pod', i, { color: 'blue' }, podSpec({ topologySpreadConstraints: [{ maxSkew: 5, topologyKey: ZONE, whenUnsatisfiable: 'DoNotSchedule', labelSelector: { matchLabels: { color: 'blue' } } }] }));

export function nodeDefault(i: number, zones: string[]): Record<string, unknown> {
  const name = `scheduler-perf-${i}`;
  const labels: Record<string, string> = { 'kubernetes.io/hostname': name };
  if (zones.length) labels[ZONE] = zones[i % zones.length];
  const capacity = { pods: '110', cpu: '4', memory: '32Gi' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels },
    spec: {},
    status: { capacity, allocatable: capacity, conditions: [{ type: 'Ready', status: 'True', reason: 'KubeletReady', message: 'kubelet is posting ready status' }], phase: 'Running' },
  };
}

/** The five workloads with the node/pod counts, scaled by `podScale` (pods) and `nodes`. */
export function workloads(nodes: number, podScale: number): Workload[] {
  // Required anti-affinity on hostname: at most one pod per node, so the measured count is capped by the free nodes.
  const n = (c: number) => Math.max(1, Math.round(c * podScale));
  return [
    { name: 'SchedulingBasic', zones: [], namespaces: [], init: undefined, measure: { count: n(10_000), namespace: 'default', template: podDefault } },
    { name: 'NodeAffinity', zones: ['zone1'], namespaces: [], init: undefined, measure: { count: n(10_000), namespace: 'default', template: podWithNodeAffinity } },
    { name: 'PodAntiAffinity', zones: [], namespaces: ['sched-0', 'sched-1'], init: { count: n(1_000), namespace: 'sched-0', template: podWithPodAntiAffinity }, measure: { count: Math.min(n(1_000), Math.max(1, nodes - n(1_000))), namespace: 'sched-1', template: podWithPodAntiAffinity } },
    { name: 'PodAffinity', zones: ['zone1'], namespaces: ['sched-0', 'sched-1'], init: { count: n(1_000), namespace: 'sched-0', template: podWithPodAffinity }, measure: { count: n(4_000), namespace: 'sched-1', template: podWithPodAffinity } },
    { name: 'TopologySpreading', zones: ['moon-1', 'moon-2', 'moon-3'], namespaces: [], init: { count: n(5_000), namespace: 'default', template: podDefault }, measure: { count: n(5_000), namespace: 'default', template: podWithTopologySpreading } },
  ];
}
