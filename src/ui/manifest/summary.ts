/**
 * The lines kubectl prints for applied and deleted objects, word for word:
 *   apply (kubectl's name printer):  `deployment.apps/web created`, `service/web unchanged`,
 *                                    `deployment.apps/web serverside-applied (server dry run)`
 *   delete (kubectl delete):         `deployment.apps "web" deleted`, `service "web" deleted (server dry run)`
 * The object is named by its lower-cased kind and API group (core group omitted): `ingress.networking.k8s.io/web`,
 * `horizontalpodautoscaler.autoscaling/web` — kubectl prints strings.ToLower(kind), not the resource.
 *
 * Operations: kubectl's server-side apply always prints `serverside-applied`. KubeLab applies server-side too but
 * says what happened, as client-side apply does (`applyOperation`): `created` when the object did not exist before,
 * `unchanged` when the apply left it as it was (its resourceVersion did not move; on a dry run, where nothing is
 * stored, when the returned object equals the live one), else `configured`.
 */
import { parseApiVersion } from '../../api/object';

export type ApplyOperation = 'created' | 'configured' | 'unchanged' | 'serverside-applied';
export type DryRun = 'none' | 'client' | 'server';

interface Named {
  apiVersion?: unknown;
  kind?: unknown;
  metadata?: { name?: unknown; resourceVersion?: unknown } | unknown;
}

/** `deployment.apps`, `service`: how kubectl names an object's kind. */
export function kindString(obj: Pick<Named, 'apiVersion' | 'kind'>): string {
  const kind = typeof obj.kind === 'string' ? obj.kind.toLowerCase() : '';
  const { group } = parseApiVersion(typeof obj.apiVersion === 'string' ? obj.apiVersion : '');
  return group ? `${kind}.${group}` : kind;
}

function nameOf(obj: Named): string {
  const m = obj.metadata as { name?: unknown } | undefined;
  return typeof m?.name === 'string' ? m.name : '';
}

function dryRunSuffix(dryRun: DryRun): string {
  return dryRun === 'server' ? ' (server dry run)' : dryRun === 'client' ? ' (dry run)' : '';
}

/** `deployment.apps/web configured`, `service/web created (server dry run)`. */
export function applyLine(obj: Named, operation: ApplyOperation, dryRun: DryRun = 'none'): string {
  return `${kindString(obj)}/${nameOf(obj)} ${operation}${dryRunSuffix(dryRun)}`;
}

/** `deployment.apps "web" deleted`; `force deleted` with a zero grace period, as kubectl delete --grace-period=0. */
export function deleteLine(obj: Named, dryRun: DryRun = 'none', force = false): string {
  return `${kindString(obj)} "${nameOf(obj)}" ${force ? 'force deleted' : 'deleted'}${dryRunSuffix(dryRun)}`;
}

function resourceVersion(obj: Named | undefined): unknown {
  return (obj?.metadata as { resourceVersion?: unknown } | undefined)?.resourceVersion;
}

/**
 * What an apply did, from the live object before it (undefined: it did not exist) and the object the server
 * returned.
 */
export function applyOperation(before: Named | undefined, after: Named, dryRun: DryRun = 'none'): Exclude<ApplyOperation, 'serverside-applied'> {
  if (!before) return 'created';
  if (resourceVersion(before) !== resourceVersion(after)) return 'configured';
  if (dryRun === 'none') return 'unchanged';
  return jsonEqual(before, after) ? 'unchanged' : 'configured';
}

/** Deep equality of JSON data, key order ignored. */
function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => jsonEqual(v, (b as unknown[])[i]));
  const ka = Object.keys(a).filter((k) => (a as Record<string, unknown>)[k] !== undefined);
  const kb = Object.keys(b).filter((k) => (b as Record<string, unknown>)[k] !== undefined);
  return ka.length === kb.length && ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** `2 created, 1 configured, 3 unchanged` for a notification (operations in this order; none: `nothing applied`). */
export function summaryHeadline(operations: readonly (ApplyOperation | 'deleted')[]): string {
  const order: (ApplyOperation | 'deleted')[] = ['created', 'configured', 'unchanged', 'serverside-applied', 'deleted'];
  const parts = order.map((op) => [op, operations.filter((o) => o === op).length] as const).filter(([, n]) => n > 0);
  return parts.length ? parts.map(([op, n]) => `${n} ${op}`).join(', ') : 'nothing applied';
}
