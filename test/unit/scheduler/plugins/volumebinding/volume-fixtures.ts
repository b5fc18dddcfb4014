/**
 * Builders for the volume plugins' unit tests (upstream volumebinding test_utils.go in spirit): PVs, PVCs,
 * StorageClasses and pods with claim volumes, plus a Handle whose listers are live Indexers the test can change.
 */
import { FakeClock } from '../../../../../src/base/clock';
import { Indexer, Lister, type CachedObject, type SharedInformerFactory } from '../../../../../src/client/informers';
import type { ApiClient } from '../../../../../src/controllers/framework/api-client';
import type { Handle, NodeInfo, Pod } from '../../../../../src/scheduler/framework';
import { fakeHandle, makePod } from '../../../../helpers/scheduler-fixtures';

type O = Record<string, unknown>;

export function sc(name: string, mode: 'Immediate' | 'WaitForFirstConsumer' | undefined, extra: O = {}): CachedObject {
  return { apiVersion: 'storage.k8s.io/v1', kind: 'StorageClass', metadata: { name, resourceVersion: '1' }, ...(mode ? { volumeBindingMode: mode } : {}), ...extra };
}

export interface PVOpts {
  capacity?: string;
  phase?: string;
  affinity?: Record<string, string[]>;
  claimRef?: O;
  labels?: Record<string, string>;
  modes?: string[];
  csi?: { driver: string; volumeHandle: string };
}

export function pv(name: string, cls: string, o: PVOpts = {}): CachedObject {
  const spec: O = { storageClassName: cls, capacity: { storage: o.capacity ?? '1Gi' }, accessModes: o.modes ?? ['ReadWriteOnce'] };
  if (o.claimRef) spec.claimRef = o.claimRef;
  if (o.csi) spec.csi = o.csi;
  if (o.affinity) {
    spec.nodeAffinity = { required: { nodeSelectorTerms: [{ matchExpressions: Object.entries(o.affinity).map(([key, values]) => ({ key, operator: 'In', values })) }] } };
  }
  return { apiVersion: 'v1', kind: 'PersistentVolume', metadata: { name, resourceVersion: '1', ...(o.labels ? { labels: o.labels } : {}) }, spec, status: o.phase ? { phase: o.phase } : {} };
}

export interface PVCOpts {
  bound?: string;
  /** volumeName only (pre-bound, not bind-completed). */
  volumeName?: string;
  request?: string;
  phase?: string;
  annotations?: Record<string, string>;
  modes?: string[];
  namespace?: string;
  deleting?: boolean;
  owner?: string;
}

export function pvc(name: string, cls: string | undefined, o: PVCOpts = {}): CachedObject {
  const annotations: Record<string, string> = { ...(o.annotations ?? {}) };
  if (o.bound) annotations['pv.kubernetes.io/bind-completed'] = 'yes';
  const spec: O = { accessModes: o.modes ?? ['ReadWriteOnce'], resources: { requests: { storage: o.request ?? '1Gi' } } };
  if (cls !== undefined) spec.storageClassName = cls;
  if (o.bound || o.volumeName) spec.volumeName = o.bound ?? o.volumeName;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolumeClaim',
    metadata: {
      name,
      namespace: o.namespace ?? 'default',
      uid: `uid-${name}`,
      resourceVersion: '1',
      annotations,
      ...(o.deleting ? { deletionTimestamp: '2026-01-01T00:00:00Z' } : {}),
      ...(o.owner ? { ownerReferences: [{ apiVersion: 'v1', kind: 'Pod', name: 'p', uid: o.owner, controller: true }] } : {}),
    },
    spec,
    status: { phase: o.phase ?? (o.bound ? 'Bound' : 'Pending') },
  };
}

export function podWithClaims(name: string, claims: string[], extra: O = {}): Pod {
  return makePod(name, { spec: { volumes: claims.map((c, i) => ({ name: `v${i}`, persistentVolumeClaim: { claimName: c } })), ...extra } });
}

export interface LiveHandle {
  handle: Handle;
  clock: FakeClock;
  indexers: Record<string, Indexer>;
  upsert(resource: string, o: CachedObject): void;
}

/** A handle whose listers read Indexers the test may change, with an optional API client. */
export function liveHandle(o: { nodes?: NodeInfo[]; objects?: Record<string, CachedObject[]>; client?: Partial<ApiClient> } = {}): LiveHandle {
  const base = fakeHandle({ nodes: o.nodes });
  const indexers: Record<string, Indexer> = {};
  const idx = (r: string) => (indexers[r] ??= new Indexer());
  for (const [r, objs] of Object.entries(o.objects ?? {})) for (const x of objs) idx(r).upsert(x);
  const informers = {
    listerFor: (r: { resource: string }) => new Lister(idx(r.resource)),
    informerFor: () => {
      throw new Error('no informers');
    },
  } as unknown as SharedInformerFactory;
  const clock = new FakeClock();
  const handle: Handle = { ...base, informers, clock, client: (o.client ?? base.client) as ApiClient, snapshot: base.snapshot };
  return { handle, clock, indexers, upsert: (r, x) => idx(r).upsert(x) };
}
