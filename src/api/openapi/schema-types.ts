/**
 * The schema contract shared by OpenAPI serving, field validation, strategic merge patch and server-side apply:
 * plain OpenAPI v3 schema objects (as served under /openapi/v3) with Kubernetes' extensions, and a resolver that
 * finds the schema of a kind and follows `$ref`s. Patch and apply code only reads these fields.
 */
import type { GroupVersionKind } from '../object';

export interface Schema {
  $ref?: string;
  /** OpenAPI 3 wraps a $ref in allOf when it carries a description or default. */
  allOf?: Schema[];
  type?: 'object' | 'array' | 'string' | 'integer' | 'number' | 'boolean';
  format?: string;
  description?: string;
  properties?: Record<string, Schema>;
  additionalProperties?: Schema | boolean;
  items?: Schema;
  required?: string[];
  enum?: unknown[];
  default?: unknown;
  nullable?: boolean;
  'x-kubernetes-group-version-kind'?: GroupVersionKind[];
  /** Strategic merge patch: the key that identifies list items (`name` for containers). */
  'x-kubernetes-patch-merge-key'?: string;
  /** Strategic merge patch: `merge`, `replace`, `retainKeys`, `merge,retainKeys`. */
  'x-kubernetes-patch-strategy'?: string;
  /** Server-side apply: `atomic`, `set`, `map`. */
  'x-kubernetes-list-type'?: 'atomic' | 'set' | 'map';
  'x-kubernetes-list-map-keys'?: string[];
  /** `atomic` or `granular` for objects and maps. */
  'x-kubernetes-map-type'?: 'atomic' | 'granular';
  'x-kubernetes-int-or-string'?: boolean;
  'x-kubernetes-preserve-unknown-fields'?: boolean;
  'x-kubernetes-embedded-resource'?: boolean;
  [extension: string]: unknown;
}

export interface SchemaResolver {
  /** The schema of a top-level kind, or undefined when unknown (then callers treat the object as schemaless). */
  forKind(gvk: GroupVersionKind): Schema | undefined;
  /** Follows `$ref` (and a single-element `allOf` wrapping one) until a concrete schema; returns it unchanged otherwise. */
  resolve(schema: Schema): Schema;
}
