/** kube-proxy's iptables mode (a model of the rules it programs) and the naming helpers tests and views use. */
export { IptablesMode, LARGE_CLUSTER_ENDPOINTS, type IptablesModeOptions } from './iptables-mode';
export { portProtoHash, servicePortEndpointChainName, ServiceChains, CHAIN_PREFIX } from './chain-names';
