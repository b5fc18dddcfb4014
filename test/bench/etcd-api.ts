/**
 * Part of `npm run bench -- etcd`: API creates/s with each backend, in one run. A KubeLab control plane (API server
 * with its whole request chain, no nodes, no scheduler) on the embedded sql.js store, on a 1-member and on a
 * 3-member real etcd; ConfigMaps of 1 KiB POSTed through the API server's in-process handle (the same chain as
 * HTTPS: authentication, authorization, admission, validation, storage), 1 and 32 in flight.
 * Lines: api_creates_<backend>_<inflight>_inflight (ops/s) and api_create_<backend>_32_inflight_p99 (ms), with
 * backend embedded | etcd1 | etcd3.
 */
import { silentLogger } from '../../src/base/logger';
import { startCluster, type RunningCluster } from '../../src/cluster/main';
import type { StorageConfig } from '../../src/cluster/config/types';
import { EtcdCluster } from '../helpers/etcd-cluster';
import { emit, line, percentile, progress, randomAscii, removeDir, runConcurrent, tempDir } from './util';

const BENCH = 'etcd';
const DATA = randomAscii(1024);

async function creates(c: RunningCluster, label: string, count: number, inflight: number): Promise<{ opsPerSec: number; p99: number }> {
  const headers = { authorization: `Bearer ${c.adminToken}`, 'content-type': 'application/json' };
  const r = await runConcurrent(count, inflight, async (i) => {
    const res = await c.handle({
      method: 'POST',
      path: '/api/v1/namespaces/default/configmaps',
      query: new URLSearchParams(),
      headers,
      body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `bench-${label}-${inflight}-${i}` }, data: { v: DATA } }),
    });
    if (res.status !== 201) throw new Error(`create ${i} answered ${res.status}`);
  });
  return { opsPerSec: (count / r.elapsedMs) * 1000, p99: percentile(r.latencies, 99) };
}

async function onBackend(name: string, storage: StorageConfig, count: number): Promise<void> {
  const dir = tempDir(`etcd-api-${name}`);
  const c = await startCluster({ dataDir: dir, port: 0, logger: silentLogger, storage, scheduler: false });
  try {
    await creates(c, `${name}-warm`, Math.min(100, count), 8);
    const one = await creates(c, name, count, 1);
    emit(line(BENCH, `api_creates_${name}_1_inflight`, one.opsPerSec, 'ops/s', 'higher'));
    const many = await creates(c, name, count, 32);
    emit(line(BENCH, `api_creates_${name}_32_inflight`, many.opsPerSec, 'ops/s', 'higher'));
    emit(line(BENCH, `api_create_${name}_32_inflight_p99`, many.p99, 'ms', 'lower'));
  } finally {
    await c.close();
    removeDir(dir);
  }
}

/** Runs the three backends one after the other (etcd clusters fresh for each). */
export async function apiCreatesPerBackend(count: number): Promise<void> {
  progress(`API creates/s: embedded store (${count} ConfigMaps per run)`);
  await onBackend('embedded', { type: 'sqljs' }, count);
  for (const members of [1, 3]) {
    progress(`API creates/s: ${members}-member etcd`);
    const etcd = await EtcdCluster.start({ members });
    try {
      await onBackend(`etcd${members}`, { type: 'etcd', endpoints: etcd.endpoints }, count);
    } finally {
      await etcd.stop();
    }
  }
}
