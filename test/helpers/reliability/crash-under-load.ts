/**
 * Faults → "Crash under load" (issue 11): the cluster runs as the README starts it (`npm start`, a child process on a
 * temp data directory); Deployments are created and Available first. Then each round: `clients` HTTPS clients write
 * ConfigMaps and Secrets (crash-writers.ts) and one Deployment is scaled up and down, the cluster process is SIGKILLed
 * at a random moment of `killAfterMs`, started again on the same data directory (timed), and checked:
 * every acknowledged write present with its resourceVersion unless a later write explains the state, nothing
 * half-done, nothing listed twice, LIST = GET, no resourceVersion going backwards (crash-history.ts), the scale
 * acknowledged last kept, and the controllers converged (crash-workloads.ts) within `convergenceBoundMs`.
 *
 * `crashUnderLoad(options)` returns the figures and the violations found (readable strings); it asserts nothing.
 * It throws only when the cluster cannot be set up at all; a failed restart is a violation and ends the rounds.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Transport } from '../../../src/client/transport';
import { startCli, type CliProcess } from '../cli-cluster';
import { sleep, waitFor, withTimeout } from '../wait';
import { clientFor } from './cluster-client';
import { checkObjects, countOutcomes, type Observed, type ObjectHistory, type Served } from './crash-history';
import { convergenceProblem, createDeployments, createNamespace, replicaCounts, scale, type DeploymentSpec } from './crash-workloads';
import { CRASH_LABEL, clientObjects, observe, runWriters } from './crash-writers';
import { seededRandom } from './seeded-random';

export interface CrashOptions {
  rounds: number;
  clients: number;
  objectsPerClient: number;
  deployments: DeploymentSpec[];
  /** The kill comes at a uniformly random moment of this window after the load starts (ms). */
  killAfterMs: [number, number];
  /** The stated bound: the controllers must converge within it after each restart (ms). */
  convergenceBoundMs: number;
  /** Worker nodes and time scale of the cluster (`--nodes`, `--time-scale`). */
  nodes: number;
  timeScale: number;
  seed: number;
  log?: (msg: string) => void;
}

export const CRASH_DEFAULTS: CrashOptions = {
  rounds: 20,
  clients: 16,
  objectsPerClient: 4,
  deployments: [
    { name: 'scaled', replicas: 3 },
    { name: 'web', replicas: 2 },
    { name: 'api', replicas: 4 },
  ],
  killAfterMs: [100, 1500],
  convergenceBoundMs: 30_000,
  nodes: 2,
  timeScale: 0.05,
  seed: 11,
};

export interface CrashResult {
  rounds: number;
  acked: number;
  unacked: number;
  /** Unacknowledged writes found applied after the restart (allowed; shows the kills land mid-write). */
  unackedApplied: number;
  rejected: number;
  lost: number;
  halfDone: number;
  duplicates: number;
  inconsistent: number;
  restartMs: number[];
  convergenceMs: number[];
  violations: string[];
}

const NS = 'crash';
const STABLE_MS = 1000;

/** LIST both kinds (every name, for duplicates), then GET each of our objects. */
async function readServed(t: Transport, keys: string[]): Promise<Served> {
  const served: Served = { listed: [], fromList: new Map(), fromGet: new Map(), listRv: '0' };
  for (const resource of ['configmaps', 'secrets']) {
    const res = await t.request({ method: 'GET', path: `/api/v1/namespaces/${NS}/${resource}` });
    if (res.status !== 200) throw new Error(`LIST ${resource}: ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    const list = res.body as { metadata: { resourceVersion: string }; items: { metadata: { name: string; resourceVersion: string; labels?: Record<string, string> }; data?: Record<string, string> }[] };
    if (BigInt(list.metadata.resourceVersion) > BigInt(served.listRv)) served.listRv = list.metadata.resourceVersion;
    for (const o of list.items) {
      const key = `${resource}/${o.metadata.name}`;
      served.listed.push(key);
      if (o.metadata.labels?.[CRASH_LABEL] && !served.fromList.has(key)) served.fromList.set(key, { rv: o.metadata.resourceVersion, data: o.data ?? {} });
    }
  }
  for (const key of keys) {
    const o = await observe(t, NS, key);
    if (o === undefined) throw new Error(`GET ${key} got no answer`);
    served.fromGet.set(key, o);
  }
  return served;
}

/** The replica counts a Deployment may have after the restart: the last acked scale's, or a later unacked one's. */
function allowedReplicas(base: number, writes: { replicas: number; outcome: string }[]): number[] {
  let allowed = [base];
  for (const w of writes) if (w.outcome === 'acked') allowed = [w.replicas];
  else if (w.outcome === 'unknown') allowed.push(w.replicas);
  return allowed;
}

/**
 * Polls until the Deployments are converged and still are `STABLE_MS` later (right after a restart the stored state
 * may look converged before the restarted controllers and kubelets have acted); the time is that of the first good
 * check of the stable stretch, from the call.
 */
async function converge(t: Transport, boundMs: number): Promise<{ ms: number; problem?: string }> {
  const start = Date.now();
  let last: string | undefined = 'not checked yet';
  let goodSince: number | undefined;
  const check = async () => {
    last = await convergenceProblem(t, NS).catch((e: Error) => e.message);
    if (last) goodSince = undefined;
    else goodSince ??= Date.now();
    return goodSince !== undefined && Date.now() - goodSince >= STABLE_MS;
  };
  const ok = await waitFor(check, 'convergence', { timeoutMs: boundMs + STABLE_MS, intervalMs: 100 }).catch(() => false);
  return ok && goodSince !== undefined ? { ms: goodSince - start } : { ms: Date.now() - start, problem: last };
}

export async function crashUnderLoad(options: Partial<CrashOptions> = {}): Promise<CrashResult> {
  const o = { ...CRASH_DEFAULTS, ...options };
  const log = o.log ?? (() => undefined);
  // the kill moments have their own stream, so a run's kills replay exactly from its seed whatever the load did
  const killRand = seededRandom(o.seed);
  const rand = seededRandom(o.seed + 1);
  const r: CrashResult = { rounds: 0, acked: 0, unacked: 0, unackedApplied: 0, rejected: 0, lost: 0, halfDone: 0, duplicates: 0, inconsistent: 0, restartMs: [], convergenceMs: [], violations: [] };
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-crash-'));
  const args = ['--port', '0', '--dns-port', '0', '--ingress-port', '0', '--nodes', String(o.nodes), '--time-scale', String(o.timeScale), '--data-dir', dataDir];
  const keys = Array.from({ length: o.clients }, (_, c) => clientObjects(c, o.objectsPerClient).map((x) => x.key)).flat();
  const state = new Map<string, Observed>(keys.map((k) => [k, null]));
  const scaled = o.deployments[0].name;
  let lastListRv = 0n;
  let cli: CliProcess | undefined;
  let t: Transport | undefined;
  const connect = (c: CliProcess) => clientFor(c.kubeconfig, { maxSockets: o.clients + 8 });
  try {
    cli = await startCli(args);
    t = connect(cli);
    await createNamespace(t, NS);
    await createDeployments(t, NS, o.deployments);
    const first = await converge(t, 120_000);
    if (first.problem) throw new Error(`the Deployments did not become Available: ${first.problem}`);
    log(`set up: ${o.deployments.length} Deployments Available in ${first.ms} ms`);
    for (let round = 1; round <= o.rounds; round++) {
      const histories = new Map<string, ObjectHistory>(keys.map((k) => [k, { key: k, base: state.get(k) ?? null, writes: [] }]));
      const replicasBase = (await replicaCounts(t, NS)).get(scaled) ?? 0;
      const scales: { replicas: number; outcome: string; detail?: string }[] = [];
      let killed = false;
      const tr = t;
      const writers = runWriters(tr, { namespace: NS, round, clients: o.clients, objectsPerClient: o.objectsPerClient, state, histories, stopped: () => killed, rand });
      const scaler = (async () => {
        for (;;) {
          await sleep(50 + rand() * 250);
          if (killed) return;
          const w: { replicas: number; outcome: string; detail?: string } = { replicas: 1 + Math.floor(rand() * 5), outcome: 'unknown' };
          scales.push(w);
          Object.assign(w, await scale(tr, NS, scaled, w.replicas));
          if (w.outcome === 'unknown') return;
        }
      })();
      const killAfter = o.killAfterMs[0] + killRand() * (o.killAfterMs[1] - o.killAfterMs[0]);
      await sleep(killAfter);
      killed = true;
      await cli.kill();
      try {
        await withTimeout(Promise.all([writers, scaler]), 20_000, 'the clients to stop after the kill');
      } catch (e) {
        r.violations.push(`round ${round}: ${(e as Error).message}`);
        break;
      }
      t.close();
      t = undefined;
      const restartStart = Date.now();
      try {
        cli = await startCli(args);
      } catch (e) {
        r.violations.push(`round ${round}: the cluster did not restart: ${(e as Error).message}`);
        break;
      }
      r.restartMs.push(Date.now() - restartStart);
      t = connect(cli);
      r.rounds = round;
      const all = [...histories.values()];
      const n = countOutcomes(all);
      r.acked += n.acked;
      r.unacked += n.unknown;
      r.rejected += n.rejected;
      for (const h of all) for (const w of h.writes) if (w.outcome === 'rejected' || /^\d{3} /.test(w.detail ?? '')) r.violations.push(`round ${round}: ${w.verb} ${h.key} (${w.wid}) answered ${w.detail}`);
      for (const w of scales) if (w.outcome === 'rejected') r.violations.push(`round ${round}: scale of ${scaled} to ${w.replicas} answered ${w.detail}`);
      let served: Served;
      try {
        served = await readServed(t, keys);
      } catch (e) {
        r.violations.push(`round ${round}: reading the objects back failed: ${(e as Error).message}`);
        break;
      }
      const v = checkObjects(all, served);
      r.unackedApplied += v.unackedApplied;
      if (BigInt(served.listRv) < lastListRv) r.violations.push(`round ${round}: the store revision went back from ${lastListRv} to ${served.listRv}`);
      lastListRv = BigInt(served.listRv);
      r.lost += v.lost.length;
      r.halfDone += v.halfDone.length;
      r.duplicates += v.duplicates.length;
      r.inconsistent += v.inconsistent.length;
      r.violations.push(...[...v.lost, ...v.halfDone, ...v.duplicates, ...v.inconsistent].map((s) => `round ${round}: ${s}`));
      for (const k of keys) state.set(k, served.fromGet.get(k) ?? null);
      const replicas = (await replicaCounts(t, NS)).get(scaled) ?? -1;
      const allowed = allowedReplicas(replicasBase, scales);
      if (!allowed.includes(replicas)) {
        r.lost++;
        r.violations.push(`round ${round}: ${scaled} has ${replicas} replicas; the scale writes allow only ${allowed.join(' or ')}`);
      }
      const conv = await converge(t, o.convergenceBoundMs);
      r.convergenceMs.push(conv.ms);
      if (conv.problem) r.violations.push(`round ${round}: not converged within ${o.convergenceBoundMs} ms: ${conv.problem}`);
      log(`round ${round}: killed after ${Math.round(killAfter)} ms; writes acked ${n.acked}, unacked ${n.unknown}, rejected ${n.rejected}; restart ${r.restartMs.at(-1)} ms; converged in ${conv.ms} ms${v.lost.length + v.halfDone.length ? '; VIOLATIONS' : ''}`);
    }
  } finally {
    t?.close();
    await cli?.kill();
    fs.rmSync(dataDir, { recursive: true, force: true });
  }
  return r;
}
