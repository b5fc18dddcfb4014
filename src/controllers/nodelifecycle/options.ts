/**
 * The node lifecycle controller's settings (kube-controller-manager flags, 1.32 defaults): --node-monitor-period 5s,
 * --node-monitor-grace-period 50s (40s before 1.32), --node-startup-grace-period 60s, --node-eviction-rate 0.1,
 * --secondary-node-eviction-rate 0.01, --large-cluster-size-threshold 50, --unhealthy-zone-threshold 0.55.
 */
import type { EvictionRates } from './zones';

export interface NodeLifecycleOptions extends EvictionRates {
  nodeMonitorPeriodMs: number;
  nodeMonitorGracePeriodMs: number;
  nodeStartupGracePeriodMs: number;
  unhealthyZoneThreshold: number;
}

export const DEFAULT_NODE_LIFECYCLE_OPTIONS: Readonly<NodeLifecycleOptions> = {
  nodeMonitorPeriodMs: 5_000,
  nodeMonitorGracePeriodMs: 50_000,
  nodeStartupGracePeriodMs: 60_000,
  evictionLimiterQPS: 0.1,
  secondaryEvictionLimiterQPS: 0.01,
  largeClusterThreshold: 50,
  unhealthyZoneThreshold: 0.55,
};
