/**
 * Lister: read-only queries over an informer's Indexer (client-go's generated listers): all objects or one
 * namespace's, optionally filtered by a label selector, and get by namespace/name. Results are the cached
 * (frozen, shared) objects: never modify one.
 */
import type { LabelSelector } from '../../api/selectors/label-selector';
import { LABEL_INDEX, NAMESPACE_INDEX, type CachedObject, type Indexer } from './indexer';

export class Lister {
  constructor(private readonly indexer: Indexer) {}

  /** Objects in `namespace` ('' or undefined: every namespace) whose labels match `selector` (default: all). */
  list(namespace?: string, selector?: LabelSelector): CachedObject[] {
    let items: CachedObject[];
    const exact = selector ? firstExactRequirement(selector) : undefined;
    if (exact) items = this.indexer.byIndex(LABEL_INDEX, exact).filter((o) => !namespace || o.metadata?.namespace === namespace);
    else items = namespace ? this.indexer.byIndex(NAMESPACE_INDEX, namespace) : this.indexer.list();
    return selector ? items.filter((o) => selector.matches(o.metadata?.labels)) : items;
  }

  get(namespace: string, name: string): CachedObject | undefined {
    return this.indexer.getByName(namespace, name);
  }
}

/** `key=value` of a requirement the selector needs exactly, to narrow the candidates through the label index. */
function firstExactRequirement(selector: LabelSelector): string | undefined {
  for (const r of selector.requirements) {
    const v = selector.requiresExactMatch(r.key);
    if (v !== undefined) return `${r.key}=${v}`;
  }
  return undefined;
}
