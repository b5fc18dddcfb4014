/**
 * apiserver's default table convertor (registry/rest.defaultTableConvertor), used for every built-in resource that
 * has no printer upstream — roles, clusterroles, limitranges, customresourcedefinitions — and for anything unknown:
 * NAME and CREATED AT (type date), the creation time in RFC 3339 UTC to the second ("0001-01-01T00:00:00Z" when
 * unset, Go's zero time).
 */
import { parseTime } from './age';
import { NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { str } from './format';
import type { TablePrinter } from './types';

/** metav1.Time formatted as time.RFC3339 in UTC (seconds precision). */
export function rfc3339(ts: unknown): string {
  const t = parseTime(ts);
  if (t === undefined) return '0001-01-01T00:00:00Z';
  return new Date(Math.floor(t / 1000) * 1000).toISOString().replace('.000Z', 'Z');
}

export const defaultPrinter: TablePrinter = {
  columns: columns(NAME, col('Created At', 'date', DOC['meta.creationTimestamp'])),
  cells(obj) {
    return [str(obj.metadata?.name), rfc3339(obj.metadata?.creationTimestamp)];
  },
};
