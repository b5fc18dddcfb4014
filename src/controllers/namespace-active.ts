/** Whether a namespace accepts new content: not being deleted and not Terminating. */
import type { MirroredObject } from '../client/object-mirror';

export function namespaceActive(ns: MirroredObject): boolean {
  const m = ns.metadata as { deletionTimestamp?: string } | undefined;
  return !m?.deletionTimestamp && (ns.status as { phase?: string } | undefined)?.phase !== 'Terminating';
}
