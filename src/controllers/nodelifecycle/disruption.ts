/**
 * Zone disruption handling (upstream nodelifecycle handleDisruption), as a planner over the controller's zone
 * states: given the Ready statuses of each zone's nodes this pass, it updates `zoneStates` in place and says which
 * zone eviction rates change and whether the cluster enters or leaves "master disruption mode" (every zone fully
 * disrupted: the controller stops all tainting and removes the NoExecute taints it placed; on leaving, every node's
 * probe time is reset so none is judged on the outage).
 */
import { computeZoneState, zoneQPS, type EvictionRates, type ZoneState } from './zones';

export interface DisruptionPlan {
  mode: 'enterFullDisruption' | 'exitFullDisruption' | 'perZone' | 'unchanged';
  /** New rates for zone tainting queues. */
  rates: { zone: string; qps: number }[];
}

export function planDisruption(
  zoneStates: Map<string, ZoneState>,
  zoneReady: ReadonlyMap<string, readonly (string | undefined)[]>,
  unhealthyZoneThreshold: number,
  r: EvictionRates,
): DisruptionPlan {
  const next = new Map<string, ZoneState>();
  let allAreFull = true;
  for (const [zone, statuses] of zoneReady) {
    const { state } = computeZoneState(statuses, unhealthyZoneThreshold);
    if (state !== 'FullDisruption') allAreFull = false;
    next.set(zone, state);
    if (!zoneStates.has(zone)) zoneStates.set(zone, 'Initial');
  }
  let allWereFull = true;
  for (const [zone, state] of [...zoneStates]) {
    if (!zoneReady.has(zone)) {
      zoneStates.delete(zone);
      continue;
    }
    if (state !== 'FullDisruption') {
      allWereFull = false;
      break;
    }
  }
  if (allAreFull && allWereFull) return { mode: 'unchanged', rates: [] };
  const size = (zone: string) => zoneReady.get(zone)?.length ?? 0;
  if (allAreFull) {
    const rates = [...zoneStates.keys()].map((zone) => ({ zone, qps: 0 }));
    for (const zone of zoneStates.keys()) zoneStates.set(zone, 'FullDisruption');
    return { mode: 'enterFullDisruption', rates };
  }
  const rates: { zone: string; qps: number }[] = [];
  for (const [zone, state] of [...zoneStates]) {
    const s = next.get(zone);
    if (s === undefined) {
      zoneStates.delete(zone);
      continue;
    }
    if (!allWereFull && state === s) continue;
    rates.push({ zone, qps: zoneQPS(s, size(zone), r) });
    zoneStates.set(zone, s);
  }
  return { mode: allWereFull ? 'exitFullDisruption' : 'perZone', rates };
}
