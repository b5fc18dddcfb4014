/**
 * The ClusterConfig package: the resolved config type, its loader (YAML file, text or object), the defaults, and
 * the changes made after loading (command-line overrides, workers added or removed at runtime).
 */
export * from './types';
export { parseClusterConfig, loadClusterConfigFile, type ParseOptions } from './parse';
export { defaultClusterConfig, workerName, nextWorkerName } from './defaults';
export { applyCliOverrides, addWorker, removeWorker, configWarnings, type CliOverrides, type AddWorkerOptions } from './overrides';
export { PROXY_MODES, DEFAULT_DNS_PORT, DEFAULT_INGRESS_PORT, type ProxyModeSetting, type KubeProxySettings, type AddonSettings } from './networking';
