import { randomBytes } from 'node:crypto';
import { errors } from '../errors';
import type { LeaseGrant, TxnRequest, TxnResult } from '../store';
import { sequencedAtCommit, StoreError } from '../store';
import type { WalBody, WalOp } from './mvcc-db';
import type { Overlay } from './overlay';
import { encodeWalRecord } from './raw-values';
import { evaluateTxn } from './txn-eval';

/** A write waiting for the commit pipeline. */
export type Job =
  | { kind: 'txn'; req: TxnRequest; done: Done<TxnResult>; onSequenced?: (result: TxnResult) => void }
  | { kind: 'grant'; id: string; ttl: number; done: Done<LeaseGrant> }
  | { kind: 'revoke'; id: string; done: Done<void> }
  | { kind: 'compact'; rev: number; done: Done<void> };

export interface Done<T> {
  resolve(value: T): void;
  reject(error: Error): void;
}

/** What evaluating a job produced: the WAL body to make durable (if any) and the answer to give once it is. */
export interface Evaluated {
  body?: WalBody;
  value?: unknown;
  error?: Error;
}

export const MAX_LEASE_TTL = 9_000_000_000;

/** A fresh positive int64 lease id as a decimal string. */
export function newLeaseId(taken: (id: string) => boolean): string {
  for (;;) {
    const id = (randomBytes(8).readBigUInt64BE() & 0x7fff_ffff_ffff_ffffn).toString();
    if (id !== '0' && !taken(id)) return id;
  }
}

/**
 * Evaluate one job against the overlay. `nextRev` is the revision a write would get; the caller advances its
 * counter when the returned body has ops.
 */
export function evaluateJob(job: Job, overlay: Overlay, batch: number, nextRev: number, current: { rev: number; compactRev: number }): Evaluated {
  switch (job.kind) {
    case 'txn': {
      const { body, result } = evaluateTxn(job.req, overlay, batch, nextRev);
      return { body, value: result };
    }
    case 'grant': {
      if (overlay.leaseTtl(job.id) !== undefined) throw new StoreError('invalid', 'etcdserver: lease already exists');
      overlay.setLease(job.id, job.ttl, batch);
      return { body: { lg: [job.id, job.ttl] }, value: { id: job.id, ttl: job.ttl } };
    }
    case 'revoke': {
      if (overlay.leaseTtl(job.id) === undefined) throw errors.leaseNotFound();
      const ops: WalOp[] = overlay.leaseKeys(job.id).map((k) => ['d', k]);
      for (const [, k] of ops) overlay.set(k, null, batch);
      overlay.setLease(job.id, null, batch);
      return { body: ops.length ? { r: nextRev, o: ops, lr: job.id } : { lr: job.id } };
    }
    case 'compact': {
      if (job.rev <= current.compactRev) throw errors.compacted(current.compactRev);
      if (job.rev > current.rev) throw errors.futureRevision();
      return { body: { c: job.rev } };
    }
  }
}

/** Jobs evaluated together, written by one WAL append. */
export interface Batch {
  id: number;
  jobs: Job[];
  results: Evaluated[];
  /** The WAL records of the jobs that write, until the append starts. */
  bufs: Buffer[];
}

/** The revision the next write gets, and the compaction revision, with every evaluated job counted. */
export interface Revisions {
  next: number;
  compact: number;
}

/** Evaluates `job` into `batch` (advancing `revs`); a txn that succeeded is told it is sequenced. */
export function addJob(batch: Batch, job: Job, overlay: Overlay, revs: Revisions): void {
  let ev: Evaluated;
  try {
    ev = evaluateJob(job, overlay, batch.id, revs.next, { rev: revs.next - 1, compactRev: revs.compact });
  } catch (e) {
    ev = { error: e as Error };
  }
  if (ev.body) {
    if (ev.body.o?.length) revs.next++;
    if (ev.body.c !== undefined) revs.compact = ev.body.c;
    batch.bufs.push(encodeWalRecord(ev.body));
  }
  batch.jobs.push(job);
  batch.results.push(ev);
  // Sequenced now: outcome and revision are fixed (the job is its own TxnOptions).
  if (job.kind === 'txn' && ev.value) sequencedAtCommit(ev.value as TxnResult, job);
}
