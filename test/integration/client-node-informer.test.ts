/**
 * @kubernetes/client-node 1.4.0's informer (makeInformer) against a KubeLab API server: it sees adds, updates and
 * deletes; and it survives 410 Expired. The 410 is forced the way it happens in real clusters: the API server
 * restarts (same storage, same port), its watch cache starts at the store's current revision, and a watch that
 * resumes from an older resourceVersion gets `ERROR 410 Expired` (src/apiserver/watch/resource-cache.ts
 * changesSince: rev < horizon). The informer must clear its resourceVersion, relist once and keep serving.
 */
import { ESSENTIAL_CONTROLLERS } from '../../src/controllers/registry';
import { test } from 'node:test';
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CoreV1Api, makeInformer, type KubeConfig, type V1Pod } from '@kubernetes/client-node';
import { silentLogger } from '../../src/base/logger';
import { startCluster, type RunningCluster } from '../../src/cluster/main';
import { startTestCluster, type TestCluster } from '../helpers/apiserver';
import { firstWatchEvent, loadKubeConfig } from '../helpers/client-node';
import { waitFor } from '../helpers/wait';

const NS = 'default';
const PODS = `/api/v1/namespaces/${NS}/pods`;

const podBody = (name: string, app: string): V1Pod => ({ metadata: { name, labels: { app } }, spec: { containers: [{ name: 'app', image: 'busybox:1.36' }] } });

/** An informer on the pods labelled app=<app>, logging its callbacks and counting its list calls. */
function podInformer(kc: KubeConfig, app: string) {
  const core = kc.makeApiClient(CoreV1Api);
  const state = { lists: 0, log: [] as string[], errors: [] as unknown[] };
  const informer = makeInformer(
    kc,
    PODS,
    () => {
      state.lists++;
      return core.listNamespacedPod({ namespace: NS, labelSelector: `app=${app}` });
    },
    `app=${app}`,
  );
  informer.on('add', (p) => state.log.push(`add ${p.metadata?.name}`));
  informer.on('update', (p) => state.log.push(`update ${p.metadata?.name} ${p.metadata?.labels?.v ?? ''}`.trim()));
  informer.on('delete', (p) => state.log.push(`delete ${p.metadata?.name}`));
  informer.on('error', (e) => state.errors.push(e));
  const names = () =>
    informer
      .list(NS)
      .map((p) => p.metadata?.name)
      .sort()
      .join(',');
  return { informer, state, names };
}

const realErrors = (errors: unknown[]) => errors.filter((e) => (e as { name?: string }).name !== 'AbortError');

test('client-node informer sees adds, updates and deletes', { timeout: 30_000 }, async () => {
  const tc = await startTestCluster();
  try {
    const kc = loadKubeConfig(tc.cluster.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    await core.createNamespacedPod({ namespace: NS, body: podBody('inf-0', 'inf') });
    const { informer, state, names } = podInformer(kc, 'inf');
    await informer.start();
    try {
      await waitFor(() => names() === 'inf-0', 'the listed pod', { timeoutMs: 5000, describe: names });
      await core.createNamespacedPod({ namespace: NS, body: podBody('inf-1', 'inf') });
      await core.createNamespacedPod({ namespace: NS, body: podBody('other', 'not-inf') });
      await waitFor(() => names() === 'inf-0,inf-1', 'the added pod', { timeoutMs: 5000, describe: names });
      await core.patchNamespacedPod({ name: 'inf-1', namespace: NS, body: [{ op: 'add', path: '/metadata/labels/v', value: '1' }] });
      await waitFor(() => informer.get('inf-1', NS)?.metadata?.labels?.v === '1', 'the update', { timeoutMs: 5000, describe: () => state.log });
      await core.deleteNamespacedPod({ name: 'inf-0', namespace: NS });
      await waitFor(() => names() === 'inf-1', 'the delete', { timeoutMs: 5000, describe: names });
      assert.deepEqual(state.log, ['add inf-0', 'add inf-1', 'update inf-1 1', 'delete inf-0']);
      assert.equal(state.lists, 1, 'one list, then a single watch');
      assert.deepEqual(realErrors(state.errors), []);
    } finally {
      await informer.stop();
    }
  } finally {
    await tc.stop();
  }
});

test('client-node informer survives 410 Expired after an API server restart: it relists and keeps serving', { timeout: 60_000 }, async (t) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-informer-410-'));
  let first: TestCluster | undefined = await startTestCluster({ dir });
  let second: RunningCluster | undefined;
  try {
    const kc = loadKubeConfig(first.cluster.kubeconfig);
    const core = kc.makeApiClient(CoreV1Api);
    for (const name of ['keep', 'gone']) await core.createNamespacedPod({ namespace: NS, body: podBody(name, 'relist') });
    const { informer, state, names } = podInformer(kc, 'relist');
    await informer.start();
    await waitFor(() => names() === 'gone,keep', 'the initial list', { timeoutMs: 5000, describe: names });
    const patched = await core.patchNamespacedPod({ name: 'keep', namespace: NS, body: [{ op: 'add', path: '/metadata/labels/v', value: '1' }] });
    await waitFor(() => informer.get('keep', NS)?.metadata?.labels?.v === '1', 'the first update', { timeoutMs: 5000, describe: () => state.log });
    // The last resourceVersion the informer saw (a bookmark could only repeat it: nothing else was written since).
    const seenRv = patched.metadata?.resourceVersion ?? '';
    assert.match(seenRv, /^\d+$/);
    await informer.stop();

    // A write to another resource moves the store past the informer's resourceVersion, then the server restarts.
    await core.createNamespacedConfigMap({ namespace: NS, body: { metadata: { name: 'bump' }, data: { x: '1' } } });
    const port = first.cluster.port;
    await first.stop();
    first = undefined;
    // As the first (startTestCluster): only the essential controllers and no scheduler, so nothing but this test
    // writes to the pods it watches.
    second = await startCluster({ dataDir: dir, port, logger: silentLogger, controllers: ESSENTIAL_CONTROLLERS, scheduler: false });

    // Changes the informer has not seen.
    await core.deleteNamespacedPod({ name: 'gone', namespace: NS });
    await core.createNamespacedPod({ namespace: NS, body: podBody('new', 'relist') });
    await core.patchNamespacedPod({ name: 'keep', namespace: NS, body: [{ op: 'replace', path: '/metadata/labels/v', value: '2' }] });

    await t.test('the server answers a watch from the old resourceVersion with ERROR 410 Expired', async () => {
      const ev = await firstWatchEvent(kc, PODS, { resourceVersion: seenRv, labelSelector: 'app=relist' });
      assert.equal(ev.type, 'ERROR');
      assert.deepEqual([ev.object.kind, ev.object.code, ev.object.reason], ['Status', 410, 'Expired']);
      assert.match(ev.object.message ?? '', new RegExp(`^too old resource version: ${seenRv} \\(\\d+\\)$`));
    });

    await t.test('the informer resumes, gets 410, relists exactly once and reports the differences', async () => {
      const listsBefore = state.lists;
      state.log.length = 0;
      state.errors.length = 0;
      await informer.start();
      try {
        await waitFor(() => names() === 'keep,new' && informer.get('keep', NS)?.metadata?.labels?.v === '2', 'the relisted state', {
          timeoutMs: 10_000,
          describe: () => ({ names: names(), log: state.log, lists: state.lists }),
        });
        assert.equal(state.lists, listsBefore + 1, 'one relist after the 410');
        assert.deepEqual([...state.log].sort(), ['add new', 'delete gone', 'update keep 2']);

        // It keeps serving from the new watch.
        state.log.length = 0;
        await core.createNamespacedPod({ namespace: NS, body: podBody('later', 'relist') });
        await core.deleteNamespacedPod({ name: 'keep', namespace: NS });
        await waitFor(() => names() === 'later,new', 'the live changes after the relist', { timeoutMs: 5000, describe: () => ({ names: names(), log: state.log }) });
        assert.deepEqual(state.log, ['add later', 'delete keep']);
        assert.equal(state.lists, listsBefore + 1, 'no further relist');
        assert.deepEqual(realErrors(state.errors), []);
      } finally {
        await informer.stop();
      }
    });
  } finally {
    await first?.stop();
    await second?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
