/** Small builders of DaemonSets, Nodes and Pods for the DaemonSet controller's unit tests. */
import type { DaemonSet, Node, Pod } from '../../../../src/controllers/daemonset/types';

export function ds(spec: Record<string, unknown> = {}, extra: { strategy?: unknown; annotations?: Record<string, string>; minReadySeconds?: number } = {}): DaemonSet {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'ds', namespace: 'default', uid: 'ds-uid', generation: 1, annotations: extra.annotations },
    spec: {
      selector: { matchLabels: { app: 'ds' } },
      minReadySeconds: extra.minReadySeconds,
      updateStrategy: (extra.strategy ?? { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } }) as never,
      template: { metadata: { labels: { app: 'ds' } }, spec: { containers: [{ name: 'c', image: 'i' }], ...spec } },
    },
  };
}

export function node(name: string, labels: Record<string, string> = {}, taints: unknown[] = []): Node {
  return { apiVersion: 'v1', kind: 'Node', metadata: { name, labels }, spec: { taints: taints as never } };
}

let seq = 0;
export function pod(name: string, o: { node?: string; nodeName?: string; hash?: string; phase?: string; ready?: boolean; created?: string; deleting?: boolean; readySince?: string } = {}): Pod {
  seq++;
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${seq}`,
      labels: { app: 'ds', ...(o.hash ? { 'controller-revision-hash': o.hash } : {}) },
      creationTimestamp: o.created ?? '2026-01-01T00:00:00Z',
      deletionTimestamp: o.deleting ? '2026-01-01T00:00:00Z' : undefined,
    },
    spec: {
      nodeName: o.nodeName,
      containers: [{ name: 'c', image: 'i' }],
      affinity: o.node ? { nodeAffinity: { requiredDuringSchedulingIgnoredDuringExecution: { nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: [o.node] }] }] } } } : undefined,
    },
    status: {
      phase: o.phase ?? (o.ready ? 'Running' : 'Pending'),
      conditions: o.ready ? [{ type: 'Ready', status: 'True', lastTransitionTime: o.readySince ?? '2026-01-01T00:00:00Z' }] : undefined,
    },
  };
}
