/**
 * Field validation of a decoded request body against its kind's schema, as kube-apiserver's decoder does it:
 * - built-in kinds decode into Go structs: `unknownFields` are what strict decoding reports (document order), and
 *   `errors` are Go type errors (FieldValueTypeInvalid with the Go decoder's message as detail; `errors[0]` is the one
 *   upstream returns, see decode-errors.ts);
 * - custom resources (schemas not among the built-in definitions) are pruned by their structural schema: unknown
 *   fields are the pruned paths (sorted), metadata is read as ObjectMeta, `errors` stays empty (type errors of custom
 *   resources are 422s from `validateCustomResource`).
 * An unknown kind (no schema) yields nothing. The object is not modified unless `prune` is asked for.
 */
import type { FieldError } from '../field-errors';
import type { GroupVersionKind } from '../object';
import { isBuiltinDefinition } from './definitions';
import { goNode, structuralRoot } from './field-nodes';
import { FieldWalk } from './field-walk';
import type { Schema, SchemaResolver } from './schema-types';

export interface FieldValidationResult {
  unknownFields: string[];
  errors: FieldError[];
  /** Built-in kinds: the decoder's error upstream returns (`errors[0].detail`), e.g. `json: cannot unmarshal …`. */
  decodeError?: string;
}

export interface FieldValidator {
  /** With `prune`, unknown fields are also deleted from `obj` in place (typed decoding drops them upstream). */
  validate(gvk: GroupVersionKind, obj: unknown, prune?: boolean): FieldValidationResult;
}

export function createFieldValidator(resolver: SchemaResolver): FieldValidator {
  return {
    validate(gvk, obj, prune = false) {
      const schema = resolver.forKind(gvk);
      if (!schema) return { unknownFields: [], errors: [] };
      return validateFields(schema, obj, resolver, prune);
    },
  };
}

/** The same check for a known schema (a built-in definition or a custom resource's root schema). */
export function validateFields(schema: Schema, obj: unknown, resolver?: SchemaResolver, prune = false): FieldValidationResult {
  if (isBuiltinDefinition(schema)) {
    const walk = new FieldWalk({ go: true, prune });
    walk.walk(goNode(schema), obj);
    const result: FieldValidationResult = { unknownFields: walk.unknownFields, errors: walk.errors };
    if (walk.errors.length) result.decodeError = walk.errors[0].detail;
    return result;
  }
  const walk = new FieldWalk({ go: false, prune: false });
  walk.walk(structuralRoot(schema, resolver), obj);
  return { unknownFields: walk.unknownFields.sort(), errors: [] };
}

/**
 * Structural pruning of a custom resource (apiextensions-apiserver's pruning): deletes, in place, every field its
 * schema does not specify, except under `x-kubernetes-preserve-unknown-fields`; apiVersion, kind and metadata survive
 * at the root and in embedded resources, and metadata loses unknown ObjectMeta fields. Returns the pruned paths
 * (document order), also appended to `pruned` when given.
 */
export function pruneUnknown(schema: Schema, obj: unknown, pruned?: string[]): string[] {
  const walk = new FieldWalk({ go: false, prune: true });
  walk.walk(structuralRoot(schema), obj);
  pruned?.push(...walk.unknownFields);
  return walk.unknownFields;
}
