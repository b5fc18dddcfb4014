/** Whether a namespace accepts new content: not being deleted and not Terminating. */
import type { CachedObject } from '../client/informers';

export function namespaceActive(ns: CachedObject): boolean {
  return !ns.metadata?.deletionTimestamp && (ns.status as { phase?: string } | undefined)?.phase !== 'Terminating';
}
