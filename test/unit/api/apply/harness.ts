/**
 * A tiny in-memory "API server" for one object, driving applyPatch/updateManagedFields the way the registry will:
 * applies and updates in sequence, a uid set on creation, a clock that ticks one minute per write. Lets tests state
 * scenarios like structured-merge-diff's fixtures: a list of operations, then the object and each manager's fields.
 */
import { applyPatch, updateManagedFields } from '../../../../src/api/apply';
import type { KubeObject } from '../../../../src/api/object';
import type { Schema } from '../../../../src/api/openapi/schema-types';
import { resolver } from './fixtures';

export class Harness {
  live: KubeObject | undefined;
  private minute = 0;

  constructor(
    private readonly schema: Schema | undefined,
    readonly apiVersion = 'example.com/v1',
    readonly kind = 'Widget',
  ) {}

  now(): string {
    return new Date(Date.UTC(2026, 0, 1, 0, this.minute)).toISOString().replace('.000Z', 'Z');
  }

  private opts(manager: string) {
    return { manager, schema: this.schema, resolver, apiVersion: this.apiVersion, now: this.now() };
  }

  body(content: Record<string, unknown>): KubeObject {
    return { apiVersion: this.apiVersion, kind: this.kind, metadata: { name: 'w' }, ...content };
  }

  apply(manager: string, content: Record<string, unknown>, force = false, subresource?: string): KubeObject {
    const out = applyPatch(this.live, this.body(content), { ...this.opts(manager), force, ...(subresource ? { subresource } : {}) });
    return this.store(out);
  }

  /** A full-object write (PUT) of `content`, echoing the live metadata as clients do. */
  update(manager: string, content: Record<string, unknown>, metadata?: Record<string, unknown>, subresource?: string): KubeObject {
    const next: KubeObject = { ...this.body(content), metadata: { ...(this.live?.metadata ?? { name: 'w' }), ...(metadata ?? {}) } };
    const out = updateManagedFields(this.live, next, { ...this.opts(manager), operation: 'Update', ...(subresource ? { subresource } : {}) });
    return this.store(out);
  }

  private store(out: KubeObject): KubeObject {
    out.metadata ??= {};
    out.metadata.uid ??= 'uid-1';
    this.live = out;
    this.minute++;
    return out;
  }

  /** The live object without apiVersion, kind and metadata. */
  content(): Record<string, unknown> {
    const { apiVersion: _a, kind: _k, metadata: _m, ...rest } = this.live ?? {};
    return rest;
  }

  /** fieldsV1 by `manager` (or `manager/Operation` when a name has both). */
  fields(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    for (const e of this.live?.metadata?.managedFields ?? []) {
      const key = out[e.manager!] === undefined ? e.manager! : `${e.manager}/${e.operation}`;
      out[key] = e.fieldsV1;
    }
    return out;
  }

  entries() {
    return this.live?.metadata?.managedFields ?? [];
  }
}
