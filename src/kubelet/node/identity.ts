/**
 * A kubelet's API identity (upstream: the client certificate CN `system:node:<name>`, O `system:nodes`), which the
 * Node authorizer and NodeRestriction admission recognise, and the time formats the node objects use: metav1.Time
 * (RFC 3339, whole seconds) and metav1.MicroTime (RFC 3339 with microseconds, for Lease renewTime).
 */
import type { UserInfo } from '../../apiserver/request';

export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** The user a kubelet authenticates as: `system:node:<name>` in `system:nodes` and `system:authenticated`. */
export function nodeUser(nodeName: string): UserInfo {
  return { name: `system:node:${nodeName}`, groups: ['system:nodes', 'system:authenticated'] };
}

/** metav1.Time as JSON: `2026-01-01T00:00:00Z` (sub-second part truncated, as upstream serializes it). */
export function rfc3339(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

/** metav1.MicroTime as JSON: `2026-01-01T00:00:00.000000Z`. */
export function rfc3339Micro(ms: number): string {
  return new Date(Math.floor(ms)).toISOString().replace(/\.(\d{3})Z$/, '.$1000Z');
}
