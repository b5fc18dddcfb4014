/**
 * Status (upstream framework.Status): what every plugin returns instead of throwing. Codes as upstream: Success;
 * Error (an internal failure — the pod is retried with backoff); Unschedulable (may fit after the cluster changes,
 * e.g. preemption could help); UnschedulableAndUnresolvable (preemption cannot help on that node); Wait (Permit);
 * Skip (PreFilter/PreScore: this plugin has nothing to do for the pod); Pending (PreEnqueue: not ready to queue).
 * `reasons` are what FailedScheduling aggregates ("Insufficient cpu", "node(s) didn't match Pod's node
 * affinity/selector"), worded exactly as kube-scheduler words them.
 */
export type Code = 'Success' | 'Error' | 'Unschedulable' | 'UnschedulableAndUnresolvable' | 'Wait' | 'Skip' | 'Pending';

export class Status {
  /** The plugin that returned it (set by the framework). */
  plugin = '';

  constructor(
    readonly code: Code,
    readonly reasons: readonly string[] = [],
    /** For Error: the underlying error. */
    readonly error?: Error,
  ) {}

  static success(): Status {
    return SUCCESS;
  }

  static error(e: Error | string): Status {
    const err = typeof e === 'string' ? new Error(e) : e;
    return new Status('Error', [err.message], err);
  }

  static unschedulable(...reasons: string[]): Status {
    return new Status('Unschedulable', reasons);
  }

  static unresolvable(...reasons: string[]): Status {
    return new Status('UnschedulableAndUnresolvable', reasons);
  }

  static skip(): Status {
    return new Status('Skip');
  }

  isSuccess(): boolean {
    return this.code === 'Success';
  }

  /** Unschedulable or UnschedulableAndUnresolvable. */
  isRejected(): boolean {
    return this.code === 'Unschedulable' || this.code === 'UnschedulableAndUnresolvable';
  }

  message(): string {
    return this.reasons.join(', ');
  }

  withPlugin(name: string): Status {
    if (this === SUCCESS) return this;
    const s = new Status(this.code, this.reasons, this.error);
    s.plugin = name;
    return s;
  }
}

const SUCCESS = new Status('Success');

/** Upstream MaxNodeScore / MinNodeScore: Score plugins return (after NormalizeScore) values in [0, 100]. */
export const MAX_NODE_SCORE = 100;
export const MIN_NODE_SCORE = 0;
