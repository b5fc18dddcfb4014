/**
 * What the generic registry needs from the schema-aware parts of the API server (defaulting, validation, strict
 * field checks, managedFields, patches). Kept as an interface so the registry stays generic and each part lives
 * in its own module; `defaultHooks` in hooks-impl.ts wires the real ones.
 */
import type { FieldError } from '../../api/field-errors';
import type { GroupVersionKind, StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';

export type PatchType = 'json' | 'merge' | 'strategic' | 'apply';

export interface ManagedContext {
  manager: string;
  now: string;
  apiVersion: string;
  subresource?: string;
  gvk: GroupVersionKind;
}

export interface ObjectHooks {
  /** Upstream defaulting, in place. */
  applyDefaults(r: ResourceInfo, obj: StoredObject): void;
  validateCreate(r: ResourceInfo, obj: StoredObject): FieldError[];
  validateUpdate(r: ResourceInfo, obj: StoredObject, old: Readonly<StoredObject>, subresource: string): FieldError[];
  /** Unknown fields (paths) and decode-level type errors against the kind's schema. */
  checkFields(r: ResourceInfo, obj: unknown): { unknownFields: string[]; typeError?: string };
  /** Records managedFields for a non-apply write. */
  trackUpdate(r: ResourceInfo, live: Readonly<StoredObject> | undefined, updated: StoredObject, ctx: ManagedContext): StoredObject;
  /** Server-side apply of `applied` onto `live` (undefined: create). Throws 409 on conflicts unless force. */
  apply(r: ResourceInfo, live: Readonly<StoredObject> | undefined, applied: StoredObject, ctx: ManagedContext & { force: boolean }): StoredObject;
  /** JSON, merge and strategic merge patches. */
  patch(r: ResourceInfo, type: Exclude<PatchType, 'apply'>, current: Readonly<StoredObject>, patch: unknown): StoredObject;
}
