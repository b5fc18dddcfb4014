import { createLogger, stderrSink } from '../base/logger';
import { startCluster } from '../cluster/main';
import { parseCli, USAGE } from './args';

/** The headless command: starts the cluster in the foreground, shows its status, stops cleanly on Ctrl-C. */
async function main(): Promise<number> {
  let opts;
  try {
    opts = parseCli(process.argv.slice(2));
  } catch (e) {
    process.stderr.write(`kubelab: ${(e as Error).message}\n`);
    return 2;
  }
  if (opts.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const logger = createLogger(stderrSink, process.env.KUBELAB_LOG === 'debug' ? 'debug' : 'info');
  let cluster;
  try {
    cluster = await startCluster({ dataDir: opts.dataDir, port: opts.port, logger });
  } catch (e) {
    process.stderr.write(`kubelab: cannot start: ${(e as Error).message}\n`);
    return 1;
  }
  const s = cluster.status();
  process.stdout.write(
    `KubeLab is running with data in ${cluster.dataDir}\n` +
      s.components.map((c) => `  ${c.state === 'running' ? '●' : '○'} ${c.name}${c.state === 'running' ? '' : c.state === 'off' ? ' (off)' : ' (not built yet)'}`).join('\n') +
      `\n\nAPI server: ${cluster.url}\nKubeconfig: ${cluster.kubeconfig}\n\n  export KUBECONFIG=${cluster.kubeconfig}\n  kubectl get namespaces\n\nPress Ctrl-C to stop.\n`,
  );
  const timer = setInterval(() => {
    const st = cluster.status().store;
    process.stdout.write(`  store: revision ${st.revision}, ${st.keys} keys, WAL ${(st.walBytes / 1024).toFixed(0)} KiB\n`);
  }, 30_000);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  clearInterval(timer);
  process.stdout.write('Stopping…\n');
  await cluster.close();
  process.stdout.write('Stopped; everything is flushed.\n');
  return 0;
}

main().then((code) => process.exit(code));
