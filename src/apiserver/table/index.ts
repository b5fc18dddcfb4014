/**
 * Server-side Table output (meta.k8s.io/v1 Table), what `kubectl get` asks for with
 * `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`. `toTable` renders a list (or a single object, or one watch
 * event's object) of one resource with upstream's columns and cells — printers.go for built-in kinds, the default
 * NAME / CREATED AT table for kinds without a printer, and the CRD's additionalPrinterColumns for custom resources.
 *
 * Contract:
 * - Rows are always the "wide" rows (every column, priority 0 and 1), as kube-apiserver prints them; kubectl hides
 *   priority-1 columns unless `-o wide`.
 * - Ages are computed against `opts.now`; the clock is never read.
 * - `includeObject`: 'Metadata' (kubectl's default) puts a PartialObjectMetadata with the object's full metadata in
 *   each row (kubectl's NAMESPACE column, --show-labels and -L read it), 'Object' the whole object (--sort-by),
 *   'None' nothing.
 * - The returned Table shares the input objects' metadata (no copies): serialize it, never mutate it.
 * - Never throws on malformed objects: missing fields print as upstream prints Go zero values.
 */
import type { KubeObject } from '../../api/object';
import { apiVersionOf } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { customResourcePrinter, type CrdColumn } from './custom-resources';
import { defaultPrinter } from './default-table';
import { BUILTIN_PRINTERS, printerKey } from './printers';
import type { RowContext, Table, TableListMeta, TablePrinter, TableRow } from './types';

export type { CrdColumn } from './custom-resources';
export type { Cell, Table, TableColumnDefinition, TableRow, TableRowCondition } from './types';
export { humanDuration } from './age';

export interface ToTableOptions {
  now: Date;
  includeObject: 'None' | 'Metadata' | 'Object';
  listMeta?: { resourceVersion?: string; continue?: string; remainingItemCount?: number };
  /** The served version's additionalPrinterColumns, for a resource served from a CRD. */
  crdColumns?: CrdColumn[];
}

/** The printer for a resource: CRD columns for custom resources, the built-in printer, or the default table. */
export function printerFor(resource: ResourceInfo, crdColumns?: CrdColumn[]): TablePrinter {
  if (resource.crd) return customResourcePrinter(crdColumns);
  return BUILTIN_PRINTERS.get(printerKey(resource.group, resource.resource)) ?? defaultPrinter;
}

/** The object with apiVersion and kind filled in from the resource when missing (a shallow copy). */
function withTypeMeta(obj: KubeObject, apiVersion: string, kind: string): KubeObject {
  const { apiVersion: av, kind: k, ...rest } = obj;
  return { apiVersion: av || apiVersion, kind: k || kind, ...rest };
}

function listMetaOf(m: ToTableOptions['listMeta']): TableListMeta {
  const out: TableListMeta = {};
  if (m?.resourceVersion) out.resourceVersion = m.resourceVersion;
  if (m?.continue) out.continue = m.continue;
  if (m?.remainingItemCount !== undefined) out.remainingItemCount = m.remainingItemCount;
  return out;
}

export function toTable(resource: ResourceInfo, objects: KubeObject[], opts: ToTableOptions): Table {
  const printer = printerFor(resource, opts.crdColumns);
  const ctx: RowContext = { nowMs: opts.now.getTime() };
  const apiVersion = apiVersionOf(resource.group, resource.version);
  const rows: TableRow[] = new Array(objects.length);
  for (let i = 0; i < objects.length; i++) {
    const obj = objects[i]!;
    const row: TableRow = { cells: printer.cells(obj, ctx) };
    const conditions = printer.conditions?.(obj);
    if (conditions) row.conditions = conditions;
    if (opts.includeObject === 'Metadata') {
      row.object = { kind: 'PartialObjectMetadata', apiVersion: 'meta.k8s.io/v1', metadata: obj.metadata ?? {} };
    } else if (opts.includeObject === 'Object') {
      row.object = obj.kind && obj.apiVersion ? obj : withTypeMeta(obj, apiVersion, resource.kind);
    }
    rows[i] = row;
  }
  return {
    kind: 'Table',
    apiVersion: 'meta.k8s.io/v1',
    metadata: listMetaOf(opts.listMeta),
    columnDefinitions: [...printer.columns],
    rows,
  };
}
