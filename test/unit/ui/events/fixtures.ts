/**
 * Builders of real-looking objects for the event panel tests: core/v1 Events as client-go's recorder writes them,
 * Pods, Deployments and ReplicaSets, with timestamps relative to a fixed NOW.
 */
import type { KubeObject } from '../../../../src/api/object';

export const NOW = Date.parse('2024-06-01T12:00:00Z');
export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** metav1.Time `ms` milliseconds before NOW (whole seconds). */
export function ago(ms: number): string {
  return new Date(Math.floor((NOW - ms) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.Time at `ms` after `base`. */
export function at(base: number, ms: number): string {
  return new Date(Math.floor((base + ms) / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export interface EventOpts {
  uid: string;
  namespace?: string;
  type?: 'Normal' | 'Warning';
  reason: string;
  message?: string;
  kind?: string;
  name?: string;
  involvedUid?: string;
  apiVersion?: string;
  first?: string;
  last?: string;
  count?: number;
  component?: string;
  host?: string;
}

export function event(o: EventOpts): KubeObject {
  const namespace = o.namespace ?? 'default';
  const name = o.name ?? 'web';
  const first = o.first ?? ago(MIN);
  return {
    apiVersion: 'v1',
    kind: 'Event',
    metadata: { name: `${name}.${o.uid}`, namespace, uid: o.uid, creationTimestamp: first },
    involvedObject: {
      kind: o.kind ?? 'Pod',
      namespace,
      name,
      ...(o.involvedUid ? { uid: o.involvedUid } : {}),
      apiVersion: o.apiVersion ?? (o.kind === 'Deployment' || o.kind === 'ReplicaSet' ? 'apps/v1' : 'v1'),
    },
    reason: o.reason,
    message: o.message ?? `${o.reason} happened`,
    source: { component: o.component ?? 'kubelet', ...(o.host ? { host: o.host } : {}) },
    firstTimestamp: first,
    lastTimestamp: o.last ?? first,
    count: o.count ?? 1,
    type: o.type ?? 'Normal',
    eventTime: null,
    reportingComponent: o.component ?? 'kubelet',
    reportingInstance: o.host ?? '',
  };
}

export function pod(o: {
  name: string;
  namespace?: string;
  uid?: string;
  created?: string;
  phase?: string;
  node?: string;
  ip?: string;
  owner?: { kind: string; name: string; uid: string };
  containers?: number;
  statuses?: unknown[];
  initContainers?: unknown[];
  initStatuses?: unknown[];
  conditions?: unknown[];
  reason?: string;
  deletionTimestamp?: string;
}): KubeObject {
  const namespace = o.namespace ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name: o.name,
      namespace,
      uid: o.uid ?? `uid-${namespace}-${o.name}`,
      creationTimestamp: o.created ?? ago(5 * MIN),
      ...(o.deletionTimestamp ? { deletionTimestamp: o.deletionTimestamp } : {}),
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: o.owner.kind, name: o.owner.name, uid: o.owner.uid, controller: true }] } : {}),
    },
    spec: {
      ...(o.node ? { nodeName: o.node } : {}),
      ...(o.initContainers ? { initContainers: o.initContainers } : {}),
      containers: Array.from({ length: o.containers ?? 1 }, (_, i) => ({ name: `c${i}`, image: 'nginx:1.27' })),
    },
    status: {
      phase: o.phase ?? 'Running',
      ...(o.reason ? { reason: o.reason } : {}),
      ...(o.ip ? { podIP: o.ip, podIPs: [{ ip: o.ip }] } : {}),
      ...(o.conditions ? { conditions: o.conditions } : {}),
      ...(o.initStatuses ? { initContainerStatuses: o.initStatuses } : {}),
      ...(o.statuses ? { containerStatuses: o.statuses } : {}),
    },
  };
}

export function workload(kind: 'Deployment' | 'ReplicaSet', o: { name: string; uid: string; created: string; namespace?: string; owner?: { name: string; uid: string } }): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind,
    metadata: {
      name: o.name,
      namespace: o.namespace ?? 'default',
      uid: o.uid,
      creationTimestamp: o.created,
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: o.owner.name, uid: o.owner.uid, controller: true }] } : {}),
    },
  };
}
