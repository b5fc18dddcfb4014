/**
 * The 409 an apply gets when other managers own fields it would change, worded exactly as apimachinery's
 * NewConflictError: `Apply failed with 1 conflict: conflict with "kubectl-client-side-apply" using apps/v1:
 * .spec.replicas`, or for several `Apply failed with 2 conflicts: conflicts with "a":\n- .x\n- .y` grouped by manager.
 * Each conflict is also a cause `{reason: "FieldManagerConflict", message: 'conflict with "…" using apps/v1', field}`.
 */
import { StatusError, type StatusCause } from '../status';
import { parseManagerIdentifier } from './managed-fields';
import { pathString } from './path-element';
import type { Conflict } from './updater';
import { compareStrings, goQuote } from './values';

/** How upstream names a manager in conflict messages. */
export function printManager(id: string): string {
  const info = parseManagerIdentifier(id);
  if (!info) return goQuote(id);
  let s = goQuote(info.manager);
  if (info.subresource) s = `${s} with subresource ${goQuote(info.subresource)}`;
  if (info.operation === 'Update') s = `${s} using ${info.apiVersion ?? ''}`;
  return s;
}

export function conflictError(conflicts: readonly Conflict[]): StatusError {
  const causes: StatusCause[] = conflicts.map((c) => ({
    reason: 'FieldManagerConflict',
    message: `conflict with ${printManager(c.manager)}`,
    field: pathString(c.path),
  }));
  return StatusError.make(409, 'Conflict', conflictMessage(conflicts), { causes });
}

function conflictMessage(conflicts: readonly Conflict[]): string {
  if (conflicts.length === 1) {
    const c = conflicts[0]!;
    return `Apply failed with 1 conflict: conflict with ${printManager(c.manager)}: ${pathString(c.path)}`;
  }
  const byManager = new Map<string, string[]>();
  for (const c of conflicts) {
    const list = byManager.get(c.manager) ?? [];
    list.push(pathString(c.path));
    byManager.set(c.manager, list);
  }
  const lines: string[] = [];
  for (const id of [...byManager.keys()].sort(compareStrings)) {
    lines.push(`conflicts with ${printManager(id)}:`);
    for (const p of byManager.get(id)!) lines.push(`- ${p}`);
  }
  return `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
}
