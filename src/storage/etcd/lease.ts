/**
 * Lease calls over etcd: grant, revoke, one keep-alive, time-to-live. Lease ids stay decimal strings end to end.
 *
 * Contract: as the Store's. keepAlive opens a short LeaseKeepAlive stream, sends one request and waits for one
 * answer (a TTL of 0 or less means the lease is gone: 'lease-not-found'). A revoke retried after an ambiguous
 * failure that then finds no lease reports success (the first attempt revoked it).
 */
import { errors } from '../errors';
import { StoreError, type LeaseGrant, type LeaseId, type LeaseTimeToLive } from '../store';
import type { EtcdConnection } from './connection';
import { int, leaseId } from './convert';
import { compareKeys } from '../keys';
import { classify } from './error-map';

export async function leaseGrant(conn: EtcdConnection, ttlSeconds: number, id?: LeaseId): Promise<LeaseGrant> {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) throw errors.invalid(`lease TTL must be a positive whole number of seconds, got ${ttlSeconds}`);
  const wanted = id === undefined ? '0' : leaseId(id);
  if (id !== undefined && wanted === '0') throw errors.invalid('lease id 0 means "no lease"; leave id out to have one chosen');
  const { res } = await conn.call((o) => conn.lease.leaseGrant({ TTL: String(ttlSeconds), ID: wanted } as never, o));
  conn.noteHeader(res.header);
  if (res.error) throw new StoreError('io', `etcd: ${res.error}`);
  return { id: leaseId(res.ID), ttl: int(res.TTL) };
}

export async function leaseRevoke(conn: EtcdConnection, id: LeaseId): Promise<void> {
  const ID = leaseId(id);
  let ambiguous = false;
  const r = await conn.call(async (o) => {
    try {
      return await conn.lease.leaseRevoke({ ID } as never, o);
    } catch (e) {
      // a retry after an attempt that may have revoked it: gone now means revoked by that attempt
      if (ambiguous && e instanceof Error && e.message.includes('requested lease not found')) return undefined;
      if (classify(e).ambiguous) ambiguous = true;
      throw e;
    }
  });
  if (r.res) conn.noteHeader(r.res.header);
}

interface KeepAliveStream {
  write(msg: unknown): boolean;
  on(event: 'data', fn: (r: { ID: string; TTL: string }) => void): unknown;
  on(event: 'error', fn: (e: Error) => void): unknown;
  on(event: 'end', fn: () => void): unknown;
  removeAllListeners(): unknown;
  cancel(): void;
}

export async function leaseKeepAlive(conn: EtcdConnection, id: LeaseId): Promise<number> {
  const ID = leaseId(id);
  const { res } = await conn.call(async () => {
    const stream = await conn.openStream<KeepAliveStream>('Lease', 'leaseKeepAlive');
    try {
      return await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('DEADLINE_EXCEEDED: lease keep-alive got no answer')), conn.options.callTimeout);
        const done = (f: () => void) => {
          clearTimeout(timer);
          f();
        };
        stream.on('data', (r) => done(() => resolve(int(r.TTL))));
        stream.on('error', (e) => done(() => reject(e)));
        stream.on('end', () => done(() => reject(new Error('UNAVAILABLE: lease keep-alive stream ended'))));
        stream.write({ ID });
      });
    } finally {
      stream.removeAllListeners();
      stream.on('error', () => undefined);
      stream.cancel();
    }
  });
  if (res <= 0) throw errors.leaseNotFound();
  return res;
}

export async function leaseTimeToLive(conn: EtcdConnection, id: LeaseId, withKeys = false): Promise<LeaseTimeToLive> {
  const ID = leaseId(id);
  const { res } = await conn.call((o) => conn.lease.leaseTimeToLive({ ID, keys: withKeys } as never, o));
  conn.noteHeader(res.header);
  const keys = (res.keys ?? []).map((k: Buffer) => k.toString('utf8')).sort(compareKeys);
  return { id: ID, ttl: int(res.TTL), grantedTtl: int(res.grantedTTL), keys };
}
