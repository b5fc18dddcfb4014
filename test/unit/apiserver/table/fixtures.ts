/**
 * Shared fixtures for the table tests: a fixed "now", timestamps relative to it, resource lookup by name, and a
 * helper that renders objects and returns the cells (the server always renders wide rows).
 */
import type { KubeObject } from '../../../../src/api/object';
import { builtinResources, type ResourceInfo } from '../../../../src/api/resources';
import { toTable, type Cell, type CrdColumn, type Table } from '../../../../src/apiserver/table';

export const NOW = new Date('2024-06-01T12:00:00Z');
export const SEC = 1000;
export const MIN = 60 * SEC;
export const HOUR = 60 * MIN;
export const DAY = 24 * HOUR;

/** An RFC 3339 timestamp `ms` before NOW (seconds precision, like metav1.Time). */
export function ago(ms: number): string {
  return new Date(NOW.getTime() - ms).toISOString().replace('.000Z', 'Z');
}

export function resource(name: string, group?: string): ResourceInfo {
  const r = builtinResources().find((x) => x.resource === name && (group === undefined || x.group === group));
  if (!r) throw new Error(`no built-in resource ${name}`);
  return r;
}

export function table(res: ResourceInfo, objects: KubeObject[], crdColumns?: CrdColumn[]): Table {
  return toTable(res, objects, { now: NOW, includeObject: 'None', crdColumns });
}

/** The cells of one object. */
export function cells(res: ResourceInfo, obj: KubeObject, crdColumns?: CrdColumn[]): Cell[] {
  return table(res, [obj], crdColumns).rows[0]!.cells;
}

/** Column headers as kubectl prints them (upper case), with the priority-1 ones marked `+`. */
export function headers(t: Table): string[] {
  return t.columnDefinitions.map((c) => (c.priority === 1 ? '+' : '') + c.name.toUpperCase());
}

export function meta(name: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { name, namespace: 'default', uid: `uid-${name}`, creationTimestamp: ago(5 * MIN), ...extra };
}
