/**
 * The label selector a parsed `labelSelector` (or a converted metav1.LabelSelector) becomes: an AND of
 * requirements sorted by key, as apimachinery's labels.internalSelector, plus the shared Everything/Nothing
 * selectors. Immutable; safe to share between watchers.
 */
import { compareGoStrings } from './go-format';
import { LabelRequirement } from './label-requirement';

export interface LabelSelector {
  /** True when every requirement holds for `labels` (undefined = no labels). */
  matches(labels: Readonly<Record<string, string>> | undefined): boolean;
  /** True when the selector does not restrict the selection (no requirements). Nothing() is not empty. */
  empty(): boolean;
  /** Upstream's canonical text: requirements sorted by key, joined by ','. Nothing() prints as ''. */
  toString(): string;
  /** The ANDed requirements, sorted by key (empty for Everything and Nothing). */
  readonly requirements: readonly LabelRequirement[];
  /** False only for Nothing(): it selects no object at all (Requirements() returning selectable=false). */
  readonly selectable: boolean;
  /**
   * RequiresExactMatch: the value the selector requires `key` to have, for indexing, or undefined. Looks only at
   * the first requirement on `key` (as upstream): `=`, `==`, or `in` with a single value.
   */
  requiresExactMatch(key: string): string | undefined;
  /** A new selector with more requirements (re-sorted by key). */
  add(...reqs: LabelRequirement[]): LabelSelector;
}

function byKey(a: LabelRequirement, b: LabelRequirement): number {
  return compareGoStrings(a.key, b.key);
}

class RequirementsSelector implements LabelSelector {
  readonly selectable = true;
  readonly requirements: readonly LabelRequirement[];
  private text: string | undefined;

  /** `reqs` must already be sorted by key. */
  constructor(reqs: LabelRequirement[]) {
    this.requirements = Object.freeze(reqs);
  }

  matches(labels: Readonly<Record<string, string>> | undefined): boolean {
    const rs = this.requirements;
    for (let i = 0; i < rs.length; i++) if (!rs[i].matches(labels)) return false;
    return true;
  }

  empty(): boolean {
    return this.requirements.length === 0;
  }

  toString(): string {
    if (this.text === undefined) this.text = this.requirements.map((r) => r.toString()).join(',');
    return this.text;
  }

  requiresExactMatch(key: string): string | undefined {
    for (const r of this.requirements) {
      if (r.key !== key) continue;
      if ((r.operator === '=' || r.operator === '==' || r.operator === 'in') && r.values.length === 1) return r.values[0];
      return undefined;
    }
    return undefined;
  }

  add(...reqs: LabelRequirement[]): LabelSelector {
    return selectorOf([...this.requirements, ...reqs]);
  }
}

class NothingSelector implements LabelSelector {
  readonly selectable = false;
  readonly requirements: readonly LabelRequirement[] = Object.freeze([]);
  matches(): boolean {
    return false;
  }
  empty(): boolean {
    return false;
  }
  toString(): string {
    return '';
  }
  requiresExactMatch(): string | undefined {
    return undefined;
  }
  add(): LabelSelector {
    return this;
  }
}

/** A selector over `reqs` in any order (sorted by key here; stable for equal keys). */
export function selectorOf(reqs: readonly LabelRequirement[]): LabelSelector {
  return new RequirementsSelector([...reqs].sort(byKey));
}

const EVERYTHING: LabelSelector = new RequirementsSelector([]);
const NOTHING: LabelSelector = new NothingSelector();

/** labels.Everything(): matches every label set (also what an empty string parses to). */
export function everything(): LabelSelector {
  return EVERYTHING;
}

/** labels.Nothing(): matches no label set (what a nil metav1.LabelSelector converts to). */
export function nothing(): LabelSelector {
  return NOTHING;
}

/** labels.SelectorFromSet: `k=v` for each entry, without validation; an empty or missing set selects everything. */
export function labelSelectorFromSet(set: Readonly<Record<string, string>> | undefined): LabelSelector {
  if (!set) return EVERYTHING;
  const keys = Object.keys(set);
  if (!keys.length) return EVERYTHING;
  return selectorOf(keys.map((k) => new LabelRequirement(k, '=', [set[k]])));
}
