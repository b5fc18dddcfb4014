/**
 * Real etcd clusters for the etcd backend's tests: one member or three, on free loopback ports, in a temporary
 * directory (under /dev/shm when it exists, so fsyncs are cheap). Members can be killed (SIGKILL) and restarted;
 * the leader is found through the maintenance Status call. `stop()` kills everything and removes the directory.
 *
 * `etcdSkipReason` is set (and tests must skip with it) when no etcd binary is on PATH.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { Etcd3 } from 'etcd3';
import { findKubectl } from './kubectl';

function findOnPath(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const p = path.join(dir, command);
    if (fs.existsSync(p)) return p;
  }
  return undefined;
}

/** The etcd binary (ETCD_BIN overrides PATH). */
export const etcdBinary: string | undefined = process.env.ETCD_BIN ?? findOnPath('etcd');
/** Why the etcd tests cannot run here, or undefined when they can. */
export const etcdSkipReason: string | undefined = etcdBinary
  ? undefined
  : 'no etcd binary on PATH (install etcd-server, or set ETCD_BIN)';

/** Ports this process handed out: the kernel may give a just-released port again, and two members must differ. */
const handedOut = new Set<number>();

export async function freePort(): Promise<number> {
  for (;;) {
    const port = await new Promise<number>((resolve, reject) => {
      const srv = net.createServer();
      srv.unref();
      srv.on('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    if (handedOut.has(port)) continue;
    handedOut.add(port);
    return port;
  }
}

export interface EtcdMember {
  name: string;
  clientUrl: string;
  peerUrl: string;
  dataDir: string;
  proc?: ChildProcess;
  /** The last lines etcd wrote (for failure messages). */
  log: string[];
}

export interface EtcdClusterOptions {
  members?: number;
  /** Extra etcd flags for every member. */
  flags?: string[];
  /** Raft timing (ms). Defaults: etcd's own (100 / 1000). */
  heartbeatMs?: number;
  electionMs?: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export class EtcdCluster {
  private constructor(
    readonly dir: string,
    readonly members: EtcdMember[],
    private readonly options: EtcdClusterOptions,
  ) {}

  /** Start a new cluster and wait until every member is healthy. */
  static async start(options: EtcdClusterOptions = {}): Promise<EtcdCluster> {
    if (!etcdBinary) throw new Error(etcdSkipReason);
    const base = fs.existsSync('/dev/shm') ? '/dev/shm' : os.tmpdir();
    const dir = fs.mkdtempSync(path.join(base, 'kubelab-etcd-'));
    const n = options.members ?? 1;
    const members: EtcdMember[] = [];
    for (let i = 0; i < n; i++) {
      const [cp, pp] = [await freePort(), await freePort()];
      members.push({
        name: `m${i + 1}`,
        clientUrl: `http://127.0.0.1:${cp}`,
        peerUrl: `http://127.0.0.1:${pp}`,
        dataDir: path.join(dir, `m${i + 1}`),
        log: [],
      });
    }
    const cluster = new EtcdCluster(dir, members, options);
    try {
      for (let i = 0; i < n; i++) cluster.spawnMember(i);
      await cluster.waitHealthy();
    } catch (e) {
      await cluster.stop();
      throw e;
    }
    return cluster;
  }

  get endpoints(): string[] {
    return this.members.map((m) => m.clientUrl);
  }

  private spawnMember(i: number): void {
    const m = this.members[i];
    const initialCluster = this.members.map((x) => `${x.name}=${x.peerUrl}`).join(',');
    const args = [
      '--name', m.name,
      '--data-dir', m.dataDir,
      '--listen-client-urls', m.clientUrl,
      '--advertise-client-urls', m.clientUrl,
      '--listen-peer-urls', m.peerUrl,
      '--initial-advertise-peer-urls', m.peerUrl,
      '--initial-cluster', initialCluster,
      '--initial-cluster-state', 'new',
      '--initial-cluster-token', path.basename(this.dir),
      '--heartbeat-interval', String(this.options.heartbeatMs ?? 100),
      '--election-timeout', String(this.options.electionMs ?? 1000),
      '--log-level', 'warn',
      ...(this.options.flags ?? []),
    ];
    const env = { ...process.env };
    if (process.arch !== 'x64' && process.arch !== 'arm64') env.ETCD_UNSUPPORTED_ARCH = process.arch;
    const proc = spawn(etcdBinary!, args, { stdio: ['ignore', 'ignore', 'pipe'], env });
    proc.stderr?.setEncoding('utf8');
    proc.stderr?.on('data', (chunk: string) => {
      m.log.push(...chunk.split('\n').filter(Boolean));
      if (m.log.length > 40) m.log.splice(0, m.log.length - 40);
    });
    m.proc = proc;
  }

  /** Whether member i answers /health with health true. */
  async healthy(i: number): Promise<boolean> {
    try {
      const res = await fetch(`${this.members[i].clientUrl}/health`, { signal: AbortSignal.timeout(1000) });
      const body = (await res.json()) as { health?: string };
      return body.health === 'true';
    } catch {
      return false;
    }
  }

  /** Wait until every running member (or those listed) is healthy. */
  async waitHealthy(which: number[] = this.running(), timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (const i of which) {
      while (!(await this.healthy(i))) {
        const m = this.members[i];
        if (m.proc?.exitCode !== null && m.proc?.exitCode !== undefined) {
          throw new Error(`etcd ${m.name} exited with ${m.proc.exitCode}: ${m.log.slice(-5).join('\n')}`);
        }
        if (Date.now() > deadline) throw new Error(`etcd ${m.name} not healthy after ${timeoutMs} ms: ${m.log.slice(-5).join('\n')}`);
        await sleep(25);
      }
    }
  }

  running(): number[] {
    return this.members.flatMap((m, i) => (m.proc && m.proc.exitCode === null && m.proc.signalCode === null ? [i] : []));
  }

  /** SIGKILL member i and wait for it to exit. */
  async kill(i: number): Promise<void> {
    const proc = this.members[i].proc;
    if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((resolve) => proc.once('exit', resolve));
    proc.kill('SIGKILL');
    await exited;
  }

  /** Freeze member i (SIGSTOP): it keeps its connections but answers nothing until resume(i). */
  pause(i: number): void {
    this.members[i].proc?.kill('SIGSTOP');
  }

  /** Let a paused member i run again (SIGCONT). */
  resume(i: number): void {
    this.members[i].proc?.kill('SIGCONT');
  }

  /** Start member i again on its data directory (it rejoins the cluster); waits until it is healthy. */
  async restart(i: number): Promise<void> {
    await this.kill(i);
    this.spawnMember(i);
    await this.waitHealthy([i]);
  }

  /** A client of one member only. */
  client(i: number): Etcd3 {
    return new Etcd3({ hosts: [this.members[i].clientUrl] });
  }

  /** Index of the current leader, asking the running members. */
  async leader(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      for (const i of this.running()) {
        const c = this.client(i);
        try {
          const s = await c.maintenance.status({ deadline: Date.now() + 1000 });
          if (s.leader !== '0' && s.leader === s.header.member_id) return i;
        } catch {
          // not answering: ask the next one
        } finally {
          c.close();
        }
      }
      if (Date.now() > deadline) throw new Error('no etcd leader');
      await sleep(50);
    }
  }

  /** The revision member i serves from its own store (serializable read: no leader round trip). */
  async memberRevision(i: number): Promise<number> {
    const c = this.client(i);
    try {
      const s = await c.maintenance.status({ deadline: Date.now() + 2000 });
      return Number(s.header.revision);
    } finally {
      c.close();
    }
  }

  /** Kill every member and remove the directory. */
  async stop(): Promise<void> {
    await Promise.all(this.members.map((_, i) => this.kill(i)));
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

/**
 * Fresh clusters on demand for suites that need an empty store per test: keeps `ahead` clusters starting in the
 * background so a test rarely waits for one.
 */
export class EtcdClusterPool {
  private readonly queue: Promise<EtcdCluster>[] = [];
  private closed = false;

  constructor(
    private readonly options: EtcdClusterOptions,
    private readonly ahead = 2,
  ) {}

  take(): Promise<EtcdCluster> {
    if (this.closed) throw new Error('pool closed');
    while (this.queue.length < this.ahead + 1) this.queue.push(EtcdCluster.start(this.options));
    const next = this.queue.shift()!;
    this.queue.push(EtcdCluster.start(this.options));
    return next;
  }

  async close(): Promise<void> {
    this.closed = true;
    const pending = this.queue.splice(0);
    await Promise.all(pending.map((p) => p.then((c) => c.stop(), () => undefined)));
  }
}

/** For tests that need both etcd and kubectl: skips `t` (saying why) and returns true when either is missing. */
export async function skipWithoutEtcdAndKubectl(t: { diagnostic(m: string): void; skip(m: string): void }): Promise<boolean> {
  const kubectl = await findKubectl();
  const skip = etcdSkipReason ?? (kubectl.ok ? undefined : kubectl.reason);
  if (!skip) return false;
  t.diagnostic(`skipping: ${skip}`);
  t.skip(skip);
  return true;
}
