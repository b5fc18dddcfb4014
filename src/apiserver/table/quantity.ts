/**
 * resource.Quantity's canonical string form (`Quantity.String()`), which tables print for capacities and quota
 * usage ("1536Mi" for 1.5Gi, "1500m" for 1.5, "0" for a missing quantity), from the shared Quantity in
 * src/api/quantity.ts. A string that is not a quantity is returned unchanged (upstream could not have stored it).
 */
import { tryParseQuantity } from '../../api/quantity';

/** Quantity.String() of a quantity as it appears in JSON (string or number); "0" when missing. */
export function quantityString(q: unknown): string {
  if (q === undefined || q === null) return '0';
  const s = typeof q === 'number' ? String(q) : typeof q === 'string' ? q.trim() : undefined;
  if (s === undefined) return '0';
  const p = tryParseQuantity(s);
  return p ? p.toString() : s;
}
