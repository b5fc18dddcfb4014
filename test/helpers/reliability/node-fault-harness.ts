/**
 * What every node-fault run shares: the cluster started as the README does (`npm start --nodes N --time-scale 0.1`
 * with free ports and a fresh data directory), an HTTPS client from its kubeconfig, one pod watch of the workload's
 * namespace from the start (./resumable-pod-watch) feeding the StatefulSet identity checker
 * (./statefulset-identity), the workload of ./node-workload, and the kubelet outages typed on the CLI's stdin
 * (`node stop W` / `node start W`, recorded in ./node-outages; an unexpected answer is a violation).
 *
 * `NodeFaultHarness.open(o)` starts all that and waits until the workload is available; `settled(nodes, boundMs)`
 * polls every POLL_MS (200 ms) until the workload is at its desired state and `nodes` are Ready for two polls in a row and
 * returns the time to the first of them (undefined past the bound; `last` and `shortAtFirstPoll` say what was
 * missing); `close()` stops the watch, kills the cluster process and removes the data directory (always call it).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { performance } from 'node:perf_hooks';
import type { HttpsTransport } from '../../../src/client/https-transport';
import { startCli, type CliProcess } from '../cli-cluster';
import { sleep } from '../wait';
import { clientFor } from './cluster-client';
import { NodeOutages } from './node-outages';
import { availability, createWorkload, nodeState, NODE_FAULT_NAMESPACE, type Availability } from './node-workload';
import { ResumablePodWatch } from './resumable-pod-watch';
import { StatefulSetIdentityChecker } from './statefulset-identity';

export const POLL_MS = 200;

export interface HarnessOptions {
  /** Worker nodes (`--nodes`); default 3. */
  workers?: number;
  /** tolerationSeconds of the Deployment and StatefulSet pods for the unreachable/not-ready taints; default 2. */
  tolerationSeconds?: number;
}

export class NodeFaultHarness {
  readonly t0 = performance.now();
  readonly outages = new NodeOutages();
  readonly checker = new StatefulSetIdentityChecker((node, at) => this.outages.down(node, at));
  /** Problems with the harness's own commands and watch (the scenario adds them to its violations). */
  readonly problems: string[] = [];
  workerNames: string[] = [];
  startupMs = 0;
  last: Availability | undefined;
  shortAtFirstPoll: string[] = [];
  private cliProcess: CliProcess | undefined;
  private apiClient: HttpsTransport | undefined;
  private watchClient: HttpsTransport | undefined;
  private podWatch: ResumablePodWatch | undefined;
  private readonly dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'kubelab-reliability-nodes-'));

  private constructor() {}

  now(): number {
    return performance.now() - this.t0;
  }

  get cli(): CliProcess {
    return this.cliProcess!;
  }

  get api(): HttpsTransport {
    return this.apiClient!;
  }

  get watch(): ResumablePodWatch {
    return this.podWatch!;
  }

  static async open(o: HarnessOptions = {}): Promise<NodeFaultHarness> {
    const h = new NodeFaultHarness();
    try {
      const args = ['--port', '0', '--dns-port', '0', '--ingress-port', '0', '--data-dir', h.dataDir, '--nodes', String(o.workers ?? 3), '--time-scale', '0.1'];
      h.cliProcess = await startCli(args, 120_000);
      h.apiClient = clientFor(h.cli.kubeconfig, { maxSockets: 8, userAgent: 'kubelab-reliability-nodes' });
      h.watchClient = clientFor(h.cli.kubeconfig, { maxSockets: 2, userAgent: 'kubelab-reliability-nodes-watch' });
      h.podWatch = new ResumablePodWatch(h.watchClient, NODE_FAULT_NAMESPACE, (ev, at) => h.checker.observe(ev, at), h.t0);
      await h.watch.start();
      await createWorkload(h.api, o.tolerationSeconds ?? 2);
      const startup = await h.settled([], 120_000);
      if (startup === undefined) throw new Error(`the workload did not become available within 120 s: ${h.last?.short.join(', ')}`);
      h.startupMs = startup;
      const listed = await h.cli.command('nodes', /\tworker\t[^\n]*\n/);
      h.workerNames = listed.split('\n').filter((l) => /\tworker\t/.test(l)).map((l) => l.split('\t')[0]);
      return h;
    } catch (e) {
      await h.close();
      throw e;
    }
  }

  async settled(nodes: string[], boundMs: number): Promise<number | undefined> {
    const from = this.now();
    let firstOk: number | undefined;
    for (let at = from; this.now() - from < boundMs; at = this.now()) {
      this.last = await availability(this.api);
      if (at === from) this.shortAtFirstPoll = this.last.short;
      const ok = this.last.ok && (await Promise.all(nodes.map((n) => nodeState(this.api, n)))).every((x) => x.ready);
      if (ok && firstOk !== undefined) return firstOk - from;
      firstOk = ok ? at : undefined;
      await sleep(POLL_MS);
    }
    return undefined;
  }

  private async command(line: string, ok: RegExp): Promise<void> {
    const out = await this.cli.command(line, new RegExp(`${ok.source}|^error: .*$`, 'm'), 30_000);
    if (!ok.test(out)) this.problems.push(`"${line}" answered: ${out.trim().slice(0, 300)}`);
  }

  /** `node stop NAME`; the outage counts from the answer. */
  async stopKubelet(name: string): Promise<void> {
    await this.command(`node stop ${name}`, new RegExp(`^node ${name} stopped`, 'm'));
    this.outages.stopped(name, this.now());
  }

  /** `node start NAME`; the outage ends when the command is typed. */
  async startKubelet(name: string): Promise<void> {
    this.outages.started(name, this.now());
    await this.command(`node start ${name}`, new RegExp(`^node ${name} started`, 'm'));
  }

  /** Ends the watch (checking it against a fresh list first when `verify`), kills the cluster, removes its data. */
  async close(verify = false): Promise<void> {
    try {
      if (verify && this.podWatch) {
        const diff = await this.watch.differsFromList().catch((e: Error) => `comparing the pod watch with a list failed: ${e.message}`);
        if (diff) this.problems.push(diff);
      }
      if (this.cliProcess && this.cliProcess.code !== undefined) this.problems.push(`the cluster process exited (code ${this.cliProcess.code})`);
    } finally {
      await this.podWatch?.stop();
      this.problems.push(...(this.podWatch?.errors ?? []));
      this.watchClient?.close();
      this.apiClient?.close();
      await this.cliProcess?.kill();
      fs.rmSync(this.dataDir, { recursive: true, force: true });
    }
  }
}
