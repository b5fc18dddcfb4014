/**
 * The cluster configuration the headless command runs with: the --config file (or the defaults), then the flags
 * over it. Throws ClusterConfigError (message names the file or `command line` and the field or flag).
 */
import { loadClusterConfigFile } from '../cluster/config/parse';
import { defaultClusterConfig } from '../cluster/config/defaults';
import { applyCliOverrides, configWarnings } from '../cluster/config/overrides';
import type { LoadedClusterConfig } from '../cluster/config/types';
import type { CliOptions } from './args';

export function clusterConfigFromCli(opts: Pick<CliOptions, 'config' | 'port' | 'nodes' | 'timeScale' | 'proxyMode' | 'dnsPort' | 'ingressPort'>): LoadedClusterConfig {
  const base = opts.config ? loadClusterConfigFile(opts.config).config : defaultClusterConfig();
  const config = applyCliOverrides(base, { port: opts.port, nodes: opts.nodes, timeScale: opts.timeScale, proxyMode: opts.proxyMode, dnsPort: opts.dnsPort, ingressPort: opts.ingressPort });
  return { config, warnings: configWarnings(config) };
}
