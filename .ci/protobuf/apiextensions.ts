/**
 * apiextensions.k8s.io/v1 fields added between k8s.io/apiextensions-apiserver v0.24 (what anthoscli links) and 1.32,
 * researched from upstream: generated.proto numbers (ValidationRule messageExpression=3, reason=4, fieldPath=5,
 * optionalOldSelf=6; CustomResourceDefinitionVersion selectableFields=9; SelectableField jsonPath=1) and types.go /
 * types_jsonschema.go JSON tags (`Reason *FieldValueErrorReason json:"reason,omitempty"`, `OptionalOldSelf *bool
 * json:"optionalOldSelf,omitempty"`, `SelectableFields []SelectableField json:"selectableFields,omitempty"`,
 * `JSONPath string json:"jsonPath"`). Entries use the descriptor's field form (see gen-protobuf-descriptor.ts).
 */
import type { FieldEntry } from './walk';

export const APIEXTENSIONS_ADDED: { fields: Record<string, FieldEntry[]>; messages: Record<string, FieldEntry[]> } = {
  fields: {
    'apiextensions/v1.ValidationRule': [
      [3, 'messageExpression', 'string', 'o'],
      [4, 'reason', 'string', 'po'],
      [5, 'fieldPath', 'string', 'o'],
      [6, 'optionalOldSelf', 'bool', 'po'],
    ],
    'apiextensions/v1.CustomResourceDefinitionVersion': [[9, 'selectableFields', 'apiextensions/v1.SelectableField', 'ro']],
  },
  messages: {
    'apiextensions/v1.SelectableField': [[1, 'jsonPath', 'string', '', 'JSONPath']],
  },
};
