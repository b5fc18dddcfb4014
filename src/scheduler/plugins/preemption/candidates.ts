/**
 * Preemption candidates (upstream framework/preemption Candidate, candidateList, pickOneNodeForPreemption): a node
 * the preemptor could run on once `victims` are gone, with how many PodDisruptionBudgets that would violate.
 * `CandidateList` keeps at most `capacity` entries (later adds are dropped, as upstream's fixed array).
 * `pickOneNodeForPreemption` applies upstream's criteria in order, each only to break the previous one's ties:
 * fewest PDB violations, lowest highest-victim priority, smallest sum of (priority + 2^31), fewest victims,
 * latest start of the highest-priority victims, then the first candidate. Victims are sorted most important first.
 */
import type { Pod } from '../../framework';
import { earliestPodStartTime, podPriority } from './pod-order';

export interface Candidate {
  name: string;
  victims: Pod[];
  numPDBViolations: number;
}

export class CandidateList {
  readonly items: Candidate[] = [];

  constructor(readonly capacity: number) {}

  add(c: Candidate): void {
    if (this.items.length < this.capacity) this.items.push(c);
  }

  get size(): number {
    return this.items.length;
  }
}

const INT32_OFFSET = 2 ** 31;

export function pickOneNodeForPreemption(candidates: readonly Candidate[], now: number): string {
  if (candidates.length === 0) return '';
  const scoreFuncs: ((c: Candidate) => number)[] = [
    (c) => -c.numPDBViolations,
    (c) => -podPriority(c.victims[0]),
    (c) => -c.victims.reduce((s, p) => s + podPriority(p) + INT32_OFFSET, 0),
    (c) => -c.victims.length,
    (c) => earliestPodStartTime(c.victims, now) ?? Number.MIN_SAFE_INTEGER,
  ];
  let all = [...candidates];
  for (const f of scoreFuncs) {
    let max = -Infinity;
    let selected: Candidate[] = [];
    for (const c of all) {
      const s = f(c);
      if (s > max) {
        max = s;
        selected = [];
      }
      if (s === max) selected.push(c);
    }
    if (selected.length === 1) return selected[0].name;
    all = selected;
  }
  return all[0].name;
}
