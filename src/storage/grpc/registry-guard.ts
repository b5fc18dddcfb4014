/**
 * Keeps etcd clients from writing the API server's keys: unless allowed, a Put, DeleteRange, Txn or LeaseRevoke
 * that would write a key under /registry/ fails with FAILED_PRECONDITION, before anything is written. A delete or
 * a txn counts as writing /registry/ when its key range overlaps the /registry/ prefix (even if no such key exists
 * now); reads are always allowed.
 */
import { status } from '@grpc/grpc-js';
import { compareKeys, prefixEnd } from '../keys';
import type { KeySelector, TxnOp } from '../store';
import { GrpcError } from './grpc-error';

export const REGISTRY_PREFIX = '/registry/';
const REGISTRY_END = prefixEnd(REGISTRY_PREFIX)!;

export const REGISTRY_READ_ONLY_MESSAGE =
  'kubelab: /registry/ keys are written only by the API server (start with --etcd-allow-registry-writes to allow)';

export const registryReadOnly = (): GrpcError => new GrpcError(status.FAILED_PRECONDITION, REGISTRY_READ_ONLY_MESSAGE);

export function isRegistryKey(key: string): boolean {
  return key.startsWith(REGISTRY_PREFIX);
}

/** Whether the selected keys and the /registry/ prefix can have a key in common. */
export function touchesRegistry(sel: KeySelector): boolean {
  if (sel.prefix) return isRegistryKey(sel.key) || REGISTRY_PREFIX.startsWith(sel.key);
  if (sel.end === undefined || sel.end === '') return isRegistryKey(sel.key);
  const from = sel.key;
  const to = sel.end === '\0' ? undefined : sel.end;
  return compareKeys(from, REGISTRY_END) < 0 && (to === undefined || compareKeys(to, REGISTRY_PREFIX) > 0);
}

export function opWritesRegistry(op: TxnOp): boolean {
  if (op.type === 'put') return isRegistryKey(op.key);
  if (op.type === 'delete') return touchesRegistry(op.sel);
  return false;
}

/** Throws FAILED_PRECONDITION when writes to /registry/ are not allowed and `writes` is true. */
export function guardRegistry(allowRegistryWrites: boolean, writes: boolean): void {
  if (writes && !allowRegistryWrites) throw registryReadOnly();
}
