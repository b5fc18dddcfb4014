/**
 * The scheduling queue (upstream pkg/scheduler/backend/queue PriorityQueue, 1.32): activeQ (a heap ordered by the
 * QueueSort plugin's less), backoffQ (ordered by backoff expiry) and unschedulablePods, plus the nominator.
 *
 * Contract (upstream behaviour unless noted):
 * - add/update put a new pod in activeQ after the PreEnqueue plugins pass; a pod they reject is parked in
 *   unschedulablePods with `gated` = true (and the rejecting plugin in unschedulablePlugins) until an update or event
 *   lets it pass. Gated pods never back off.
 * - pop() resolves with the head of activeQ as soon as there is one (waiting callers are served in call order),
 *   marks it in flight until done(uid) or addUnschedulableIfNotPresent, increments schedulingCycle() and the pod's
 *   attempts, and clears its unschedulable/pending plugins for the new attempt. After close() it resolves undefined
 *   (ours: even when pods are still queued, so the scheduler loop ends).
 * - addUnschedulableIfNotPresent(qpi, cycle) parks a failed pod in unschedulablePods, or in backoffQ when a move
 *   request happened since `cycle` started (moveRequestCycle ≥ cycle), when no plugin rejected it, or (ours) when
 *   the pod itself was updated while in flight in a way a rejector's hint says may help. It returns an Error (and
 *   changes nothing) when the pod is already queued.
 * - moveAllToActiveOrBackoffQueue(event) asks each parked pod's rejecting plugins' hints; pods worth requeuing go to
 *   backoffQ while backing off, else activeQ. Every move request records moveRequestCycle = schedulingCycle().
 * - Every 1 s pods whose backoff expired move to activeQ; every 30 s pods parked longer than
 *   podMaxInUnschedulablePodsDurationMs are moved as for the UnschedulableTimeout wildcard event (injected clock).
 * - assignedPodAdded/Updated move parked pods with a required affinity term matching the assigned pod (a scale-down
 *   of the assigned pod moves all parked pods, as upstream).
 */
import type { Clock } from '../../base/clock';
import { systemClock } from '../../base/clock';
import type { ClusterEvent, Pod, PodInfo, PodNominator, QueuedPodInfo, Status } from '../framework';
import { podInfo as podInfoOf, termMatches } from '../framework';
import { Backoff, BackoffQueue } from './backoff';
import * as E from './events';
import { ActiveQueue } from './active-queue';
import { podKey, podUid, qpiKey } from './keys';
import { Nominator } from './nominator';
import * as D from './options';
import type { SchedulingQueueOptions } from './options';
import { Periodic } from './periodic';
import { podWorthRequeuing, type QueueingStrategy } from './requeue-strategy';
import { UnschedulablePods } from './unschedulable-pods';

type QueueName = 'active' | 'backoff' | 'unschedulable';
const SCHEDULING_GATES = 'SchedulingGates';
const SCALE_DOWN: ClusterEvent = { resource: 'Pod', actions: ['UpdatePodScaleDown'] };

export class SchedulingQueue implements PodNominator {
  private readonly clock: Clock;
  private readonly activeQ: ActiveQueue;
  private readonly backoff: Backoff;
  private readonly backoffQ: BackoffQueue;
  private readonly unschedulable = new UnschedulablePods();
  private readonly nominator: Nominator;
  private readonly maxInUnschedulableMs: number;
  private readonly interesting: (event: ClusterEvent) => boolean;
  private moveRequestCycle = -1;
  private readonly periodic: Periodic;

  constructor(private readonly o: SchedulingQueueOptions) {
    this.clock = o.clock ?? systemClock;
    this.activeQ = new ActiveQueue(o.lessFn);
    this.backoff = new Backoff(o.podInitialBackoffMs ?? D.DEFAULT_POD_INITIAL_BACKOFF_MS, o.podMaxBackoffMs ?? D.DEFAULT_POD_MAX_BACKOFF_MS);
    this.backoffQ = new BackoffQueue(this.backoff);
    this.maxInUnschedulableMs = o.podMaxInUnschedulablePodsDurationMs ?? D.DEFAULT_POD_MAX_IN_UNSCHEDULABLE_PODS_DURATION_MS;
    this.interesting = o.isEventOfInterest ?? (() => true);
    this.nominator = new Nominator(o.getPod);
    this.periodic = new Periodic(this.clock);
    this.periodic.every(D.BACKOFF_FLUSH_INTERVAL_MS, () => this.flushBackoffQCompleted());
    this.periodic.every(D.UNSCHEDULABLE_FLUSH_INTERVAL_MS, () => this.flushUnschedulablePodsLeftover());
  }

  add(pod: Pod): void {
    if (this.moveToActiveQ(this.newQueuedPodInfo(pod), E.UnscheduledPodAdd.label!)) this.broadcast();
  }

  update(oldPod: Pod | undefined, newPod: Pod): void {
    const flight = this.activeQ.inFlightOf(podUid(newPod));
    if (flight) {
      if (oldPod) flight.updates.push({ oldPod, newPod });
      return;
    }
    if (oldPod) {
      for (const q of [this.activeQ, this.backoffQ]) {
        const qpi = q.get(podKey(oldPod));
        if (!qpi) continue;
        qpi.podInfo = podInfoOf(newPod);
        q.addOrUpdate(qpi);
        this.nominator.update(oldPod, qpi.podInfo);
        return;
      }
    }
    const parked = this.unschedulable.get(newPod);
    if (parked) {
      parked.podInfo = podInfoOf(newPod);
      this.nominator.update(oldPod ?? newPod, parked.podInfo);
      // Ours: a change of status only (our own FailedScheduling patch, for one) never requeues (upstream isPodUpdated).
      if (oldPod && !E.isPodUpdated(oldPod, newPod)) return;
      for (const evt of E.podSchedulingPropertiesChange(newPod, oldPod ?? newPod)) {
        const strategy = podWorthRequeuing(parked, evt, oldPod, newPod, this.o.eventHint);
        const queue = this.requeue(parked, strategy, E.UnscheduledPodUpdate.label!);
        if (queue === 'active') this.broadcast();
        if (queue !== 'unschedulable') break;
      }
      return;
    }
    if (this.moveToActiveQ(this.newQueuedPodInfo(newPod), E.UnscheduledPodUpdate.label!)) this.broadcast();
  }

  delete(pod: Pod): void {
    this.nominator.delete(pod);
    const flight = this.activeQ.inFlightOf(podUid(pod));
    if (flight) flight.deleted = true;
    const key = podKey(pod);
    if (this.activeQ.delete(key) || this.backoffQ.delete(key)) return;
    this.unschedulable.delete(pod);
  }

  /** Moves the pods from unschedulablePods or backoffQ to activeQ (upstream Activate); a pod in neither counts as a move request. */
  activate(pods: Iterable<Pod>): void {
    let activated = false;
    for (const pod of pods) {
      const qpi = this.unschedulable.get(pod) ?? this.backoffQ.get(podKey(pod));
      if (!qpi) {
        this.moveRequestCycle = this.activeQ.schedulingCycle();
        continue;
      }
      if (this.moveToActiveQ(qpi, E.FORCE_ACTIVATE)) activated = true;
    }
    if (activated) this.broadcast();
  }

  pop(): Promise<QueuedPodInfo | undefined> {
    return this.activeQ.pop();
  }

  done(uid: string): void {
    this.activeQ.done(uid);
  }

  schedulingCycle(): number {
    return this.activeQ.schedulingCycle();
  }

  addUnschedulableIfNotPresent(qpi: QueuedPodInfo, podSchedulingCycle: number): Error | undefined {
    const pod = qpi.podInfo.pod;
    const flight = this.activeQ.done(podUid(pod));
    const key = qpiKey(qpi);
    if (this.unschedulable.getByKey(key)) return new Error(`Pod ${key} is already present in unschedulable queue`);
    if (this.activeQ.has(key)) return new Error(`Pod ${key} is already present in the active queue`);
    if (this.backoffQ.has(key)) return new Error(`Pod ${key} is already present in the backoff queue`);
    if (flight?.deleted) return undefined;
    qpi.timestamp = this.clock.now();
    let move = this.moveRequestCycle >= podSchedulingCycle || (qpi.unschedulablePlugins.size === 0 && qpi.pendingPlugins.size === 0);
    for (const { oldPod, newPod } of flight?.updates ?? []) {
      qpi.podInfo = podInfoOf(newPod);
      if (move || !E.isPodUpdated(oldPod, newPod)) continue;
      move = E.podSchedulingPropertiesChange(newPod, oldPod).some((evt) => podWorthRequeuing(qpi, evt, oldPod, newPod, this.o.eventHint) !== 'skip');
    }
    if (move) this.moveToBackoffQ(qpi);
    else this.unschedulable.addOrUpdate(qpi);
    return undefined;
  }

  moveAllToActiveOrBackoffQueue(event: ClusterEvent, oldObj?: unknown, newObj?: unknown, preCheck?: (pod: Pod) => boolean): void {
    if (!this.isEventOfInterest(event)) return;
    const pods = this.unschedulable.list().filter((qpi) => !preCheck || preCheck(qpi.podInfo.pod));
    this.movePodsToActiveOrBackoffQueue(pods, event, oldObj, newObj);
  }

  assignedPodAdded(pod: Pod): void {
    this.movePodsToActiveOrBackoffQueue(this.podsWithMatchingAffinityTerm(pod), E.AssignedPodAdd, undefined, pod);
  }

  assignedPodUpdated(oldPod: Pod, newPod: Pod): void {
    for (const evt of E.podSchedulingPropertiesChange(newPod, oldPod)) {
      if (E.eventMatches(SCALE_DOWN, evt)) this.moveAllToActiveOrBackoffQueue(evt, oldPod, newPod);
      else this.movePodsToActiveOrBackoffQueue(this.podsWithMatchingAffinityTerm(newPod), evt, oldPod, newPod);
    }
  }

  /** Moves every pod whose backoff expired from backoffQ to activeQ (runs every second). */
  flushBackoffQCompleted(): void {
    let activated = false;
    for (const qpi of this.backoffQ.popCompleted(this.clock.now())) {
      if (this.moveToActiveQ(qpi, E.BACKOFF_COMPLETE)) activated = true;
    }
    if (activated) this.broadcast();
  }

  /** Moves pods parked longer than podMaxInUnschedulablePodsDuration (runs every 30 s). */
  flushUnschedulablePodsLeftover(): void {
    const now = this.clock.now();
    const stale = this.unschedulable.list().filter((qpi) => now - qpi.timestamp > this.maxInUnschedulableMs);
    if (stale.length > 0) this.movePodsToActiveOrBackoffQueue(stale, E.UnschedulableTimeout);
  }

  close(): void {
    this.periodic.stop();
    this.activeQ.close();
  }

  addNominatedPod(pi: PodInfo, nodeName?: string): void {
    this.nominator.add(pi, nodeName);
  }

  updateNominatedPod(oldPod: Pod, newPi: PodInfo): void {
    this.nominator.update(oldPod, newPi);
  }

  deleteNominatedPodIfExists(pod: Pod): void {
    this.nominator.delete(pod);
  }

  /** Pods nominated to the node, each as the queue currently holds it. */
  nominatedPodsForNode(nodeName: string): readonly PodInfo[] {
    const nominated = this.nominator.forNode(nodeName);
    return nominated.length === 0 ? nominated : nominated.map((pi) => this.getPod(pi.pod)?.podInfo ?? pi);
  }

  pendingPods(): { active: number; backoff: number; unschedulable: number } {
    return { active: this.activeQ.size, backoff: this.backoffQ.size, unschedulable: this.unschedulable.size };
  }

  /** Ours, for tests and debugging: where a pod (by namespace/name) is queued, if it is. */
  queueOf(pod: Pod): QueueName | undefined {
    const key = podKey(pod);
    if (this.activeQ.has(key)) return 'active';
    if (this.backoffQ.has(key)) return 'backoff';
    return this.unschedulable.getByKey(key) ? 'unschedulable' : undefined;
  }

  /** Upstream GetPod: the QueuedPodInfo of a queued pod (by namespace/name). */
  getPod(pod: Pod): QueuedPodInfo | undefined {
    const key = podKey(pod);
    return this.activeQ.get(key) ?? this.backoffQ.get(key) ?? this.unschedulable.getByKey(key);
  }

  /** Names (`namespace/name`) in each queue: activeQ in pop order, backoffQ in expiry order. */
  podsIn(queue: QueueName): string[] {
    if (queue === 'unschedulable') return this.unschedulable.list().map(qpiKey);
    if (queue === 'backoff') return this.backoffQ.list().sort((a, b) => this.backoff.expiry(a) - this.backoff.expiry(b)).map(qpiKey);
    return this.activeQ.orderedKeys();
  }

  private newQueuedPodInfo(pod: Pod): QueuedPodInfo {
    return { podInfo: podInfoOf(pod), timestamp: this.clock.now(), attempts: 0, unschedulablePlugins: new Set(), pendingPlugins: new Set(), gated: false };
  }

  private isEventOfInterest(event: ClusterEvent): boolean {
    return E.isWildCard(event) || this.interesting(event);
  }

  /** Runs PreEnqueue; a rejection gates the pod and records the gating plugin among its unschedulable plugins. */
  private runPreEnqueue(qpi: QueuedPodInfo): void {
    let s: Status;
    try {
      s = this.o.preEnqueue(qpi.podInfo.pod);
    } catch {
      qpi.unschedulablePlugins.add('PreEnqueue');
      qpi.gated = true;
      return;
    }
    qpi.gated = !s.isSuccess();
    if (qpi.gated) qpi.unschedulablePlugins.add(s.plugin || 'PreEnqueue');
  }

  private moveToActiveQ(qpi: QueuedPodInfo, event: string): boolean {
    this.runPreEnqueue(qpi);
    const key = qpiKey(qpi);
    if (qpi.gated) {
      if (!this.activeQ.has(key) && !this.backoffQ.has(key)) this.unschedulable.addOrUpdate(qpi);
      return false;
    }
    qpi.initialAttemptTimestamp ??= this.clock.now();
    this.unschedulable.delete(qpi.podInfo.pod);
    this.backoffQ.delete(key);
    this.activeQ.addOrUpdate(qpi);
    if (event === E.UnscheduledPodAdd.label || event === E.UnscheduledPodUpdate.label) this.nominator.add(qpi.podInfo);
    return true;
  }

  private moveToBackoffQ(qpi: QueuedPodInfo): void {
    this.unschedulable.delete(qpi.podInfo.pod);
    this.backoffQ.addOrUpdate(qpi);
  }

  private requeue(qpi: QueuedPodInfo, strategy: QueueingStrategy, event: string): QueueName {
    if (strategy === 'skip') {
      this.unschedulable.addOrUpdate(qpi);
      return 'unschedulable';
    }
    if (strategy === 'afterBackoff' && this.backoff.isBackingOff(qpi, this.clock.now())) {
      this.moveToBackoffQ(qpi);
      return 'backoff';
    }
    return this.moveToActiveQ(qpi, event) ? 'active' : 'unschedulable';
  }

  private movePodsToActiveOrBackoffQueue(pods: QueuedPodInfo[], event: ClusterEvent, oldObj?: unknown, newObj?: unknown): void {
    if (!this.isEventOfInterest(event)) return;
    let activated = false;
    for (const qpi of pods) {
      // Upstream hotfix (#124384): pods held by scheduling gates only move when they themselves are updated.
      if (qpi.gated && qpi.unschedulablePlugins.has(SCHEDULING_GATES)) continue;
      const strategy = podWorthRequeuing(qpi, event, oldObj, newObj, this.o.eventHint);
      if (strategy === 'skip') continue;
      this.unschedulable.delete(qpi.podInfo.pod);
      if (this.requeue(qpi, strategy, E.eventLabel(event)) === 'active') activated = true;
    }
    this.moveRequestCycle = this.activeQ.schedulingCycle();
    if (activated) this.broadcast();
  }

  /** Parked pods with a required affinity term that selects `pod` (upstream getUnschedulablePodsWithMatchingAffinityTerm). */
  private podsWithMatchingAffinityTerm(pod: Pod): QueuedPodInfo[] {
    const nsLabels = this.o.namespaceLabels?.(String(pod.metadata?.namespace ?? ''));
    return this.unschedulable.list().filter((qpi) => qpi.podInfo.requiredAffinityTerms.some((t) => termMatches(t, pod, nsLabels)));
  }

  private broadcast(): void {
    this.activeQ.broadcast();
  }
}
