/**
 * The kubelet's pod status: generatePodStatus (the API status from the pod worker's view), podQOSClass, and the
 * StatusManager that writes statuses through pods/status and deletes pods once they are terminated.
 */
export { generatePodStatus, DEFAULT_RUNTIME_NAME, type GenerateOptions } from './generate';
export { podQOSClass, computePodQOS } from './qos';
export { StatusManager, STATUS_SYNC_PERIOD_MS, type StatusManagerOptions } from './status-manager';
export type { ApiContainerStatus, ContainerState, PodCondition, PodPhase, PodStatus, QOSClass } from './types';
