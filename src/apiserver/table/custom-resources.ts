/**
 * The table of custom resources (apiextensions-apiserver tableconvertor): NAME followed by the CRD version's
 * additionalPrinterColumns — or, when it declares none, the logical default AGE column (type date, jsonPath
 * `.metadata.creationTimestamp`). A column without a description gets "Custom resource definition column (in
 * JSONPath format): <path>". Cells take the first JSONPath match:
 *   string   the value printed as client-go jsonpath prints it (strings as is, numbers as Go's %v, objects and
 *            arrays as Go's json.Marshal: sorted keys, <>& escaped)
 *   integer  a number, truncated; number: a number; boolean: a boolean
 *   date     HumanDuration since an RFC 3339 string ("<invalid>" if unparsable, "<unknown>" if empty)
 * and null when nothing matched or the value does not fit the type. A column whose jsonPath does not parse ends the
 * column list there, as upstream falls back to the columns it could build.
 */
import type { KubeObject } from '../../api/object';
import { humanDuration, parseTime } from './age';
import { NAME, col, columns } from './columns';
import { DOC } from './descriptions';
import { compileJsonPath, type JsonPathFn } from './jsonpath';
import { str } from './format';
import type { Cell, TableColumnDefinition, TablePrinter } from './types';

/** A CRD version's additionalPrinterColumns entry. */
export type CrdColumn = { name: string; type: string; format?: string; description?: string; priority?: number; jsonPath: string };

const DEFAULT_COLUMNS: CrdColumn[] = [
  { name: 'Age', type: 'date', description: DOC['meta.creationTimestamp'], jsonPath: '.metadata.creationTimestamp' },
];

/** time.RFC3339 as Go parses it (fractional seconds allowed, a zone required). */
const RFC3339 = /^\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const HTML_UNSAFE = /[<>&\u2028\u2029]/g;

function goHtmlEscape(c: string): string {
  return `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
}

/** Go's json.Marshal of decoded JSON: map keys sorted, HTML-sensitive characters escaped. */
export function goJson(v: unknown): string {
  const sorted = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(sorted);
    if (typeof x === 'object' && x !== null) {
      const out: Record<string, unknown> = {};
      for (const k of Object.keys(x).sort()) out[k] = sorted((x as Record<string, unknown>)[k]);
      return out;
    }
    return x;
  };
  return JSON.stringify(sorted(v)).replace(HTML_UNSAFE, goHtmlEscape);
}

/** fmt's %v of a JSON number: integers in full, other floats as %g with the shortest digits (exponent ≥ 6 → e+NN). */
export function goNumber(x: number): string {
  if (Number.isInteger(x) && Math.abs(x) < 2 ** 63) return BigInt(x).toString();
  if (!Number.isFinite(x)) return Number.isNaN(x) ? 'NaN' : x > 0 ? '+Inf' : '-Inf';
  const [mantissa, e] = x.toExponential().split('e') as [string, string];
  const exp = Number(e);
  if (exp < -4 || exp >= 6) return `${mantissa}e${exp < 0 ? '-' : '+'}${String(Math.abs(exp)).padStart(2, '0')}`;
  return String(x);
}

function printed(value: unknown): Cell {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  return goJson(value);
}

function typed(type: string, value: unknown, nowMs: number): Cell {
  switch (type) {
    case 'string':
      return printed(value);
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'date': {
      if (typeof value !== 'string') return null;
      if (value === '' || value === 'null') return '<unknown>';
      if (!RFC3339.test(value)) return '<invalid>';
      const t = parseTime(value);
      return t === undefined ? '<unknown>' : humanDuration(nowMs - t);
    }
    default:
      return null;
  }
}

/** Builds the printer for one CRD version's columns (undefined or empty: the default AGE column). */
export function customResourcePrinter(crdColumns: CrdColumn[] | undefined): TablePrinter {
  const specs = crdColumns && crdColumns.length > 0 ? crdColumns : DEFAULT_COLUMNS;
  const defs: TableColumnDefinition[] = [NAME];
  const paths: { type: string; fn: JsonPathFn }[] = [];
  for (const c of specs) {
    let fn: JsonPathFn;
    try {
      fn = compileJsonPath(c.jsonPath);
    } catch {
      break;
    }
    paths.push({ type: c.type, fn });
    const description = c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`;
    defs.push(col(c.name, c.type, description, c.priority ?? 0, c.format ?? ''));
  }
  return {
    columns: columns(...defs),
    cells(obj: KubeObject, ctx) {
      const cells: Cell[] = [str(obj.metadata?.name)];
      for (const p of paths) {
        const results = p.fn(obj);
        cells.push(results && results.length > 0 ? typed(p.type, results[0], ctx.nowMs) : null);
      }
      return cells;
    },
  };
}
