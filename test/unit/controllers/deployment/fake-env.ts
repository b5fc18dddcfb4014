/**
 * A fake SyncEnv for unit tests of the Deployment controller's sync logic: an in-memory "API" for Deployments and
 * ReplicaSets (update/updateStatus/create/delete record what was written and hand back the body with a new
 * resourceVersion), a recorder keeping event messages, and a fixed clock.
 */
import { FakeClock } from '../../../../src/base/clock';
import { silentLogger } from '../../../../src/base/logger';
import { ApiError, type ApiClient } from '../../../../src/controllers/framework/api-client';
import type { ReplicaSet, Deployment } from '../../../../src/controllers/deployment/types';
import type { SyncEnv } from '../../../../src/controllers/deployment/work';
import type { Lister } from '../../../../src/client/informers';

export interface FakeWorld {
  env: SyncEnv;
  clock: FakeClock;
  rss: Map<string, ReplicaSet>;
  deployment: { current?: Deployment };
  events: string[];
  writes: string[];
  requeues: number[];
}

/** Writes a read-only field (kubernetes-types marks server-owned fields readonly). */
export function setField<T extends object>(o: T, key: string, value: unknown): void {
  (o as Record<string, unknown>)[key] = value;
}

export function fakeWorld(start = Date.UTC(2026, 0, 1)): FakeWorld {
  const clock = new FakeClock(start);
  const rss = new Map<string, ReplicaSet>();
  const deployment: { current?: Deployment } = {};
  const events: string[] = [];
  const writes: string[] = [];
  const requeues: number[] = [];
  let rv = 100;
  let uid = 0;
  const stamp = <T extends { metadata?: object }>(o: T): T => {
    const c = structuredClone(o) as T & { metadata: Record<string, unknown> };
    c.metadata = { ...c.metadata, resourceVersion: String(++rv) };
    return c;
  };
  const client = {
    async update(r: { resource: string }, _ns: string, body: Record<string, unknown>) {
      const o = stamp(body as { metadata?: Record<string, unknown> });
      const name = String(o.metadata?.name);
      writes.push(`update ${r.resource}/${name}`);
      if (r.resource === 'replicasets') rss.set(name, o as ReplicaSet);
      else deployment.current = { ...(o as Deployment), status: deployment.current?.status };
      return o;
    },
    async updateStatus(r: { resource: string }, _ns: string, body: Record<string, unknown>) {
      const o = stamp(body as { metadata?: Record<string, unknown> });
      writes.push(`status ${r.resource}/${String(o.metadata?.name)}`);
      deployment.current = o as Deployment;
      return o;
    },
    async create(r: { resource: string }, _ns: string, body: Record<string, unknown>) {
      const o = stamp(body as { metadata?: Record<string, unknown> }) as ReplicaSet;
      const name = String(o.metadata?.name);
      writes.push(`create ${r.resource}/${name}`);
      if (rss.has(name)) throw new ApiError(409, 'AlreadyExists', `replicasets.apps "${name}" already exists`);
      o.metadata = { ...o.metadata, uid: `rs-uid-${++uid}`, creationTimestamp: new Date(clock.now()).toISOString().replace('.000Z', 'Z'), generation: 1 };
      (o as { status?: unknown }).status = { replicas: 0, observedGeneration: 1 };
      rss.set(name, o);
      return o;
    },
    async delete(r: { resource: string }, _ns: string, name: string) {
      writes.push(`delete ${r.resource}/${name}`);
      rss.delete(name);
      return {};
    },
    async get() {
      throw new Error('unexpected get');
    },
  };
  const rsLister = { get: (_ns: string, name: string) => rss.get(name), list: () => [...rss.values()] } as unknown as Lister;
  const env: SyncEnv = {
    client: client as unknown as ApiClient,
    recorder: {
      event: (_o: unknown, type: string, reason: string, message: string) => events.push(`${type} ${reason} ${message}`),
      eventf: () => undefined,
      annotatedEventf: () => undefined,
      flush: async () => undefined,
      close: () => undefined,
    } as unknown as SyncEnv['recorder'],
    clock,
    logger: silentLogger,
    rsLister,
    requeue: (_key, ms) => requeues.push(ms),
  };
  return { env, clock, rss, deployment, events, writes, requeues };
}

export function deployment(o: { replicas: number; maxSurge?: number | string; maxUnavailable?: number | string; type?: 'RollingUpdate' | 'Recreate'; image?: string; generation?: number }): Deployment {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default', uid: 'dep-uid', generation: o.generation ?? 1, resourceVersion: '1', annotations: {} },
    spec: {
      replicas: o.replicas,
      selector: { matchLabels: { app: 'web' } },
      strategy: o.type === 'Recreate' ? { type: 'Recreate' } : { type: 'RollingUpdate', rollingUpdate: { maxSurge: o.maxSurge ?? '25%', maxUnavailable: o.maxUnavailable ?? '25%' } },
      revisionHistoryLimit: 10,
      progressDeadlineSeconds: 600,
      template: { metadata: { labels: { app: 'web' } }, spec: { containers: [{ name: 'c', image: o.image ?? 'nginx:1' }] } },
    },
    status: {},
  };
}

/** A ReplicaSet of `web` with the given sizes, created `ageS` seconds before the clock's start. */
export function replicaSet(name: string, replicas: number, o: { available?: number; ageS?: number; revision?: string; desired?: number; max?: number; image?: string } = {}): ReplicaSet {
  const annotations: Record<string, string> = {};
  if (o.revision !== undefined) annotations['deployment.kubernetes.io/revision'] = o.revision;
  if (o.desired !== undefined) annotations['deployment.kubernetes.io/desired-replicas'] = String(o.desired);
  if (o.max !== undefined) annotations['deployment.kubernetes.io/max-replicas'] = String(o.max);
  return {
    apiVersion: 'apps/v1',
    kind: 'ReplicaSet',
    metadata: {
      name,
      namespace: 'default',
      uid: `uid-${name}`,
      generation: 1,
      creationTimestamp: new Date(Date.UTC(2026, 0, 1) - (o.ageS ?? 0) * 1000).toISOString().replace('.000Z', 'Z'),
      annotations,
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'Deployment', name: 'web', uid: 'dep-uid', controller: true }],
    },
    spec: {
      replicas,
      selector: { matchLabels: { app: 'web', 'pod-template-hash': name } },
      template: { metadata: { labels: { app: 'web', 'pod-template-hash': name } }, spec: { containers: [{ name: 'c', image: o.image ?? `img-${name}` }] } },
    },
    status: { replicas, availableReplicas: o.available ?? replicas, readyReplicas: o.available ?? replicas, observedGeneration: 1 },
  };
}
