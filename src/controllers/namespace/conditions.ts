/**
 * The namespace deletion conditions (upstream deletion/status_condition_utils.go): while deleting a namespace's
 * content the deleter collects failures (discovery, content deletion) and what remains (by resource and by
 * finalizer); `update` turns them into the five conditions the namespace controller maintains, each either its
 * failure variant (status True) or its success variant (status False, upstream's "ok" reason and message).
 * `lastTransitionTime` changes only when a condition's status flips. Pure: the caller writes the status.
 */

export interface NamespaceCondition {
  type: string;
  status: 'True' | 'False';
  lastTransitionTime?: string;
  reason?: string;
  message?: string;
}

export const CONDITION_TYPES = [
  'NamespaceDeletionDiscoveryFailure',
  'NamespaceDeletionGroupVersionParsingFailure',
  'NamespaceDeletionContentFailure',
  'NamespaceContentRemaining',
  'NamespaceFinalizersRemaining',
] as const;

const OK_MESSAGES: Record<string, string> = {
  NamespaceDeletionDiscoveryFailure: 'All resources successfully discovered',
  NamespaceDeletionGroupVersionParsingFailure: 'All legacy kube types successfully parsed',
  NamespaceDeletionContentFailure: 'All content successfully deleted, may be waiting on finalization',
  NamespaceContentRemaining: 'All content successfully removed',
  NamespaceFinalizersRemaining: 'All content successfully removed',
};

const OK_REASONS: Record<string, string> = {
  NamespaceDeletionDiscoveryFailure: 'ResourcesDiscovered',
  NamespaceDeletionGroupVersionParsingFailure: 'ParsedGroupVersions',
  NamespaceDeletionContentFailure: 'ContentDeleted',
  NamespaceContentRemaining: 'ContentRemoved',
  NamespaceFinalizersRemaining: 'ContentRemoved',
};

/** What remains after one pass: instances per `resource.group`, and per finalizer. */
export interface ContentTotals {
  remainingByResource: Map<string, number>;
  remainingByFinalizer: Map<string, number>;
}

export class NamespaceConditionUpdater {
  private readonly conditions: NamespaceCondition[] = [];
  private readonly contentErrors: string[] = [];

  constructor(private readonly now: string) {}

  /** `message` is upstream's ErrGroupDiscoveryFailed text when `failingGroups` is given. */
  discoveryFailed(message: string, failingGroups?: number): void {
    const msg = failingGroups !== undefined ? `Discovery failed for some groups, ${failingGroups} failing: ${message}` : message;
    this.conditions.push({ type: 'NamespaceDeletionDiscoveryFailure', status: 'True', lastTransitionTime: this.now, reason: 'DiscoveryFailed', message: msg });
  }

  deleteContentFailed(message: string): void {
    this.contentErrors.push(message);
  }

  contentTotals(t: ContentTotals): void {
    const byResource = [...t.remainingByResource].filter(([, n]) => n > 0).map(([r, n]) => `${r} has ${n} resource instances`).sort();
    if (t.remainingByResource.size) {
      this.conditions.push({
        type: 'NamespaceContentRemaining',
        status: 'True',
        lastTransitionTime: this.now,
        reason: 'SomeResourcesRemain',
        message: `Some resources are remaining: ${byResource.join(', ')}`,
      });
    }
    const byFinalizer = [...t.remainingByFinalizer].filter(([, n]) => n > 0).map(([f, n]) => `${f} in ${n} resource instances`).sort();
    if (t.remainingByFinalizer.size) {
      this.conditions.push({
        type: 'NamespaceFinalizersRemaining',
        status: 'True',
        lastTransitionTime: this.now,
        reason: 'SomeFinalizerRemain',
        message: `Some finalizers are remaining: ${byFinalizer.join(', ')}`,
      });
    }
  }

  /** Applies the collected state to `conditions` (changed in place); true when anything changed. */
  update(conditions: NamespaceCondition[]): boolean {
    if (!this.conditions.some((c) => c.type === 'NamespaceDeletionContentFailure') && this.contentErrors.length) {
      const msgs = [...this.contentErrors].sort();
      this.conditions.push({
        type: 'NamespaceDeletionContentFailure',
        status: 'True',
        lastTransitionTime: this.now,
        reason: 'ContentDeletionFailed',
        message: `Failed to delete all resource types, ${msgs.length} remaining: ${msgs.join(', ')}`,
      });
    }
    let changed = false;
    for (const type of CONDITION_TYPES) {
      const want = this.conditions.find((c) => c.type === type) ?? {
        type,
        status: 'False' as const,
        lastTransitionTime: this.now,
        reason: OK_REASONS[type],
        message: OK_MESSAGES[type],
      };
      const old = conditions.find((c) => c.type === type);
      if (!old) {
        conditions.push({ ...want });
        changed = true;
      } else if (old.status !== want.status || old.message !== want.message || old.reason !== want.reason) {
        if (old.status !== want.status) old.lastTransitionTime = this.now;
        old.status = want.status;
        old.reason = want.reason;
        old.message = want.message;
        changed = true;
      }
    }
    return changed;
  }
}
