/**
 * The meta.k8s.io/v1 Table shapes the API server returns for `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`,
 * and the contract every per-kind printer fulfils: a fixed list of column definitions (in upstream's order, all
 * priorities — the server always prints "wide", kubectl hides priority-1 columns unless `-o wide`) and a function
 * that turns one object into exactly one cell per column. Printers are pure: no clock (the caller's `now` comes in
 * through `RowContext`), no I/O, no mutation of the object.
 */
import type { KubeObject } from '../../api/object';

/** A cell: what upstream puts in `cells` (Go string, int64, bool or nil). */
export type Cell = string | number | boolean | null;

export interface TableColumnDefinition {
  name: string;
  /** OpenAPI type: string, integer, number, boolean, date. */
  type: string;
  /** `name` for the NAME column, otherwise usually empty. */
  format: string;
  description: string;
  /** 0: always shown; 1: only with `kubectl get -o wide`. */
  priority: number;
}

export interface TableRowCondition {
  type: string;
  status: string;
  reason?: string;
  message?: string;
}

export interface TableRow {
  cells: Cell[];
  conditions?: TableRowCondition[];
  object?: unknown;
}

export interface TableListMeta {
  resourceVersion?: string;
  continue?: string;
  remainingItemCount?: number;
}

export interface Table {
  kind: 'Table';
  apiVersion: 'meta.k8s.io/v1';
  metadata: TableListMeta;
  columnDefinitions: TableColumnDefinition[];
  rows: TableRow[];
}

/** Per-call context handed to every row function. */
export interface RowContext {
  /** "Now" in milliseconds since the epoch; ages are computed against it. */
  nowMs: number;
}

export interface TablePrinter {
  readonly columns: readonly TableColumnDefinition[];
  /** One cell per entry of `columns`, in the same order. Must not throw on malformed objects. */
  cells(obj: KubeObject, ctx: RowContext): Cell[];
  /** Row conditions (pods: Completed when Succeeded/Failed). */
  conditions?(obj: KubeObject): TableRowCondition[] | undefined;
}

/** Printers keyed by `<group>/<resource>` (`/pods`, `apps/deployments`). */
export type PrinterMap = ReadonlyMap<string, TablePrinter>;
