/**
 * One probe worker: one probe type of one container of one pod, probing periodically on the Clock as upstream's
 * worker (pkg/kubelet/prober/worker.go) and holding the result for the container's current instance.
 *
 * Contract:
 * - start(): the first probe runs at once, or — while the prober manager is younger than one period (a kubelet that
 *   just started) — after a random part of the period; then every periodSeconds. A probe still in flight when the
 *   next tick or a trigger() comes makes exactly one more probe run right after it (Go's buffered channels).
 * - resetFor(id): a new container instance: the result becomes the initial value (readiness failure, liveness
 *   success, startup unknown) and a worker on hold probes again. Counts of consecutive results carry over, as
 *   upstream's do.
 * - Each probe: nothing while the container has no instance; a non-running one is a failure; a pod being deleted
 *   ends liveness/startup workers with success; nothing before initialDelaySeconds (whole seconds since startedAt);
 *   liveness/readiness wait for the container to have started, startup stops once it has. The result changes only
 *   after successThreshold / failureThreshold consecutive equal results; a liveness failure or any startup verdict
 *   puts the worker on hold until the next instance.
 * - stop(): no timer is left behind and a probe in flight is abandoned (its result dropped, no event).
 */
import type { TimerHandle } from '../../base/clock';
import type { ContainerStatus } from '../runtime/runtime';
import type { ContainerLike, ProbeSpec, ProbeType } from './probe-spec';
import type { ProbeOutcome } from './prober';

export type ProbeResult = 'success' | 'failure' | 'unknown';

const INITIAL: Record<ProbeType, ProbeResult> = { readiness: 'failure', liveness: 'success', startup: 'unknown' };

/** What a worker needs from its manager. */
export interface WorkerHost {
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(h: TimerHandle): void;
  random(): number;
  /** When the manager started (for the first-probe jitter). */
  startedAt: number;
  /** The container's current instance, undefined when it has none or the pod is gone. */
  current(w: ProbeWorker): ContainerStatus | undefined;
  /** Whether the current instance has started (startup probe succeeded or none). */
  started(w: ProbeWorker): boolean;
  /** The pod is being deleted / has finished (Succeeded or Failed) / its restart policy for this container. */
  podState(w: ProbeWorker): { deleting: boolean; finished: boolean; restartNever: boolean } | undefined;
  probe(w: ProbeWorker, c: ContainerStatus, signal: AbortSignal): Promise<ProbeOutcome | undefined>;
  /** The result for the current instance changed because of a probe. */
  changed(w: ProbeWorker, from: ProbeResult | undefined, to: ProbeResult): void;
  /** The worker ended by itself (upstream's worker exiting its loop). */
  exited(w: ProbeWorker): void;
}

export class ProbeWorker {
  private containerId?: string;
  private result?: ProbeResult;
  private lastResult?: ProbeOutcome;
  private resultRun = 0;
  private onHold = false;
  private tick?: TimerHandle;
  private jitter?: TimerHandle;
  private inFlight = false;
  private pending = false;
  private stopped = false;
  private abort = new AbortController();

  constructor(
    private readonly host: WorkerHost,
    readonly podUid: string,
    readonly container: ContainerLike,
    readonly spec: ProbeSpec,
  ) {}

  get type(): ProbeType {
    return this.spec.type;
  }

  private get periodMs(): number {
    return this.spec.periodSeconds * 1000;
  }

  /** The result for instance `id` (undefined for any other instance). */
  resultFor(id: string): ProbeResult | undefined {
    return id === this.containerId ? this.result : undefined;
  }

  start(): void {
    if (this.periodMs > this.host.now() - this.host.startedAt) {
      this.jitter = this.host.setTimeout(() => this.begin(), Math.floor(this.host.random() * this.periodMs));
    } else this.begin();
  }

  /** Probe now (upstream's manual trigger); coalesced with a probe in flight. */
  trigger(): void {
    if (this.stopped) return;
    if (this.inFlight || this.jitter) {
      this.pending = true;
      return;
    }
    this.schedule();
    void this.run();
  }

  resetFor(id: string): void {
    if (id === this.containerId) return;
    this.containerId = id;
    this.result = INITIAL[this.type];
    this.onHold = false;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.abort.abort();
    if (this.tick) this.host.clearTimeout(this.tick);
    if (this.jitter) this.host.clearTimeout(this.jitter);
    this.tick = this.jitter = undefined;
  }

  private begin(): void {
    this.jitter = undefined;
    this.schedule();
    void this.run();
  }

  /** (Re)start the period timer. */
  private schedule(): void {
    if (this.tick) this.host.clearTimeout(this.tick);
    this.tick = this.host.setTimeout(() => {
      this.tick = undefined;
      this.schedule();
      if (this.inFlight) this.pending = true;
      else void this.run();
    }, this.periodMs);
  }

  private async run(): Promise<void> {
    this.inFlight = true;
    let keepGoing = true;
    try {
      keepGoing = await this.doProbe();
    } catch {
      keepGoing = true; // upstream eats panics and keeps probing
    }
    this.inFlight = false;
    if (this.stopped) return;
    if (!keepGoing) {
      this.stop();
      this.host.exited(this);
      return;
    }
    if (this.pending) {
      this.pending = false;
      void this.run();
    }
  }

  private set(r: ProbeResult, notify: boolean): void {
    const from = this.result;
    this.result = r;
    if (notify && from !== r) this.host.changed(this, from, r);
  }

  /** One probe; returns whether the worker keeps going. */
  private async doProbe(): Promise<boolean> {
    const pod = this.host.podState(this);
    if (!pod) return true;
    if (pod.finished) return false;
    const c = this.host.current(this);
    if (!c) return true;
    this.resetFor(c.id);
    if (this.onHold) return true;
    if (c.state !== 'running') {
      this.set('failure', false);
      return c.state !== 'exited' || !pod.restartNever;
    }
    if (pod.deleting && this.type !== 'readiness') {
      this.set('success', true);
      return false;
    }
    if (Math.floor((this.host.now() - (c.startedAt ?? this.host.now())) / 1000) < this.spec.initialDelaySeconds) return true;
    const started = this.host.started(this);
    if (started === (this.type === 'startup')) return true;

    const r = await this.host.probe(this, c, this.abort.signal);
    if (this.stopped || this.containerId !== c.id || this.onHold || r === undefined) return true;
    if (this.lastResult === r) this.resultRun++;
    else {
      this.lastResult = r;
      this.resultRun = 1;
    }
    const threshold = r === 'failure' ? this.spec.failureThreshold : this.spec.successThreshold;
    if (this.resultRun < threshold) return true;
    this.set(r, true);
    if ((this.type === 'liveness' && r === 'failure') || this.type === 'startup') {
      this.onHold = true;
      this.resultRun = 0;
    }
    return true;
  }
}
