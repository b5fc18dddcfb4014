/**
 * What an error from etcd (or from gRPC on the way) means for the Store: the StoreError it becomes, and whether the
 * call may be retried (`retryable`) and whether the request may already have been applied (`ambiguous`).
 *
 * etcd's messages are matched by their text (etcd3 drops the gRPC status code but keeps the message, and names the
 * error class after it: GRPCUnavailableError, GRPCDeadlineExceededError, …).
 */
import { errors } from '../errors';
import { StoreError } from '../store';

export interface ErrorClass {
  /** Worth another attempt (possibly on another member). */
  retryable: boolean;
  /** The request may have been applied before the error (a write must be checked before it is retried). */
  ambiguous: boolean;
}

/** etcd errors that say the request was not applied: try again, maybe elsewhere. */
const NOT_APPLIED = [
  'etcdserver: no leader',
  'etcdserver: not capable',
  'etcdserver: too many requests',
  'etcdserver: server stopped',
  'etcdserver: unhealthy cluster',
  'etcdserver: leader changed',
  'raft proposal dropped',
  'etcdserver: too many requests',
  'connect ECONNREFUSED',
  'No connection established',
  'failed to connect',
];

/** etcd errors after which a write may still commit (the proposal was accepted but not seen applied in time). */
const MAY_APPLY = [
  'etcdserver: request timed out',
  'etcdserver: request timed out, possibly due to previous leader failure',
  'etcdserver: request timed out, possibly due to connection lost',
];

function nameOf(e: unknown): string {
  return e instanceof Error ? e.constructor.name : '';
}

export function messageOf(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** Our marker for "this host is resting after failures": nothing was sent. */
export class HostRestingError extends Error {
  constructor(host: string) {
    super(`etcd member ${host} failed recently; trying another`);
    this.name = 'HostRestingError';
  }
}

export function classify(e: unknown): ErrorClass {
  if (e instanceof StoreError) return { retryable: false, ambiguous: false };
  if (e instanceof HostRestingError) return { retryable: true, ambiguous: false };
  const msg = messageOf(e);
  if (MAY_APPLY.some((m) => msg.includes(m))) return { retryable: true, ambiguous: true };
  if (NOT_APPLIED.some((m) => msg.includes(m))) return { retryable: true, ambiguous: false };
  const name = nameOf(e);
  if (name === 'GRPCDeadlineExceededError' || /DEADLINE_EXCEEDED|Deadline exceeded/i.test(msg)) return { retryable: true, ambiguous: true };
  if (name === 'GRPCUnavailableError' || name === 'GRPCCancelledError' || name === 'GRPCInternalError' || /\bUNAVAILABLE\b/.test(msg)) {
    return { retryable: true, ambiguous: true };
  }
  if (name === 'ClientClosedError') return { retryable: false, ambiguous: false };
  return { retryable: false, ambiguous: false };
}

/** The StoreError for an error etcd answered with (etcd's own words kept where the Store has a code for them). */
export function toStoreError(e: unknown): StoreError {
  if (e instanceof StoreError) return e;
  const msg = messageOf(e);
  if (msg.includes('required revision has been compacted')) return errors.compacted(0);
  if (msg.includes('required revision is a future revision')) return errors.futureRevision();
  if (msg.includes('requested lease not found')) return errors.leaseNotFound();
  if (msg.includes('duplicate key given in txn request')) return errors.duplicateKey();
  if (msg.includes('too many operations in txn request')) return errors.tooManyOps();
  if (msg.includes('key is not provided')) return errors.emptyKey();
  if (msg.includes('request is too large') || /RESOURCE_EXHAUSTED|larger than max/.test(msg)) {
    return new StoreError('too-large', msg.replace(/^\w+Error: /, ''));
  }
  if (nameOf(e) === 'ClientClosedError') return errors.closed();
  return new StoreError('io', `etcd: ${msg.replace(/^\w+Error: /, '')}`);
}

/** Whether the error is gRPC refusing a response for its size (the range must be read in smaller pages). */
export function isMessageTooLarge(e: unknown): boolean {
  return /RESOURCE_EXHAUSTED|larger than max|Received message larger/i.test(messageOf(e)) && !messageOf(e).includes('too many requests');
}
