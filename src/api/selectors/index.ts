/**
 * Label and field selectors as the Kubernetes API server parses and applies them. Parse once per request or watch,
 * then match per object; the matchers are immutable and shareable.
 */
export { compareGoStrings, goQuote, goStringSlice } from './go-format';
export {
  DNS1123_SUBDOMAIN_MAX_LENGTH,
  isDNS1123Subdomain,
  isQualifiedName,
  isValidLabelValue,
  LABEL_VALUE_MAX_LENGTH,
  QUALIFIED_NAME_MAX_LENGTH,
} from './label-validation';
export { LabelRequirement, newRequirement, SelectorError, type LabelOperator } from './label-requirement';
export { everything, labelSelectorFromSet, nothing, selectorOf, type LabelSelector } from './label-selector';
export { parseLabelSelector, parseLabelSelectorOrThrow } from './label-parser';
export {
  labelSelectorAsMap,
  labelSelectorAsSelector,
  validateLabelName,
  validateLabels,
  validateLabelSelector,
  type LabelSelectorValidationOptions,
  type V1LabelSelector,
} from './label-selector-object';
export {
  escapeFieldValue,
  everythingFields,
  fieldSelectorFromSet,
  parseFieldSelector,
  parseFieldSelectorOrThrow,
  unescapeFieldValue,
  type FieldRequirement,
  type FieldSelector,
  type FieldTransform,
} from './field-selector';
export { fieldLabelsFor, type FieldGetter, type FieldLabels } from './field-labels';
export { checkFieldSelector, compileFieldMatcher, fieldsOf, selectionPredicate, supportedFieldLabels } from './field-check';
