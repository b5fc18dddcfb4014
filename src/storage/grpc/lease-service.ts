/**
 * etcd's Lease service over a Store: LeaseGrant, LeaseRevoke, LeaseKeepAlive (stream), LeaseTimeToLive, LeaseLeases.
 *
 * As etcd: a TTL above 9,000,000,000 s fails with "too large lease TTL"; a TTL below etcd's minimum (2 s with the
 * default election timeout) is raised to it; a keep-alive of an unknown lease answers TTL 0 (not an error);
 * TimeToLive of an unknown lease answers TTL -1. Revoking a lease that holds /registry/ keys is a write to them
 * (refused unless allowed).
 * LeaseLeases: the Store cannot list leases, so this lists the live leases granted through this endpoint plus every
 * live lease attached to a key; a lease granted directly on the Store and holding no key is missing.
 */
import type * as grpc from '@grpc/grpc-js';
import { StoreError, type LeaseId, type Store } from '../store';
import { int64Number, leaseIdOf } from './codec';
import { etcdError, etcdErrors, toGrpcError } from './grpc-error';
import { unary } from './handlers';
import { header } from './header';
import { guardRegistry, isRegistryKey } from './registry-guard';

export const MAX_LEASE_TTL = 9_000_000_000;
export const MIN_LEASE_TTL = 2;

type Int64 = string | number;

export interface LeaseServiceOptions {
  allowRegistryWrites: boolean;
}

function compareIds(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function leaseService(store: Store, options: LeaseServiceOptions): Record<string, grpc.UntypedHandleCall> {
  const granted = new Set<LeaseId>();

  const keepAlive = (call: grpc.ServerDuplexStream<{ ID?: Int64 }, unknown>) => {
    let queue = Promise.resolve();
    let ended = false;
    call.on('data', (req: { ID?: Int64 }) => {
      queue = queue.then(async () => {
        if (ended) return;
        const id = leaseIdOf(req.ID);
        let ttl: number;
        try {
          ttl = await store.leaseKeepAlive(id);
        } catch (e) {
          if (!(e instanceof StoreError && e.code === 'lease-not-found')) throw e;
          ttl = 0;
        }
        if (!ended) call.write({ header: header(await store.revision()), ID: id, TTL: ttl });
      }).catch((e) => {
        if (ended) return;
        ended = true;
        call.emit('error', toGrpcError(e));
      });
    });
    const finish = () => {
      ended = true;
    };
    call.on('end', () => {
      queue.then(() => {
        if (!ended) call.end();
        finish();
      });
    });
    call.on('cancelled', finish);
    call.on('error', finish);
  };

  return {
    LeaseGrant: unary(async (req: { TTL?: Int64; ID?: Int64 }) => {
      const requested = int64Number(req.TTL);
      if (requested > MAX_LEASE_TTL) throw etcdError(etcdErrors.leaseTTLTooLarge);
      const id = leaseIdOf(req.ID);
      const g = await store.leaseGrant(Math.max(requested, MIN_LEASE_TTL), id !== '0' ? id : undefined);
      granted.add(g.id);
      return { header: header(await store.revision()), ID: g.id, TTL: g.ttl, error: '' };
    }),

    LeaseRevoke: unary(async (req: { ID?: Int64 }) => {
      const id = leaseIdOf(req.ID);
      if (!options.allowRegistryWrites) {
        const ttl = await store.leaseTimeToLive(id, true);
        guardRegistry(false, ttl.keys.some(isRegistryKey));
      }
      await store.leaseRevoke(id);
      granted.delete(id);
      return { header: header(await store.revision()) };
    }),

    LeaseKeepAlive: keepAlive as grpc.UntypedHandleCall,

    LeaseTimeToLive: unary(async (req: { ID?: Int64; keys?: boolean }) => {
      const id = leaseIdOf(req.ID);
      const r = await store.leaseTimeToLive(id, !!req.keys);
      return {
        header: header(await store.revision()),
        ID: id,
        TTL: r.ttl,
        grantedTTL: r.ttl === -1 ? 0 : r.grantedTtl,
        keys: req.keys ? r.keys.map((k) => Buffer.from(k, 'utf8')) : [],
      };
    }),

    LeaseLeases: unary(async () => {
      const all = await store.range({ key: '\0', end: '\0' }, { keysOnly: true });
      const ids = new Set(granted);
      for (const kv of all.kvs) if (kv.lease !== '0') ids.add(kv.lease);
      const live: LeaseId[] = [];
      for (const id of ids) {
        if ((await store.leaseTimeToLive(id)).ttl === -1) granted.delete(id);
        else live.push(id);
      }
      live.sort(compareIds);
      return { header: header(await store.revision()), leases: live.map((ID) => ({ ID })) };
    }),
  };
}
