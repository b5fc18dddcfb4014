/**
 * Manifest handling for the Apply / Delete / Dry Run / Diff commands, without `vscode`: parse a file into the
 * objects kubectl would send (with source ranges and problems), order them, place API errors on the exact YAML node
 * as diagnostics, and word the summary lines as kubectl does. src/vscode wires these to editors and the cluster.
 */
export { LineIndex, type ManifestSource, type Position, type Range, type Severity } from './source';
export { hasErrors, parseManifests, problemAt, type ManifestDocument, type ManifestProblem } from './parse';
export { locateField, parseFieldPath, rangeOfField, type FieldLocation, type LocateOptions, type PathSegment } from './field-range';
export { asStatus, problemDiagnostics, statusDiagnostics, warningDiagnostics, type ManifestDiagnostic } from './status-diagnostics';
export { applyOrder, deleteOrder, installRank } from './order';
export { applyLine, applyOperation, deleteLine, kindString, summaryHeadline, type ApplyOperation, type DryRun } from './summary';
export { FIELD_MANAGER, ManifestRunner, serverErrorText, type DocOutcome, type ManifestAction, type ManifestRun } from './runner';
export { MAX_MANIFEST_DEPTH, depthExceededAt } from './nesting';
export { MAX_MANIFEST_BYTES, sizeRefusal } from './size-limit';
