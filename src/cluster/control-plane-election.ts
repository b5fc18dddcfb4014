/**
 * One control-plane component gated on leader election, as kube-controller-manager and kube-scheduler run with
 * `--leader-elect=true`: the component campaigns for the Lease named after it in kube-system (15 s / 10 s / 2 s by
 * default, identity `<hostname>_<uuid>`, `LeaderElection` events from the component's event source) and does its
 * work only while it holds the Lease.
 * - `start()` joins the election; the first attempt is made at once. It resolves once the component has started
 *   (it won the Lease) or the first attempt lost (standby). Starting fails when the component's own start fails.
 * - Winning starts the work (`run.start`); losing the Lease stops it (`run.stop`). Upstream exits the process
 *   there ("leaderelection lost"); here the component stays up and campaigns again as a standby, same identity.
 * - `stop({ release })` stops the work first, then leaves the election, releasing the Lease (default) so a
 *   standby takes over at once; `release: false` leaves it to expire, as a crashed process does.
 */
import type { Clock } from '../base/clock';
import type { Logger } from '../base/logger';
import type { ApiRequest, ApiResponse, UserInfo } from '../apiserver/request';
import { EventBroadcaster } from '../client/events';
import { InProcessTransport } from '../client/in-process';
import { DEFAULT_LEASE_DURATION_MS, DEFAULT_RENEW_DEADLINE_MS, DEFAULT_RETRY_PERIOD_MS, LeaderElector, LeaseLock } from '../client/leaderelection';

export const LEADER_ELECTION_NAMESPACE = 'kube-system';

export interface ElectionTiming {
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

export interface ComponentElectionOptions {
  /** The Lease's name: the component's name. */
  name: string;
  identity: string;
  handle(req: ApiRequest): Promise<ApiResponse>;
  /** Who the component authenticates as (its ClusterRole allows the Lease named after it). */
  user: UserInfo;
  userAgent: string;
  /** The source component of its LeaderElection events. */
  eventSource: string;
  clock: Clock;
  logger: Logger;
  timing?: ElectionTiming;
  /** Starts the component's work (resolves when it is up); stops it. */
  run: { start(): Promise<void>; stop(): Promise<void> };
}

export class ComponentElection {
  private readonly transport: InProcessTransport;
  private readonly broadcaster: EventBroadcaster;
  private elector: LeaderElector | undefined;
  private wanted = false;
  /** The work's start in progress or done (undefined: not running). */
  private work: Promise<void> | undefined;

  constructor(private readonly o: ComponentElectionOptions) {
    this.transport = new InProcessTransport({ handle: o.handle, user: o.user, userAgent: `${o.userAgent}/leader-election` });
    this.broadcaster = new EventBroadcaster({ transport: this.transport, logger: o.logger.child('events'), clock: o.clock });
  }

  /** In the election (leading or standby). */
  get active(): boolean {
    return this.wanted;
  }

  get leading(): boolean {
    return !!this.elector?.isLeader() && this.work !== undefined;
  }

  /** The holder this component last observed ('' before it looked). */
  get leader(): string {
    return this.elector?.getLeader() ?? '';
  }

  get identity(): string {
    return this.o.identity;
  }

  /** Resolves when the election waits on the clock (tests advancing a fake clock). */
  async idle(): Promise<void> {
    await this.elector?.idle();
  }

  async start(): Promise<void> {
    if (this.wanted) return;
    this.wanted = true;
    let started!: (p: Promise<void>) => void;
    const startedWork = new Promise<Promise<void>>((r) => (started = r));
    const elector = this.campaign(started);
    if (!(await elector.firstAttempt)) return;
    try {
      await (await startedWork);
    } catch (e) {
      await this.stop();
      throw e;
    }
  }

  async stop(opts: { release?: boolean } = {}): Promise<void> {
    this.wanted = false;
    await this.stopWork();
    await this.elector?.stop({ release: opts.release ?? true });
    this.elector = undefined;
  }

  /** Stops campaigning and closes the election's client. */
  async close(opts: { release?: boolean } = {}): Promise<void> {
    await this.stop(opts);
    this.broadcaster.close();
    this.transport.close();
  }

  private campaign(onStarted?: (p: Promise<void>) => void): LeaderElector {
    const { o } = this;
    const recorder = this.broadcaster.newRecorder({ component: o.eventSource });
    const elector: LeaderElector = new LeaderElector({
      lock: new LeaseLock({ transport: this.transport, namespace: LEADER_ELECTION_NAMESPACE, name: o.name, identity: o.identity, recorder }),
      leaseDurationMs: o.timing?.leaseDurationMs ?? DEFAULT_LEASE_DURATION_MS,
      renewDeadlineMs: o.timing?.renewDeadlineMs ?? DEFAULT_RENEW_DEADLINE_MS,
      retryPeriodMs: o.timing?.retryPeriodMs ?? DEFAULT_RETRY_PERIOD_MS,
      releaseOnCancel: true,
      name: o.name,
      clock: o.clock,
      logger: o.logger.child('leaderelection'),
      callbacks: {
        onStartedLeading: (signal) => {
          const p = o.run.start().then(async () => {
            if (signal.aborted) await o.run.stop();
          });
          this.work = p;
          onStarted?.(p);
          p.catch((e: unknown) => o.logger.error(`${o.name} failed to start: ${e instanceof Error ? e.message : String(e)}`));
        },
        onStoppedLeading: async () => {
          await this.stopWork();
          if (!this.wanted || this.elector !== elector) return;
          o.logger.error('leaderelection lost');
          this.campaign();
        },
        onNewLeader: (id) => {
          if (id && id !== o.identity) o.logger.info(`new leader elected: ${id}`);
        },
      },
    });
    this.elector = elector;
    void elector.run();
    return elector;
  }

  private async stopWork(): Promise<void> {
    const w = this.work;
    if (!w) return;
    this.work = undefined;
    await w.catch(() => undefined);
    await this.o.run.stop();
  }
}
