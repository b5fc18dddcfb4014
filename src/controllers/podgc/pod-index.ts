/**
 * What the pod garbage collector's checks need from the pods, kept up to date from the pod informer's events instead
 * of going through every pod on every pass: the terminated pods (only when the terminated-pod check is on), the
 * terminating ones (with a deletionTimestamp), and how many pods are bound to each node. A pass of a large idle
 * cluster then touches none of its 10,000 Running pods (each one a cache miss in a large heap); the checks read a
 * snapshot of these taken at the pass's start, as upstream's gc() reads its lister snapshot.
 */
import { deletedObject, type CachedObject, type DeletedFinalStateUnknown, type EventHandlers } from '../../client/informers';
import { podNodeName } from '../framework/pod-util';
import { isPodTerminated } from './gc-rules';

const keyOf = (p: CachedObject) => `${String(p.metadata?.namespace ?? '')}/${String(p.metadata?.name ?? '')}`;
const isTerminating = (p: CachedObject) => !!p.metadata?.deletionTimestamp;

export class PodGCIndex {
  private readonly terminatedPods = new Map<string, CachedObject>();
  private readonly terminatingPods = new Map<string, CachedObject>();
  private readonly podsPerNode = new Map<string, number>();

  constructor(private readonly countTerminated: boolean) {}

  readonly handlers: EventHandlers = {
    onAdd: (o: CachedObject) => this.change(undefined, o),
    onUpdate: (old: CachedObject, cur: CachedObject) => this.change(old, cur),
    onDelete: (o: CachedObject | DeletedFinalStateUnknown) => this.change(deletedObject(o), undefined),
  };

  /** The terminated pods now (empty when the terminated-pod check is off). */
  terminated(): CachedObject[] {
    return [...this.terminatedPods.values()];
  }

  /** The pods with a deletionTimestamp now. */
  terminating(): CachedObject[] {
    return [...this.terminatingPods.values()];
  }

  /** The nodes at least one pod is bound to now. */
  nodes(): Set<string> {
    return new Set(this.podsPerNode.keys());
  }

  private change(old: CachedObject | undefined, cur: CachedObject | undefined): void {
    const was = old ? podNodeName(old) : '';
    const now = cur ? podNodeName(cur) : '';
    if (was !== now) {
      if (was) this.count(was, -1);
      if (now) this.count(now, 1);
    }
    this.track(this.terminatedPods, old, cur, (p) => this.countTerminated && isPodTerminated(p));
    this.track(this.terminatingPods, old, cur, isTerminating);
  }

  /** Keeps `cur` in `set` while it qualifies; a key is built only for pods that do or did (few of them). */
  private track(set: Map<string, CachedObject>, old: CachedObject | undefined, cur: CachedObject | undefined, qualifies: (p: CachedObject) => boolean): void {
    if (cur && qualifies(cur)) set.set(keyOf(cur), cur);
    else if (old && qualifies(old)) set.delete(keyOf(old));
  }

  private count(node: string, by: number): void {
    const n = (this.podsPerNode.get(node) ?? 0) + by;
    if (n > 0) this.podsPerNode.set(node, n);
    else this.podsPerNode.delete(node);
  }
}
