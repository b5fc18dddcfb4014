/**
 * The node-failure scenario of the reliability suite (issue 11, Faults → Node failures). Through ./node-fault-harness
 * it starts the cluster as the README does (`npm start --nodes N --time-scale 0.1`, free ports, a fresh data
 * directory), runs the workload of ./node-workload (two Deployments, a StatefulSet of 3, a DaemonSet) with one pod
 * watch into the StatefulSet identity checker from the start, and then `rounds` faults typed on the CLI's
 * stdin: `node stop W` for a random worker (sometimes two), a wait, `node start W`, then waits until availability
 * is back at the desired state and the stopped nodes are Ready (the recovery time, measured from the restart).
 *
 * Short rounds keep the kubelet down `shortDownMs` (default 1–8 s; below the node-monitor grace period: nothing is visible in the API).
 * Every `longEvery`-th round (the second of each group) stops a worker that hosts a StatefulSet pod and keeps it down
 * until upstream's sequence has run: the node goes Unknown after --node-monitor-grace-period (50 s, KubeLab's
 * 1.32 default; neither the ClusterConfig nor the CLI can change it), gets the unreachable NoExecute taint, the
 * taint-eviction controller deletes its pods after their tolerationSeconds (2 s in this workload), the DaemonSet pod stays (it tolerates the taint), the Deployments
 * are rescheduled elsewhere (the time they spent below desired while the kubelet was down is measured), and the
 * StatefulSet pod stays Terminating — not replaced — until its kubelet returns. A StatefulSet pod that vanished
 * while its kubelet was down, an evicted node without the unreachable taint, an evicted DaemonSet pod, or Deployments
 * not rescheduled within `longDownBoundMs` are violations; so is a pod watch that ends up different from a list.
 * The seed (printed) replays the choices. Returns figures and readable violations; asserts nothing.
 */
import { sleep } from '../wait';
import { percentile } from '../../bench/util';
import { NodeFaultHarness, POLL_MS } from './node-fault-harness';
import { seededRandom } from './seeded-random';
import { availability, DAEMONSET, nodeState } from './node-workload';

export interface NodeFailureOptions {
  rounds: number;
  /** Worker nodes (`--nodes`); default 3. */
  workers?: number;
  /** Every longEvery-th round is a long one (see the file comment); default 5. */
  longEvery?: number;
  /** Range of a short round's outage, ms; default [1000, 8000]. */
  shortDownMs?: [number, number];
  /** Chance that a round stops two workers (the third round always does); default 0.3. */
  twoNodesChance?: number;
  /** A round that is not back at the desired state this long after the restart has not recovered; default 60 s. */
  recoveryBoundMs?: number;
  /** How long a long round may wait for eviction and rescheduling; default 150 s. */
  longDownBoundMs?: number;
  /** tolerationSeconds of the Deployment and StatefulSet pods for the unreachable/not-ready taints; default 2. */
  tolerationSeconds?: number;
  seed?: number;
  log?(msg: string): void;
}

export interface RoundRecord {
  round: number;
  kind: 'short' | 'long';
  victims: string[];
  /** How long the kubelets were stopped, ms. */
  downMs: number;
  /** undefined: not recovered within the bound. */
  recoveryMs?: number;
  /** What was short of the desired state at the first check after the restart. */
  shortAtRestart: string[];
}

export interface NodeFailureResult {
  seed: number;
  rounds: number;
  longRounds: number;
  /** Kubelets stopped. */
  faults: number;
  startupMs: number;
  /** Per round: from the `node start` answers until the desired state (and the nodes Ready). */
  recoveryMs: number[];
  recoveryP50Ms: number;
  recoveryMaxMs: number;
  /** Per long round: the time the Deployments spent below their replicas while the kubelet was down. */
  deploymentsBelowWhileDownMs: number[];
  /** Per long round: from `node stop` until the node's StatefulSet pods were Terminating (taint eviction). */
  evictionAfterStopMs: number[];
  /** StatefulSet pods that stayed Terminating on a stopped node until its kubelet returned. */
  stuckTerminating: number;
  identityViolations: string[];
  unrecoveredRounds: number;
  /** Everything else that broke a rule (rounds not recovered included). */
  violations: string[];
  watchResumes: number;
  watchRelists: number;
  detail: RoundRecord[];
}

/** What the node lifecycle controller puts on a node whose kubelet stopped reporting (Ready Unknown). */
const UNREACHABLE = 'node.kubernetes.io/unreachable:NoExecute';

export async function runNodeFailures(o: NodeFailureOptions): Promise<NodeFailureResult> {
  const longEvery = o.longEvery ?? 5;
  const [shortMin, shortMax] = o.shortDownMs ?? [1000, 8000];
  const recoveryBound = o.recoveryBoundMs ?? 60_000;
  const longBound = o.longDownBoundMs ?? 150_000;
  const seed = o.seed ?? Math.floor(Math.random() * 2 ** 31);
  const rnd = seededRandom(seed);
  const log = o.log ?? (() => undefined);
  const h = await NodeFaultHarness.open({ workers: o.workers, tolerationSeconds: o.tolerationSeconds });
  const r: NodeFailureResult = {
    seed, rounds: 0, longRounds: 0, faults: 0, startupMs: h.startupMs, recoveryMs: [], recoveryP50Ms: NaN, recoveryMaxMs: NaN, deploymentsBelowWhileDownMs: [],
    evictionAfterStopMs: [], stuckTerminating: 0, identityViolations: h.checker.violations, unrecoveredRounds: 0, violations: [], watchResumes: 0, watchRelists: 0, detail: [],
  };
  log(`workload available after ${Math.round(h.startupMs)} ms (seed ${seed})`);
  try {
    const workers = h.workerNames;
    for (let i = 0; i < o.rounds; i++) {
      const long = i % longEvery === 1 % longEvery;
      const two = rnd() < (o.twoNodesChance ?? 0.3) || i === 2;
      const state = await availability(h.api);
      const ssHosts = [...new Set(state.pods.filter((p) => p.statefulSet && workers.includes(p.node)).map((p) => p.node))];
      const first = long && ssHosts.length ? ssHosts[Math.floor(rnd() * ssHosts.length)] : workers[Math.floor(rnd() * workers.length)];
      const others = workers.filter((w) => w !== first);
      const victims = two ? [first, others[Math.floor(rnd() * others.length)]] : [first];
      const stopAt = h.now();
      for (const v of victims) await h.stopKubelet(v);
      r.faults += victims.length;
      log(`round ${i + 1}/${o.rounds}: ${long ? 'long' : 'short'} outage of ${victims.join(' and ')}`);
      let belowMs = 0;
      if (long) {
        r.longRounds++;
        const onVictims = state.pods.filter((p) => p.statefulSet && victims.includes(p.node));
        let evicted: number | undefined;
        let done = false;
        while (!done && h.now() - stopAt < longBound) {
          const before = h.now();
          await sleep(POLL_MS);
          const now = await availability(h.api);
          if (!now.deploymentsOk) belowMs += h.now() - before;
          const terminating = onVictims.every((p) => now.pods.some((q) => q.uid === p.uid && q.terminating));
          if (terminating && evicted === undefined) {
            evicted = h.now() - stopAt;
            for (const v of victims.filter((x) => onVictims.some((p) => p.node === x))) {
              const taints = (await nodeState(h.api, v)).taints;
              if (!taints.includes(UNREACHABLE)) r.violations.push(`round ${i + 1}: ${v}'s pods were evicted but its taints are ${JSON.stringify(taints)}, not ${UNREACHABLE}`);
            }
          }
          done = terminating && now.deploymentsOk;
          h.last = now;
        }
        if (!done) r.violations.push(`round ${i + 1}: ${Math.round(longBound / 1000)} s after stopping ${victims.join(', ')}, not evicted and rescheduled: ${h.last?.short.join(', ')}`);
        if (evicted !== undefined) r.evictionAfterStopMs.push(evicted);
        r.deploymentsBelowWhileDownMs.push(belowMs);
        await sleep(rnd() * 2000);
        const still = await availability(h.api);
        for (const p of onVictims) {
          if (still.pods.some((q) => q.uid === p.uid && q.terminating)) r.stuckTerminating++;
          else r.violations.push(`round ${i + 1}: StatefulSet pod ${p.name} (uid ${p.uid}) left the API while the kubelet of ${p.node} was stopped`);
        }
        for (const p of still.pods) {
          if (p.name.startsWith(`${DAEMONSET}-`) && victims.includes(p.node) && p.terminating) r.violations.push(`round ${i + 1}: DaemonSet pod ${p.name} on stopped ${p.node} was evicted (it tolerates the unreachable taint)`);
        }
      } else {
        await sleep(shortMin + rnd() * (shortMax - shortMin));
      }
      const downMs = h.now() - stopAt;
      for (const v of victims) await h.startKubelet(v);
      const recovered = await h.settled(victims, recoveryBound);
      r.rounds++;
      r.detail.push({ round: i + 1, kind: long ? 'long' : 'short', victims, downMs, recoveryMs: recovered, shortAtRestart: h.shortAtFirstPoll });
      if (recovered === undefined) {
        r.unrecoveredRounds++;
        r.violations.push(`round ${i + 1}: not back at the desired state ${Math.round(recoveryBound / 1000)} s after restarting ${victims.join(', ')}: ${h.last?.short.join(', ')}`);
      } else {
        r.recoveryMs.push(recovered);
        log(`round ${i + 1}: recovered ${Math.round(recovered)} ms after the restart${long ? ` (Deployments below desired ${Math.round(belowMs)} ms while down)` : ''}`);
      }
    }
  } finally {
    await h.close(true);
  }
  r.watchResumes = h.watch.resumes;
  r.watchRelists = h.watch.relists;
  r.violations.push(...h.problems);
  r.recoveryP50Ms = percentile(r.recoveryMs, 50);
  r.recoveryMaxMs = r.recoveryMs.length ? Math.max(...r.recoveryMs) : NaN;
  return r;
}
