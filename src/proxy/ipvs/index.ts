/** kube-proxy's ipvs mode (a model of the IPVS table and ipsets it programs). */
export { IpvsMode, type IpvsModeOptions } from './ipvs-mode';
export { IPVS_SCHEDULERS, DEFAULT_IPVS_SCHEDULER, ipvsScheduler, type IpvsScheduler } from './scheduler';
