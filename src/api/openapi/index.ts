/**
 * OpenAPI v3 for KubeLab's API server: the built-in definitions (generated from kubernetes-types with upstream's
 * patch/list extensions), the schema resolver, the /openapi/v3 index and group-version documents, and schema-based
 * field validation (strict decoding of built-in kinds, structural pruning and validation of custom resources).
 */
export type { Schema, SchemaResolver } from './schema-types';
export { definitions, isBuiltinDefinition, builtinDefinitionName, refName, SCHEMA_REF_PREFIX } from './definitions';
export { schemaResolver, type NamedSchemaResolver } from './resolver';
export { openApiRoot, openApiGroupVersion, openApiGroupVersionJson, openApiPathKey, type CrdSchemaSource } from './openapi-document';
export { crdDefinitions, crdDefinitionName, crdKindSchema, type CrdSchemas } from './crd-definitions';
export { createFieldValidator, validateFields, pruneUnknown, type FieldValidator, type FieldValidationResult } from './field-validator';
export { decodeErrorMessage, cannotBeHandledMessage, strictDecodingMessage, unknownFieldMessage } from './decode-errors';
export { validateCustomResource } from './crd-validation';
