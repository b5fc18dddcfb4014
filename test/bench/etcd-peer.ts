/**
 * Starts one real etcd member on loopback (random free ports, temp data dir) for a benchmark to compare against.
 * The member is killed by stop(), and on SIGINT/SIGTERM of the benchmark process.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { Etcd3 } from 'etcd3';
import { freePort, progress, removeDir, tempDir } from './util';

export interface EtcdPeer {
  name: string;
  endpoint: string;
  client: Etcd3;
  stop(): Promise<void>;
}

/** The etcd binary on PATH, or undefined. */
export function findEtcd(): string | undefined {
  const r = spawnSync('sh', ['-c', 'command -v etcd'], { encoding: 'utf8' });
  const p = r.stdout.trim();
  return r.status === 0 && p ? p : undefined;
}

export function etcdVersion(bin: string): string {
  const r = spawnSync(bin, ['--version'], { encoding: 'utf8' });
  const m = /etcd Version:\s*(\S+)/.exec(r.stdout ?? '');
  return m ? m[1] : 'unknown';
}

export async function startEtcd(bin: string): Promise<EtcdPeer> {
  const version = etcdVersion(bin);
  const dataDir = tempDir('etcd');
  const clientPort = await freePort();
  let peerPort = await freePort();
  while (peerPort === clientPort) peerPort = await freePort();
  const clientUrl = `http://127.0.0.1:${clientPort}`;
  const peerUrl = `http://127.0.0.1:${peerPort}`;
  const args = [
    '--name', 'bench',
    '--data-dir', dataDir,
    '--listen-client-urls', clientUrl,
    '--advertise-client-urls', clientUrl,
    '--listen-peer-urls', peerUrl,
    '--initial-advertise-peer-urls', peerUrl,
    '--initial-cluster', `bench=${peerUrl}`,
    '--initial-cluster-token', `kubelab-bench-${process.pid}`,
    '--initial-cluster-state', 'new',
    '--logger', 'zap',
    '--log-level', 'error',
  ];
  progress(`starting etcd ${version}: ${bin} on ${clientUrl} (data ${dataDir})`);
  const child: ChildProcess = spawn(bin, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  let exited = false;
  const exitedP = new Promise<void>((resolve) => child.once('exit', () => { exited = true; resolve(); }));

  const kill = (): void => {
    if (!exited && child.pid) {
      try {
        child.kill('SIGKILL');
      } catch {
        /* already gone */
      }
    }
  };
  const onSignal = (sig: NodeJS.Signals): void => {
    kill();
    removeDir(dataDir);
    process.stderr.write(`\n${sig}: etcd member stopped\n`);
    process.exit(sig === 'SIGINT' ? 130 : 143);
  };
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const onExit = (): void => kill();
  process.once('exit', onExit);

  const client = new Etcd3({
    hosts: clientUrl,
    // A 10k-key range of 1 KiB values is ~10.6 MB; gRPC refuses responses over 4 MiB by default.
    grpcOptions: { 'grpc.max_receive_message_length': 256 * 1024 * 1024 },
  });

  const stop = async (): Promise<void> => {
    process.removeListener('SIGINT', onSignal);
    process.removeListener('SIGTERM', onSignal);
    process.removeListener('exit', onExit);
    try {
      client.close();
    } catch {
      /* ignore */
    }
    if (!exited) {
      child.kill('SIGTERM');
      const t = setTimeout(kill, 3000);
      await exitedP;
      clearTimeout(t);
    }
    removeDir(dataDir);
  };

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (exited) {
      await stop();
      throw new Error(`etcd exited during startup: ${stderr.trim()}`);
    }
    try {
      await client.get('/kubelab-bench-probe').string();
      break;
    } catch (err) {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`etcd did not become ready within 20 s: ${String(err)} ${stderr.trim()}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  progress('etcd ready');
  return { name: `etcd ${version} (1 member, loopback)`, endpoint: clientUrl, client, stop };
}
