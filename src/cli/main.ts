import * as readline from 'node:readline';
import { createLogger, stderrSink } from '../base/logger';
import { startCluster, type RunningCluster } from '../cluster/main';
import { parseCli, USAGE } from './args';
import { clusterConfigFromCli } from './cluster-config';
import { LiveSource } from './live-source';
import { NODE_COMMANDS_HELP, parseNodeCommand, type NodeCommand } from './node-commands';
import { etcdApiLine } from './etcd-api-line';
import { renderProgress, renderStatus } from './status-view';

/**
 * The headless command: loads the ClusterConfig (file and flags), starts the whole cluster in the foreground with
 * live progress, then shows a compact live status (nodes, pods by phase, last events) and takes node commands on
 * stdin until Ctrl-C, when it stops everything cleanly.
 */
async function runCommand(cluster: RunningCluster, cmd: NodeCommand): Promise<string> {
  switch (cmd.kind) {
    case 'none':
      return '';
    case 'help':
      return NODE_COMMANDS_HELP;
    case 'nodes':
      return cluster.nodes
        .list()
        .map((n) => `${n.name}\t${n.role}\t${n.state}\t${n.pods} pods\t${n.runtime}`)
        .join('\n');
    case 'node-add': {
      const capacity: Record<string, string> = {};
      if (cmd.cpu) capacity.cpu = cmd.cpu;
      if (cmd.memory) capacity.memory = cmd.memory;
      return `node ${await cluster.nodes.add({ name: cmd.name, capacity })} added`;
    }
    case 'node-stop':
      await cluster.nodes.stop(cmd.name);
      return `node ${cmd.name} stopped (its kubelet no longer reports)`;
    case 'node-start':
      await cluster.nodes.start(cmd.name);
      return `node ${cmd.name} started`;
    case 'node-remove':
      await cluster.nodes.remove(cmd.name);
      return `node ${cmd.name} removed`;
  }
}

async function main(): Promise<number> {
  let opts;
  let loaded;
  try {
    opts = parseCli(process.argv.slice(2));
    if (opts.help) {
      process.stdout.write(`${USAGE}\n`);
      return 0;
    }
    loaded = clusterConfigFromCli(opts);
  } catch (e) {
    process.stderr.write(`kubelab: ${(e as Error).message}\n`);
    return 2;
  }
  for (const w of loaded.warnings) process.stderr.write(`kubelab: warning: ${w}\n`);
  const logLevel = process.env.KUBELAB_LOG === 'debug' ? 'debug' : 'info';
  const logger = createLogger(stderrSink, logLevel);
  const tty = process.stdout.isTTY === true;
  const width = () => process.stdout.columns ?? 100;
  const done: string[] = [];
  let cluster: RunningCluster;
  try {
    cluster = await startCluster({
      dataDir: opts.dataDir,
      port: opts.port,
      logger,
      logLevel,
      config: loaded.config,
      // The nodes remembered from the last run come back, unless --config or --nodes now asks for other ones.
      resumeNodes: opts.config === undefined && opts.nodes === undefined ? true : 'unless-changed',
      ...(opts.etcdGrpcPort !== undefined ? { etcdGrpc: { port: opts.etcdGrpcPort, allowRegistryWrites: !!opts.etcdAllowRegistryWrites } } : {}),
      onProgress: (step) => {
        process.stdout.write(`${renderProgress(step, done, width())}\n`);
        done.push(step);
      },
    });
  } catch (e) {
    process.stderr.write(`kubelab: cannot start: ${(e as Error).message}\n`);
    return 1;
  }
  const ports = cluster.addonPorts();
  const addons =
    (ports.dns ? `Cluster DNS: 127.0.0.1:${ports.dns}   (dig @127.0.0.1 -p ${ports.dns} kubernetes.default.svc.cluster.local)\n` : '') +
    (ports.ingress ? `Ingress:     http://127.0.0.1:${ports.ingress}/   (IngressClass kubelab)\n` : '') +
    cluster.addonProblems.map((p) => `warning: ${p}\n`).join('') +
    (cluster.etcdApi ? `${etcdApiLine(cluster.etcdApi)}\n` : '');
  process.stdout.write(
    `KubeLab is running with data in ${cluster.dataDir}\n\nAPI server: ${cluster.url}\nKubeconfig: ${cluster.kubeconfig}\n${addons}\n  export KUBECONFIG=${cluster.kubeconfig}\n  kubectl get nodes\n\n` +
      `Type "help" for node commands. Press Ctrl-C to stop.\n`,
  );
  const live = new LiveSource(cluster, logger);
  let lastShown = 0;
  const show = () => {
    const lines = renderStatus(live.snapshot(), width());
    if (tty && lastShown) process.stdout.write(`\x1b[${lastShown}A\x1b[0J`);
    process.stdout.write(`${lines.join('\n')}\n`);
    lastShown = tty ? lines.length : 0;
  };
  const timer = setInterval(show, tty ? 2000 : 30_000);
  setTimeout(show, 1000).unref();
  const rl = readline.createInterface({ input: process.stdin, terminal: false });
  rl.on('line', (line) => {
    const parsed = parseNodeCommand(line);
    lastShown = 0;
    if (!parsed.ok) {
      process.stdout.write(`${parsed.error}\n`);
      return;
    }
    runCommand(cluster, parsed.command).then(
      (out) => out && process.stdout.write(`${out}\n`),
      (e: Error) => process.stdout.write(`error: ${e.message}\n`),
    );
  });
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  rl.close();
  live.stop();
  process.stdout.write('Stopping…\n');
  await cluster.close();
  process.stdout.write('Stopped; everything is flushed.\n');
  return 0;
}

main().then((code) => process.exit(code));
