/**
 * Issue 11, Faults → "Disk trouble": the cluster's data directory fills up, or turns read-only, under a running
 * cluster (started as the README says) while clients write. `diskTrouble(options)` runs one round per fault kind on
 * a fresh cluster and returns figures and violations (readable strings); it asserts nothing itself.
 *
 * One round: start the CLI on the fault's directory (disk-faults.ts); create sentinel ConfigMaps and a Deployment;
 * start the writers (disk-ledger.ts) and a watch; inject the fault; for `faultMs` keep writing (every refusal must be
 * a 5xx Status naming the cause: ENOSPC / EFBIG / EROFS and the WAL file) and keep reading (GET and LIST of the
 * sentinels, exact; the watch stays open; the process stays alive); note what /readyz says; clear the fault and
 * time how long until a write succeeds again (for read-only: with a restart, see disk-faults.ts); then scale the
 * Deployment (controllers must act on it: leader election came back) and wait for convergence; stop the writers,
 * SIGKILL the cluster, start it again on the same directory and check the ledger: every acknowledged write there
 * exactly (resourceVersion and data), nothing refused applied.
 */
import type { HttpsTransport } from '../../../src/client/https-transport';
import { startCli, type CliProcess } from '../cli-cluster';
import { sleep, waitFor } from '../wait';
import { clientFor } from './cluster-client';
import { convergenceProblem, createDeployments, createNamespace, scale } from './crash-workloads';
import { fullDisk, readOnlyDisk, type DiskFault, type DiskFaultKind } from './disk-faults';
import { CM_PATH, DiskWriters, isFailureStatus, listStored } from './disk-ledger';

export interface DiskTroubleOptions {
  faults: DiskFaultKind[];
  /** Concurrent writer loops. */
  writers: number;
  /** Writing before the fault, in ms. */
  warmupMs: number;
  /** How long each fault lasts, in ms. */
  faultMs: number;
  /** A write must succeed again within this long after the fault clears (read-only: after the restart). */
  resumeBoundMs: number;
  /** The Deployment must converge within this long after it is scaled (once the fault cleared). */
  convergeBoundMs: number;
  /** How to fill the disk: a tmpfs (default; RLIMIT_FSIZE where mounting is not permitted) or RLIMIT_FSIZE. */
  fullMethod?: 'tmpfs' | 'rlimit-fsize';
  log?: (msg: string) => void;
}

export interface DiskFaultFigures {
  fault: DiskFaultKind;
  method: string;
  /** Set when the fault could not be made here; the other figures are then 0. */
  skipped?: string;
  writesAcked: number;
  writesRefusedDuringFault: number;
  /** Distinct refusal texts (status, reason, message) with their counts. */
  refusals: Record<string, number>;
  readsDuringFault: number;
  readErrorsDuringFault: number;
  /** What GET /readyz?verbose answered during the fault. */
  readyzDuringFault: string;
  /** Times a control-plane component lost its leader election during the fault (its lease renewals are writes). */
  leadershipLost: number;
  restartNeeded: boolean;
  /** From clearing the fault to the first acknowledged write. */
  resumeMs: number;
  convergeMs: number;
  ackedLostAfterRestart: number;
  /** Writes refused with an unknown outcome (a failed fdatasync whose record could not be removed) found applied. */
  unknownOutcomeApplied: number;
}

export interface DiskTroubleResult {
  rounds: DiskFaultFigures[];
  violations: string[];
}

const SENTINELS = 5;
const DEPLOY_NS = 'disk-trouble';
const CAUSE = /ENOSPC|EFBIG|EROFS|EIO|no space left|file too large|read-only file system|i\/o error/;

const cliArgs = (dir: string) => ['--data-dir', dir, '--port', '0', '--dns-port', '0', '--ingress-port', '0'];

export async function diskTrouble(o: DiskTroubleOptions): Promise<DiskTroubleResult> {
  const rounds: DiskFaultFigures[] = [];
  const violations: string[] = [];
  for (const kind of o.faults) {
    const made = kind === 'full' ? fullDisk(undefined, o.fullMethod) : readOnlyDisk();
    if ('reason' in made) {
      o.log?.(`${kind}: skipped: ${made.reason}`);
      rounds.push({ ...emptyFigures(kind, '-'), skipped: made.reason });
      continue;
    }
    try {
      const r = await round(made, o);
      rounds.push(r.figures);
      violations.push(...r.violations.map((v) => `${kind}: ${v}`));
    } finally {
      made.dispose();
    }
  }
  return { rounds, violations };
}

function emptyFigures(fault: DiskFaultKind, method: string): DiskFaultFigures {
  return {
    fault, method, writesAcked: 0, writesRefusedDuringFault: 0, refusals: {}, readsDuringFault: 0, readErrorsDuringFault: 0,
    readyzDuringFault: '', leadershipLost: 0, restartNeeded: false, resumeMs: 0, convergeMs: 0, ackedLostAfterRestart: 0, unknownOutcomeApplied: 0,
  };
}

async function round(fault: DiskFault, o: DiskTroubleOptions): Promise<{ figures: DiskFaultFigures; violations: string[] }> {
  const log = (m: string) => o.log?.(`${fault.kind} (${fault.method}): ${m}`);
  const figures = emptyFigures(fault.kind, fault.method);
  figures.restartNeeded = fault.restartNeeded;
  const violations: string[] = [];
  let cli: CliProcess = await startCli(cliArgs(fault.dir));
  let client: HttpsTransport = clientFor(cli.kubeconfig);
  let writers: DiskWriters | undefined;
  try {
    const sentinels = await createSentinels(client);
    await createNamespace(client, DEPLOY_NS);
    await createDeployments(client, DEPLOY_NS, [{ name: 'web', replicas: 1 }]);
    const watch = await client.watch({ method: 'GET', path: CM_PATH, query: { resourceVersion: sentinels.rv } });
    if (!('events' in watch)) throw new Error(`watch: HTTP ${watch.status}`);
    let watchEnded = false;
    let watchEvents = 0;
    const watchDone = (async () => {
      for await (const ev of watch.events) {
        if (ev.type === 'ERROR') violations.push(`the watch got an ERROR event: ${JSON.stringify(ev.object).slice(0, 200)}`);
        watchEvents++;
      }
      watchEnded = true;
    })();
    writers = new DiskWriters(client, o.writers);
    writers.start();
    await sleep(o.warmupMs);
    log(`${writers.acks} writes acknowledged before the fault; injecting`);

    const refusedBefore = writers.refused;
    const stderrFrom = cli.stderr.length;
    fault.inject(cli.child.pid!);
    const faultEnd = Date.now() + o.faultMs;
    let readyz = '';
    while (Date.now() < faultEnd) {
      const problem = await readSentinels(client, sentinels.byName);
      figures.readsDuringFault += 2;
      if (problem) {
        figures.readErrorsDuringFault++;
        violations.push(`read during the fault: ${problem}`);
      }
      if (!readyz) readyz = await readyzText(client);
      if (cli.code !== undefined) break;
      await sleep(50);
    }
    figures.readyzDuringFault = readyz;
    figures.leadershipLost = cli.stderr.slice(stderrFrom).split('leaderelection lost').length - 1;
    figures.writesRefusedDuringFault = writers.refused - refusedBefore;
    if (cli.code !== undefined) violations.push(`the cluster process exited during the fault (code ${cli.code})\n${cli.tail(1500)}`);
    if (figures.writesRefusedDuringFault === 0) violations.push('no write was refused during the fault: the fault did not reach the store');
    for (const msg of writers.refusals.keys()) {
      if (!CAUSE.test(msg) || !/wal-\d+\.log/.test(msg)) violations.push(`a refusal does not name the cause and the file: ${msg}`);
    }
    if (watchEnded) violations.push('the watch ended during the fault');
    log(`${figures.writesRefusedDuringFault} writes refused, ${figures.readsDuringFault} reads served, ${figures.leadershipLost} leader elections lost, /readyz: ${readyz.split('\n')[0]}`);

    const clearedAt = Date.now();
    if (fault.restartNeeded) {
      await writers.stop();
      watch.stop();
      await watchDone;
      client.close();
      await cli.kill();
      fault.clear(0);
      cli = await startCli(cliArgs(fault.dir));
      client = clientFor(cli.kubeconfig);
    } else {
      fault.clear(cli.child.pid!);
    }
    const c = client;
    await waitFor(async () => (await c.request({ method: 'POST', path: CM_PATH, body: cm(`resume-${Date.now()}`, { v: '1' }) })).status === 201, 'a write to succeed after the fault cleared', {
      timeoutMs: o.resumeBoundMs,
      intervalMs: 20,
    }).catch((e: Error) => violations.push(e.message));
    figures.resumeMs = Date.now() - clearedAt;
    log(`writes resumed ${figures.resumeMs} ms after the fault cleared${fault.restartNeeded ? ' (with a restart)' : ''}`);
    if (!fault.restartNeeded) {
      const before = watchEvents;
      await waitFor(() => watchEvents > before, 'the watch opened before the fault to deliver new events', { timeoutMs: 10_000 }).catch((e: Error) => violations.push(e.message));
    }

    const scaledAt = Date.now();
    const s = await scale(c, DEPLOY_NS, 'web', 3);
    if (s.outcome !== 'acked') violations.push(`scaling after the fault: ${s.detail}`);
    let last: string | undefined = 'not checked';
    await waitFor(async () => !(last = await convergenceProblem(c, DEPLOY_NS)), 'the Deployment to converge', { timeoutMs: o.convergeBoundMs, intervalMs: 200 }).catch(() =>
      violations.push(`controllers did not converge within ${o.convergeBoundMs} ms: ${last}`),
    );
    figures.convergeMs = Date.now() - scaledAt;

    if (!fault.restartNeeded) {
      await writers.stop();
      watch.stop();
      await watchDone;
    }
    violations.push(...writers.violations);
    figures.writesAcked = writers.acks;
    figures.refusals = Object.fromEntries(writers.refusals);

    // Acknowledged means durable: SIGKILL, start again on the same directory, compare.
    client.close();
    await cli.kill();
    cli = await startCli(cliArgs(fault.dir));
    client = clientFor(cli.kubeconfig);
    const check = writers.checkAgainst(await listStored(client));
    figures.ackedLostAfterRestart = check.lost;
    figures.unknownOutcomeApplied = writers.unknownApplied;
    violations.push(...check.violations.slice(0, 20));
    if (check.violations.length > 20) violations.push(`… and ${check.violations.length - 20} more ledger differences`);
    const sentinelProblem = await readSentinels(client, sentinels.byName);
    if (sentinelProblem) violations.push(`after the restart: ${sentinelProblem}`);
    log(`after the restart: ${writers.acked.size} objects checked, ${check.lost} acknowledged writes lost`);
  } finally {
    await writers?.stop();
    client.close();
    await cli.kill();
  }
  return { figures, violations };
}

const cm = (name: string, data: Record<string, string>) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name }, data });

async function createSentinels(client: HttpsTransport): Promise<{ byName: Map<string, string>; rv: string }> {
  const byName = new Map<string, string>();
  let rv = '';
  for (let i = 0; i < SENTINELS; i++) {
    const res = await client.request({ method: 'POST', path: CM_PATH, body: cm(`sentinel-${i}`, { i: String(i) }) });
    if (res.status !== 201) throw new Error(`creating sentinel-${i}: HTTP ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
    rv = (res.body as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    byName.set(`sentinel-${i}`, rv);
  }
  return { byName, rv };
}

/** GET one sentinel and LIST all: each exactly as created. Returns what was wrong, or undefined. */
async function readSentinels(client: HttpsTransport, byName: Map<string, string>): Promise<string | undefined> {
  const names = [...byName.keys()];
  const name = names[Math.floor(Math.random() * names.length)];
  const get = await client.request({ method: 'GET', path: `${CM_PATH}/${name}` });
  const got = get.body as { metadata?: { resourceVersion?: string } };
  if (get.status !== 200 || got.metadata?.resourceVersion !== byName.get(name)) return `GET ${name}: HTTP ${get.status} ${JSON.stringify(get.body).slice(0, 200)}`;
  const list = await client.request({ method: 'GET', path: CM_PATH });
  if (list.status !== 200) return `LIST: HTTP ${list.status} ${JSON.stringify(list.body).slice(0, 200)}`;
  const items = (list.body as { items: { metadata: { name: string; resourceVersion: string } }[] }).items;
  const missing = names.filter((n) => !items.some((it) => it.metadata.name === n && it.metadata.resourceVersion === byName.get(n)));
  return missing.length ? `LIST lacks ${missing.join(', ')} at their resourceVersions` : undefined;
}

async function readyzText(client: HttpsTransport): Promise<string> {
  const res = await client.request({ method: 'GET', path: '/readyz', query: { verbose: 'true' } });
  const body = typeof res.body === 'string' ? res.body : isFailureStatus(res.body, res.status) ? res.body.message : JSON.stringify(res.body);
  return `${res.status} ${body.trim()}`;
}
