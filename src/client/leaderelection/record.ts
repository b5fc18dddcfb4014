/**
 * The leader election record (client-go resourcelock.LeaderElectionRecord) and its mapping to and from a
 * coordination.k8s.io/v1 Lease spec, as client-go's LeaseLock does it: every field is written (holderIdentity even
 * when empty, as on release), acquireTime and renewTime as MicroTime (RFC 3339 with microseconds). Times are kept
 * in milliseconds since the epoch. `recordBytes` is the record's canonical JSON, what the elector compares to tell
 * whether the record changed since it last looked.
 */

export interface LeaderElectionRecord {
  /** '' when nobody holds the lease (never acquired, or released). */
  holderIdentity: string;
  leaseDurationSeconds: number;
  /** Milliseconds since the epoch (0: unset). */
  acquireTime: number;
  renewTime: number;
  leaderTransitions: number;
}

export const EMPTY_RECORD: LeaderElectionRecord = Object.freeze({ holderIdentity: '', leaseDurationSeconds: 0, acquireTime: 0, renewTime: 0, leaderTransitions: 0 });

/** MicroTime as the API serialises it: `2026-01-01T00:00:00.123000Z`. */
export function microTime(ms: number): string {
  return new Date(ms).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}

/** Parses an RFC 3339 time (with or without fraction) to milliseconds; 0 when absent or unparsable. */
export function parseTime(v: unknown): number {
  if (typeof v !== 'string' || v === '') return 0;
  // Date.parse handles at most millisecond fractions reliably: cut longer ones.
  const t = Date.parse(v.replace(/(\.\d{3})\d+/, '$1'));
  return Number.isNaN(t) ? 0 : t;
}

const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : 0);

/** client-go LeaseSpecToLeaderElectionRecord: absent fields read as zero values. */
export function leaseSpecToRecord(spec: unknown): LeaderElectionRecord {
  const s = (spec && typeof spec === 'object' ? spec : {}) as Record<string, unknown>;
  return {
    holderIdentity: typeof s.holderIdentity === 'string' ? s.holderIdentity : '',
    leaseDurationSeconds: num(s.leaseDurationSeconds),
    acquireTime: parseTime(s.acquireTime),
    renewTime: parseTime(s.renewTime),
    leaderTransitions: num(s.leaseTransitions),
  };
}

/** client-go LeaderElectionRecordToLeaseSpec: all five fields, times as MicroTime. */
export function recordToLeaseSpec(r: LeaderElectionRecord): Record<string, unknown> {
  return {
    holderIdentity: r.holderIdentity,
    leaseDurationSeconds: r.leaseDurationSeconds,
    acquireTime: microTime(r.acquireTime),
    renewTime: microTime(r.renewTime),
    leaseTransitions: r.leaderTransitions,
  };
}

/** The record's canonical JSON (field order fixed), for "has it changed since I last saw it". */
export function recordBytes(r: LeaderElectionRecord): string {
  return JSON.stringify([r.holderIdentity, r.leaseDurationSeconds, r.acquireTime, r.renewTime, r.leaderTransitions]);
}
