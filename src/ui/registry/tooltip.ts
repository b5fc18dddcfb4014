/**
 * Tooltip and description texts of the Registry tree's nodes.
 *
 * Contract:
 * - keyTooltip: the key, then `create_revision`, `mod_revision`, `version` and `lease` (etcd's field names, one per
 *   line). The lease is printed as etcdctl prints lease ids (`lease %016x …`: 16 hex digits, zero-padded) or `none`
 *   for lease 0. Lease ids are int64 decimal strings (beyond 2^53), so they are converted exactly through BigInt; a
 *   negative id is printed like Go's %016x (sign, then zero padding to 16 characters); an unparsable one as given.
 * - folderTooltip: the folder path and its key count; countLabel: `1 key`, `1,234 keys` (en-US grouping).
 */
import type { RegistryEntry } from './registry-nodes';

export function formatLease(lease: string | number | bigint): string {
  let id: bigint;
  try {
    id = BigInt(lease);
  } catch {
    return String(lease);
  }
  if (id === 0n) return 'none';
  if (id < 0n) return `-${(-id).toString(16).padStart(15, '0')}`;
  return id.toString(16).padStart(16, '0');
}

export function keyTooltip(entry: RegistryEntry): string {
  return [
    entry.key,
    `create_revision: ${entry.createRevision}`,
    `mod_revision: ${entry.modRevision}`,
    `version: ${entry.version}`,
    `lease: ${formatLease(entry.lease)}`,
  ].join('\n');
}

export function countLabel(count: number): string {
  return `${count.toLocaleString('en-US')} ${count === 1 ? 'key' : 'keys'}`;
}

export function folderTooltip(path: string, count: number): string {
  return `${path}\n${countLabel(count)}`;
}
