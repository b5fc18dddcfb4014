/**
 * The message of upstream's FitError when preemption finds no candidate: `0/N nodes are available: ` followed by
 * the reasons of every node's status counted and sorted as strings (`2 Insufficient cpu, 1 Preemption is not
 * helpful for scheduling`), nodes without a status counting as "Preemption is not helpful for scheduling", and a
 * final period.
 */
import type { Status } from '../../framework';

export const PREEMPTION_NOT_HELPFUL = 'Preemption is not helpful for scheduling';

export function fitErrorMessage(numAllNodes: number, statuses: ReadonlyMap<string, Status>): string {
  const reasons = new Map<string, number>();
  for (const s of statuses.values()) for (const r of s.reasons) reasons.set(r, (reasons.get(r) ?? 0) + 1);
  if (statuses.size < numAllNodes) reasons.set(PREEMPTION_NOT_HELPFUL, (reasons.get(PREEMPTION_NOT_HELPFUL) ?? 0) + numAllNodes - statuses.size);
  let msg = `0/${numAllNodes} nodes are available:`;
  const parts = [...reasons].map(([r, n]) => `${n} ${r}`).sort();
  if (parts.length) msg += ` ${parts.join(', ')}.`;
  return msg;
}
