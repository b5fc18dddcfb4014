/**
 * The Registry view's pure model (no vscode): the key tree fed by list + watch, the watch-event batcher, the
 * read-only documents (rendering, `kubelab:` URIs, history labels) and the tooltips. src/vscode wraps it in a
 * TreeDataProvider and a TextDocumentContentProvider.
 */
export { RegistryTree } from './registry-tree';
export {
  PAGE_SIZE,
  REGISTRY_ROOT,
  folderId,
  keyId,
  moreLabel,
  parentPath,
  segmentsOf,
} from './registry-nodes';
export type {
  ChildrenPage,
  FolderNode,
  KeyNode,
  MoreMarker,
  PageOptions,
  RegistryEntry,
  RegistryEvent,
  RegistryNode,
} from './registry-nodes';
export { ChangeBatcher, DEFAULT_BATCH_INTERVAL_MS, registryEventKey } from './batcher';
export type { ChangeBatcherOptions } from './batcher';
export {
  REGISTRY_SCHEME,
  TIMESTAMP_PATHS,
  formatTimestamp,
  historyLabel,
  parseRegistryUri,
  registryUri,
  renderValue,
  revisionTimestamp,
} from './documents';
export type { RegistryUriParts, RenderedValue, RevisionEntry, ValueFormat } from './documents';
export { layoutJson } from './json-layout';
export { countLabel, folderTooltip, formatLease, keyTooltip } from './tooltip';
