/**
 * `npm run bench -- managed-fields`: the managedFields bookkeeping of src/api/apply on its own, with the real built-in
 * Pod schema (schemaResolver()), on the writes the API server does most: a Pod create (live undefined), a full update
 * (PUT) changing one label of a ~2 KB Pod that already has managedFields (kubectl-create + kubelet status entries), the
 * same change made by a patch (the body shares the stored object's unchanged parts, managedFields included), a
 * kubelet status update through the status subresource, an update against a stored object this process did not write
 * (its managedFields must be decoded: "cold"), and a server-side apply of one label.
 *
 * Every metric is the median over ROUNDS rounds of the mean time per call, in µs ("better": "lower"); inputs are
 * prepared outside the timed loop. Metrics ending in `_owned` pass `ownsUpdated: true` (what the registry passes: it
 * hands over a body it owns, so no defensive deep copy is needed). No peer is measured.
 *
 * Environment knobs: BENCH_MF_ROUNDS=9 rounds per metric, BENCH_MF_OPS=2000 calls per round, BENCH_MF_ONLY=text
 * measures only the metrics whose name contains the text (for profiling).
 */
import { performance } from 'node:perf_hooks';
import { applyPatch, updateManagedFields, type UpdateOptions } from '../../src/api/apply';
import { defaultObject } from '../../src/api/defaults';
import type { KubeObject } from '../../src/api/object';
import { schemaResolver } from '../../src/api/openapi';
import { podManifest } from './apiserver-workloads';
import { emit, line, median, progress } from './util';

const BENCH = 'managed-fields';

function knob(name: string, def: number): number {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.round(v) : def;
}

const ROUNDS = knob('BENCH_MF_ROUNDS', 9);
const OPS = knob('BENCH_MF_OPS', 2_000);

const resolver = schemaResolver();
const gvk = { group: '', version: 'v1', kind: 'Pod' };
const schema = resolver.forKind(gvk);
const T0 = '2026-01-01T00:00:00Z';
const T1 = '2026-01-01T00:01:00Z';
const T2 = '2026-01-01T00:02:00Z';

function opts(manager: string, now: string, extra: Partial<UpdateOptions> = {}): UpdateOptions {
  return { manager, operation: 'Update', now, apiVersion: 'v1', schema, resolver, ...extra };
}

function deepFreeze<T>(v: T): T {
  if (typeof v === 'object' && v !== null && !Object.isFrozen(v)) {
    Object.freeze(v);
    for (const x of Object.values(v)) deepFreeze(x);
  }
  return v;
}

/** The body the registry hands to trackUpdate on create: a Deployment-style Pod with uid, timestamp and defaults. */
function podToCreate(i: number): KubeObject {
  const pod = podManifest('default', i) as KubeObject;
  pod.metadata!.uid = `7f3c1a2e-0000-4000-8000-${String(i).padStart(12, '0')}`;
  pod.metadata!.creationTimestamp = T0;
  defaultObject(gvk, pod);
  return pod;
}

const podStatus = (ready: boolean): Record<string, unknown> => ({
  phase: 'Running',
  conditions: ['PodReadyToStartContainers', 'Initialized', 'Ready', 'ContainersReady', 'PodScheduled'].map((type) => ({
    type,
    status: type.endsWith('Ready') && !ready ? 'False' : 'True',
    lastProbeTime: null,
    lastTransitionTime: T1,
  })),
  hostIP: '10.0.0.7',
  hostIPs: [{ ip: '10.0.0.7' }],
  podIP: '10.244.1.23',
  podIPs: [{ ip: '10.244.1.23' }],
  startTime: T1,
  containerStatuses: [
    {
      name: 'nginx',
      ready,
      restartCount: 0,
      started: true,
      image: 'registry.k8s.io/nginx-slim:0.27',
      imageID: 'registry.k8s.io/nginx-slim@sha256:0123456789abcdef',
      containerID: 'containerd://abcdef0123456789',
      state: { running: { startedAt: T1 } },
      lastState: {},
    },
  ],
  qosClass: 'Burstable',
});

/** A stored Pod as this server writes it: created by kubectl-create, status written by the kubelet; deep-frozen. */
function storedPod(): KubeObject {
  const created = updateManagedFields(undefined, podToCreate(1), opts('kubectl-create', T0, { ownsUpdated: true }));
  const withStatus = { ...structuredClone(created), status: podStatus(false) };
  return deepFreeze(updateManagedFields(deepFreeze(created), withStatus, opts('kubelet', T1, { subresource: 'status', ownsUpdated: true })));
}

function withLabel(o: KubeObject, value: string): KubeObject {
  return { ...o, metadata: { ...o.metadata, labels: { ...o.metadata!.labels, tier: value } } };
}

const BATCH = 50;

/**
 * Mean µs per call of `fn(input)` over one round. Inputs are prepared untimed in small batches, so that (as with
 * request bodies in the server) they are young when used and the collector does not carry thousands of them.
 */
function round<T>(make: (i: number) => T, fn: (x: T) => unknown): number {
  let elapsed = 0;
  for (let done = 0; done < OPS; done += BATCH) {
    const inputs = Array.from({ length: BATCH }, (_, i) => make(done + i));
    const t = performance.now();
    for (const x of inputs) fn(x);
    elapsed += performance.now() - t;
  }
  return (elapsed * 1000) / (Math.ceil(OPS / BATCH) * BATCH);
}

const ONLY = process.env.BENCH_MF_ONLY;

function measure<T>(metric: string, make: (i: number) => T, fn: (x: T) => unknown): void {
  if (ONLY && !metric.includes(ONLY)) return;
  round(make, fn); // warm-up
  const samples: number[] = [];
  for (let r = 0; r < ROUNDS; r++) samples.push(round(make, fn));
  const m = median(samples);
  progress(`  ${metric} = ${m.toFixed(1)} µs/call (rounds: ${samples.map((s) => s.toFixed(1)).join(' ')})`);
  emit(line(BENCH, metric, m, 'us', 'lower'));
}

export function run(): Promise<void> {
  const live = storedPod();
  progress(`stored Pod: ${JSON.stringify(live).length} bytes, ${live.metadata?.managedFields?.length} managedFields entries`);
  const created = podToCreate(1);
  const put = (): KubeObject => withLabel(structuredClone(live) as KubeObject, 'backend');
  const patched = (): KubeObject => withLabel(live, 'backend');
  const statusPut = (): KubeObject => ({ ...structuredClone(live), status: podStatus(true) });
  const cold = (): KubeObject => deepFreeze(structuredClone(live) as KubeObject);
  const applied: KubeObject = { apiVersion: 'v1', kind: 'Pod', metadata: { name: live.metadata!.name, namespace: 'default', labels: { release: 'canary' } } };

  measure('create_pod_us', () => created, (x) => updateManagedFields(undefined, x, opts('kubectl-create', T0)));
  measure('create_pod_owned_us', (i) => podToCreate(i), (x) => updateManagedFields(undefined, x, opts('kubectl-create', T0, { ownsUpdated: true })));
  measure('update_pod_label_put_us', put, (x) => updateManagedFields(live, x, opts('kubectl-label', T2)));
  measure('update_pod_label_put_owned_us', put, (x) => updateManagedFields(live, x, opts('kubectl-label', T2, { ownsUpdated: true })));
  measure('update_pod_label_patch_owned_us', patched, (x) => updateManagedFields(live, x, opts('kubectl-label', T2, { ownsUpdated: true })));
  measure('update_pod_status_owned_us', statusPut, (x) => updateManagedFields(live, x, opts('kubelet', T2, { subresource: 'status', ownsUpdated: true })));
  measure('update_pod_label_cold_owned_us', cold, (x) => updateManagedFields(x, withLabel(x, 'backend'), opts('kubectl-label', T2, { ownsUpdated: true })));
  measure('apply_pod_label_us', () => applied, (x) => applyPatch(live, x, { ...opts('kubectl', T2), force: false }));
  return Promise.resolve();
}
