/**
 * The "slow and dead clients" scenario of the reliability suite (issue 11): the cluster started as the README does;
 * a probe client does paced CRUD while a writer creates and deletes 256 KiB ConfigMaps watched by `stalledWatchers`
 * watchers that read everything (the baseline: the same work for the server, well-behaved clients), then again
 * while bad clients attack: as many watchers that never read (the writer's events overflow their buffers), requests
 * cut after the headers or halfway through the body, headers and bodies trickled, TLS connections that send
 * nothing, TCP connections that never start TLS. `runBadClients` returns figures and violations; it asserts nothing.
 *
 * Violations: a probe or writer request that failed; probe p99 under attack above baseline p99 × `latencyFactor`
 * + 50 ms; live memory (heap and external after a forced GC, read through the cluster's inspector) at the end of
 * the attack, every bad client still connected, above the figure once they are gone + `liveBoundBytes` (128 MiB,
 * twice the API server's 64 MiB watch budget); peak RSS under attack above the baseline peak + `rssBoundBytes`
 * (512 MiB: RSS also holds garbage V8 has not collected, so it only guards against a runaway); fds after every bad
 * client is gone more than `fdSlack` above the count before the attack; a stalled watcher still held open by the
 * server after the writer sent it 32 MiB (twice its watch buffer of 16 MiB).
 */
import * as https from 'node:https';
import { performance } from 'node:perf_hooks';
import { clientFor, processStats, readKubeconfig } from './cluster-client';
import { openLineWatcher } from './line-watcher';
import { crudClient, Tally, VERBS } from './load';
import { settleFds, StatsSampler, summarize, TokenBucket, withCliCluster, type LatencySummary } from './load-kit';
import { cutRequest, silentTcp, silentTls, slowBody, slowHeaders, stalledWatcher, targetOf, type HeldClient, type StalledWatcher } from './raw-clients';
import { InspectorProbe, inspectorUrl } from './inspector-probe';
import { sleep } from '../wait';

export interface BadClientOptions {
  baselineMs: number;
  attackMs: number;
  stalledWatchers: number;
  /** Bytes of ConfigMaps the writer creates (and deletes) under the stalled watchers. */
  floodBytes: number;
  /** Held slow or silent clients of each kind (slow headers, slow body, silent TLS, silent TCP). */
  heldPerKind: number;
  /** Clients that cut requests mid-request and mid-body, each one request every 200 ms during the attack. */
  cutInFlight: number;
  /** The probe's client-side rate (client-go's default is QPS 5, burst 10). */
  probeQps?: number;
  latencyFactor?: number;
  /** RSS peak under attack allowed above the baseline's (a runaway guard: RSS also holds garbage not yet collected). */
  rssBoundBytes?: number;
  /** Live memory (heap + external after a forced GC) the bad clients may hold: at the end of the attack, above the figure once they are gone. */
  liveBoundBytes?: number;
  fdSlack?: number;
  progress?: (msg: string) => void;
}

export interface BadClientResult {
  baseline: LatencySummary;
  attack: LatencySummary;
  probeRequests: number;
  probeErrors: number;
  cutRequests: number;
  writerBytes: number;
  /** Stalled watcher connections the server closed by itself. */
  stalledCut: number;
  /** Per held kind: how many the server closed before the end of the attack, and the answers it gave. */
  held: Record<string, { count: number; closedByServer: number; answers: string[] }>;
  rssBaselinePeak: number;
  rssAttackPeak: number;
  /**
   * heapUsed + external after a forced full GC (inspector-probe.ts): at the end of the attack with every bad client
   * still connected, and once they are gone (the same data stored and in the watch cache's history as at the end of
   * the attack, so liveAttack − liveGone is what the bad clients held). Both are read after the probe's last request:
   * a forced GC shifts the process's own GC schedule, which would skew the probe's latencies.
   */
  liveAttack: number;
  liveGone: number;
  fdsBefore: number;
  fdsAttackPeak: number;
  fdsAfter: number;
  violations: string[];
}

const VALUE = 'x'.repeat(256 * 1024);

export async function runBadClients(o: BadClientOptions): Promise<BadClientResult> {
  const log = o.progress ?? (() => undefined);
  return withCliCluster(async (cli) => {
    const pid = cli.child.pid!;
    const target = targetOf(readKubeconfig(cli.kubeconfig));
    const admin = clientFor(cli.kubeconfig, { maxSockets: 2, userAgent: 'bad-clients-admin' });
    for (const ns of ['probe', 'flood']) {
      const r = await admin.request({ method: 'POST', path: '/api/v1/namespaces', body: { apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } });
      if (r.status !== 201) throw new Error(`creating namespace ${ns}: ${r.status}`);
    }
    const shared = await admin.request({ method: 'POST', path: '/api/v1/namespaces/probe/configmaps', body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'shared' } } });
    if (shared.status !== 201) throw new Error(`creating the probe's shared ConfigMap: ${shared.status}`);
    const wsUrl = inspectorUrl(cli.stderr);
    if (!wsUrl) throw new Error(`the cluster printed no inspector URL:\n${cli.tail()}`);
    const live = async () => {
      const m = await InspectorProbe.liveHeapOnce(wsUrl);
      return m.heapUsed + m.external;
    };
    const sampler = new StatsSampler(pid).start(250);
    const probe = clientFor(cli.kubeconfig, { maxSockets: 1, userAgent: 'bad-clients-probe' });
    const violations: string[] = [];

    const flood = async (until: number, tally: Tally): Promise<number> => {
      let bytes = 0;
      for (let i = 0; bytes < o.floodBytes && performance.now() < until; i++) {
        const body = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `big-${i}` }, data: { v: VALUE } };
        const c = await admin.request({ method: 'POST', path: '/api/v1/namespaces/flood/configmaps', body });
        const d = await admin.request({ method: 'DELETE', path: `/api/v1/namespaces/flood/configmaps/big-${i}` });
        if (c.status !== 201 || d.status !== 200) tally.errors.push(`writer big-${i}: ${c.status}/${d.status}`);
        bytes += 2 * VALUE.length;
      }
      return bytes;
    };

    log(`baseline for ${o.baselineMs} ms: the probe, and the writer under ${o.stalledWatchers} watchers that read`);
    const base = new Tally();
    const creds = readKubeconfig(cli.kubeconfig);
    const readerAgent = new https.Agent({ keepAlive: true, ca: creds.caCert, maxSockets: o.stalledWatchers });
    const readers = await Promise.all(Array.from({ length: o.stalledWatchers }, (_, i) => openLineWatcher(creds, readerAgent, `reader ${i}`, { method: 'GET', path: '/api/v1/namespaces/flood/configmaps' })));
    const baseUntil = performance.now() + o.baselineMs;
    await Promise.all([crudClient(probe, 0, 'probe', baseUntil, base, new TokenBucket(o.probeQps ?? 5, 10)), flood(baseUntil, base)]);
    for (const r of readers) r.stop();
    readerAgent.destroy();
    const readerProblems = readers.filter((r) => r.state.problem && !r.state.stopped);
    if (readerProblems.length) violations.push(`${readerProblems.length} reading watchers failed, first: ${readerProblems[0].state.problem}`);
    await sleep(1000);
    const rssBaselinePeak = Math.max(...sampler.samples.map((s) => s.rss));
    const fdsBefore = processStats(pid).fds;
    const attackFrom = sampler.samples.length;

    log(`attack for ${o.attackMs} ms: ${o.stalledWatchers} stalled watchers, ${o.heldPerKind} held clients per kind, ${o.cutInFlight} cut requests in flight`);
    const held: HeldClient[] = [];
    const stalled: StalledWatcher[] = [];
    let stalledCut = 0;
    const attack = new Tally();
    let cutRequests = 0;
    let writerBytes = 0;
    let fdsBeforeFlood = 0;
    let liveAttack = NaN;
    try {
      for (let i = 0; i < o.stalledWatchers; i++) stalled.push(await stalledWatcher(target, '/api/v1/namespaces/flood/configmaps?watch=true'));
      for (let i = 0; i < o.heldPerKind; i++) {
        held.push(slowHeaders(target, 1000), slowBody(target, '/api/v1/namespaces/probe/configmaps', 1000), silentTls(target), silentTcp(target));
      }
      const until = performance.now() + o.attackMs;
      const cutter = async (i: number) => {
        for (let n = i; performance.now() < until; n++) {
          const path = '/api/v1/namespaces/probe/configmaps';
          if (n % 3 === 0) await cutRequest(target, 'GET', path);
          else if (n % 3 === 1) await cutRequest(target, 'POST', path, 4096);
          else await cutRequest(target, 'POST', path, 2 * 1024 * 1024, 1024 * 1024);
          cutRequests++;
          await sleep(200);
        }
      };
      const writer = async () => {
        await sleep(1000); // the held clients connect first
        fdsBeforeFlood = processStats(pid).fds;
        writerBytes = await flood(until, attack);
      };
      await Promise.all([crudClient(probe, 0, 'probe', until, attack, new TokenBucket(o.probeQps ?? 5, 10)), writer(), ...Array.from({ length: o.cutInFlight }, (_, i) => cutter(i))]);
      liveAttack = await live(); // the probe and the writer are done; the held and stalled clients still connected
      // Reading again shows which stalled watches the server had cut (they end; the others stay open).
      stalledCut = (await Promise.all(stalled.map((w) => w.drain(5000)))).filter(Boolean).length;
    } finally {
      const stalledOpen = processStats(pid).fds;
      for (const h of [...held, ...stalled]) h.close();
      probe.close();
      admin.close();
      sampler.stop();
      log(`attack over; fds ${stalledOpen} with the held clients, ${fdsBeforeFlood} before the writer`);
    }
    const fdsAfter = await settleFds(pid, fdsBefore, 10_000);
    const liveGone = await live();
    const attackSamples = sampler.samples.slice(attackFrom);
    const rssAttackPeak = Math.max(...attackSamples.map((s) => s.rss));
    const fdsAttackPeak = Math.max(...attackSamples.map((s) => s.fds));

    const kinds: BadClientResult['held'] = {};
    for (const h of held) {
      const k = (kinds[h.kind] ??= { count: 0, closedByServer: 0, answers: [] });
      k.count++;
      if (h.closedByServer) k.closedByServer++;
      if (h.answer && !k.answers.includes(h.answer)) k.answers.push(h.answer);
    }
    const all = (t: Tally) => summarize(VERBS.flatMap((v) => t.latency[v]));
    const baseline = all(base);
    const attacked = all(attack);
    const errors = [...base.errors, ...attack.errors];
    if (errors.length) violations.push(`${errors.length} probe/writer errors, first: ${errors.slice(0, 5).join(' | ')}`);
    const factor = o.latencyFactor ?? 3;
    if (!(attacked.p99 <= baseline.p99 * factor + 50)) violations.push(`probe p99 under attack ${attacked.p99.toFixed(1)} ms > baseline ${baseline.p99.toFixed(1)} ms × ${factor} + 50 ms`);
    const bound = o.rssBoundBytes ?? 512 * 1024 * 1024;
    if (rssAttackPeak > rssBaselinePeak + bound) violations.push(`RSS under attack ${mib(rssAttackPeak)} > baseline peak ${mib(rssBaselinePeak)} + ${mib(bound)}`);
    const liveBound = o.liveBoundBytes ?? 128 * 1024 * 1024;
    if (!(liveAttack <= liveGone + liveBound)) violations.push(`live memory at the end of the attack ${mib(liveAttack)} > once the bad clients were gone ${mib(liveGone)} + ${mib(liveBound)}`);
    if (fdsAfter > fdsBefore + (o.fdSlack ?? 10)) violations.push(`fds did not return: ${fdsBefore} before the attack, ${fdsAfter} after the bad clients left`);
    if (writerBytes >= 32 * 1024 * 1024 && stalledCut < o.stalledWatchers) violations.push(`only ${stalledCut} of ${o.stalledWatchers} stalled watchers were cut after ${mib(writerBytes)} of events`);
    return {
      baseline,
      attack: attacked,
      probeRequests: base.requests + attack.requests,
      probeErrors: errors.length,
      cutRequests,
      writerBytes,
      stalledCut,
      held: kinds,
      rssBaselinePeak,
      rssAttackPeak,
      liveAttack,
      liveGone,
      fdsBefore,
      fdsAttackPeak,
      fdsAfter,
      violations,
    };
  }, { nodeArgs: ['--inspect=127.0.0.1:0'] });
}

function mib(bytes: number): string {
  return `${(bytes / 1048576).toFixed(1)} MiB`;
}
