/**
 * The cluster configuration the headless command runs with: the --config file (or the defaults), then the flags
 * over it. Throws ClusterConfigError (message names the file or `command line` and the field or flag).
 * `--etcd-endpoints` replaces the storage with that etcd (keeping a config's etcd TLS/auth settings);
 * `--etcd-grpc-port` with etcd storage (from either) is an error: the external etcd already serves that API.
 */
import { loadClusterConfigFile } from '../cluster/config/parse';
import { defaultClusterConfig } from '../cluster/config/defaults';
import { applyCliOverrides, configWarnings } from '../cluster/config/overrides';
import { ClusterConfigError, type LoadedClusterConfig } from '../cluster/config/types';
import type { CliOptions } from './args';

export function clusterConfigFromCli(
  opts: Pick<CliOptions, 'config' | 'port' | 'nodes' | 'timeScale' | 'proxyMode' | 'dnsPort' | 'ingressPort' | 'etcdEndpoints' | 'etcdGrpcPort'>,
): LoadedClusterConfig {
  const base = opts.config ? loadClusterConfigFile(opts.config).config : defaultClusterConfig();
  const config = applyCliOverrides(base, { port: opts.port, nodes: opts.nodes, timeScale: opts.timeScale, proxyMode: opts.proxyMode, dnsPort: opts.dnsPort, ingressPort: opts.ingressPort });
  if (opts.etcdEndpoints) {
    const kept = config.storage.type === 'etcd' ? config.storage : { type: 'etcd' as const };
    config.storage = { ...kept, endpoints: [...opts.etcdEndpoints] };
  }
  if (opts.etcdGrpcPort !== undefined && config.storage.type === 'etcd') {
    throw new ClusterConfigError(opts.config ?? 'command line', [
      `--etcd-grpc-port: the cluster stores its objects in an external etcd (storage.type: etcd), which already serves the etcd API at ${config.storage.endpoints.join(', ')}`,
    ]);
  }
  return { config, warnings: configWarnings(config) };
}
