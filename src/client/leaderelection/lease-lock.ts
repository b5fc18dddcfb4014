/**
 * LeaseLock (client-go resourcelock.LeaseLock): the leader election record kept in the spec of one
 * coordination.k8s.io/v1 Lease, read and written over a Transport.
 * - `get` reads the Lease and remembers it; `create` creates it (metadata: name and namespace only);
 *   `update` PUTs the remembered Lease (its resourceVersion included, so a concurrent writer makes it fail with
 *   409 Conflict) with the spec replaced by the record, and remembers the answer.
 * - `recordEvent(s)` emits a Normal `LeaderElection` event "<identity> <s>" about the remembered Lease.
 * Any non-2xx answer (or a transport failure) throws a LockError carrying the Status code, reason and message.
 */
import type { EventRecorder } from '../events';
import type { Transport } from '../transport';
import { leaseSpecToRecord, recordBytes, recordToLeaseSpec, type LeaderElectionRecord } from './record';

export class LockError extends Error {
  constructor(
    message: string,
    /** HTTP status (0: the request never got an answer). */
    readonly code: number,
    readonly reason: string,
  ) {
    super(message);
    this.name = 'LockError';
  }
}

export const isLockNotFound = (e: unknown): boolean => e instanceof LockError && e.code === 404;
export const isLockConflict = (e: unknown): boolean => e instanceof LockError && e.code === 409;

/** What the elector needs from a lock (client-go resourcelock.Interface). */
export interface ResourceLock {
  /** The record and its canonical bytes; throws LockError (404 when there is no lock object). */
  get(): Promise<{ record: LeaderElectionRecord; raw: string }>;
  create(record: LeaderElectionRecord): Promise<void>;
  update(record: LeaderElectionRecord): Promise<void>;
  recordEvent(s: string): void;
  /** `<namespace>/<name>`, for log lines. */
  describe(): string;
  identity(): string;
}

export interface LeaseLockOptions {
  transport: Transport;
  namespace: string;
  name: string;
  identity: string;
  /** Where `LeaderElection` events go; none: no events. */
  recorder?: EventRecorder;
}

type Lease = Record<string, unknown> & { metadata?: Record<string, unknown> };

export class LeaseLock implements ResourceLock {
  private lease: Lease | undefined;

  constructor(private readonly o: LeaseLockOptions) {}

  private get base(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.o.namespace)}/leases`;
  }

  async get(): Promise<{ record: LeaderElectionRecord; raw: string }> {
    const lease = await this.call({ method: 'GET', path: `${this.base}/${encodeURIComponent(this.o.name)}` });
    this.lease = lease;
    const record = leaseSpecToRecord(lease.spec);
    return { record, raw: recordBytes(record) };
  }

  async create(record: LeaderElectionRecord): Promise<void> {
    this.lease = await this.call({
      method: 'POST',
      path: this.base,
      body: { apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: { name: this.o.name, namespace: this.o.namespace }, spec: recordToLeaseSpec(record) },
    });
  }

  async update(record: LeaderElectionRecord): Promise<void> {
    const cur = this.lease;
    if (!cur) throw new LockError('lease not initialized, call get or create first', 0, '');
    const body = { ...cur, apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', spec: recordToLeaseSpec(record) };
    this.lease = await this.call({ method: 'PUT', path: `${this.base}/${encodeURIComponent(this.o.name)}`, body });
  }

  recordEvent(s: string): void {
    const r = this.o.recorder;
    if (!r) return;
    const meta = this.lease?.metadata ?? { name: this.o.name, namespace: this.o.namespace };
    r.eventf({ apiVersion: 'coordination.k8s.io/v1', kind: 'Lease', metadata: meta }, 'Normal', 'LeaderElection', '%v %v', this.o.identity, s);
  }

  describe(): string {
    return `${this.o.namespace}/${this.o.name}`;
  }

  identity(): string {
    return this.o.identity;
  }

  private async call(req: Parameters<Transport['request']>[0]): Promise<Lease> {
    let res;
    try {
      res = await this.o.transport.request(req);
    } catch (e) {
      throw new LockError(e instanceof Error ? e.message : String(e), 0, '');
    }
    const body = (res.body && typeof res.body === 'object' ? res.body : {}) as Record<string, unknown>;
    if (res.status >= 200 && res.status < 300) return body as Lease;
    const message = typeof body.message === 'string' ? body.message : typeof res.body === 'string' ? res.body : `the server responded with status ${res.status}`;
    throw new LockError(message, res.status, typeof body.reason === 'string' ? body.reason : '');
  }
}
