/**
 * Server-side apply and managedFields as pure functions (structured-merge-diff + apimachinery's field manager):
 * applyPatch for `application/apply-patch+yaml` PATCHes (and creates), updateManagedFields for every other write,
 * defaultFieldManager for requests without `fieldManager`. Lower-level pieces (field sets, FieldsV1) are exported for
 * tests and tools.
 */
export { applyPatch, type ApplyOptions } from './apply-patch';
export { updateManagedFields, type UpdateOptions } from './update-managed-fields';
export type { FieldManagerOptions } from './field-manager';
export { defaultFieldManager, managerOrUserAgent, FIELD_MANAGER_MAX_LENGTH } from './default-manager';
export { LAST_APPLIED_ANNOTATION } from './last-applied';
export { FieldSet } from './field-set';
export { setToFieldsV1, fieldsV1ToSet } from './fields-v1';
export { toFieldSet } from './to-field-set';
export { TypeInfo } from './type-info';
export { fieldPE, keyPE, valuePE, indexPE, pathString, type Path, type PathElement } from './path-element';
