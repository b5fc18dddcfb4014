/**
 * The object filter of a list or watch: namespace, labelSelector and fieldSelector (only the fields upstream
 * supports for the resource; others are 400), and the name from a watch path. Parsed once per request; matching
 * is per object.
 */
import type { StoredObject } from '../../api/object';
import type { ResourceInfo } from '../../api/resources';
import { checkFieldSelector, compileFieldMatcher, parseFieldSelector, parseLabelSelector } from '../../api/selectors';
import type { WatchFilter } from '../watch/cache-watcher';

export interface RequestFilter {
  /** undefined when nothing but the namespace restricts the selection. */
  matches: ((o: Readonly<StoredObject>) => boolean) | undefined;
  /** Whether label or field selectors apply (then remainingItemCount is not reported). */
  filtered: boolean;
  watch: WatchFilter;
}

export function buildFilter(r: ResourceInfo, q: URLSearchParams, namespace: string | undefined, name?: string): RequestFilter {
  const ls = parseLabelSelector(q.get('labelSelector') ?? '');
  const fs = checkFieldSelector(r, parseFieldSelector(q.get('fieldSelector') ?? ''));
  const fieldMatch = compileFieldMatcher(r, fs);
  const labelsOn = !ls.empty();
  const fieldsOn = !fs.empty();
  const nameOnly = name ?? fs.requiresExactMatch('metadata.name');
  let matches: RequestFilter['matches'];
  if (labelsOn || fieldsOn || name !== undefined) {
    matches = (o) => {
      if (name !== undefined && o.metadata.name !== name) return false;
      if (nameOnly !== undefined && o.metadata.name !== nameOnly) return false;
      if (labelsOn && !ls.matches(o.metadata.labels)) return false;
      if (fieldsOn && !fieldMatch(o)) return false;
      return true;
    };
  }
  const watch: WatchFilter = {
    namespace: namespace || undefined,
    matches: matches ?? (() => true),
    nodeName: r.group === '' && r.resource === 'pods' ? fs.requiresExactMatch('spec.nodeName') : undefined,
  };
  return { matches, filtered: labelsOn || fieldsOn, watch };
}
