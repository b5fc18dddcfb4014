/**
 * One simulated container: its state machine (created → running → exited), its program run on the Clock (the
 * interpreter's generator: each sleep effect becomes one timer, so timing is exact under a FakeClock), its log,
 * and stop semantics (SIGTERM handled or ignored per ./behaviour, SIGKILL at the grace period → 137). Exits are
 * reported through the host's emit as ContainerStopped with the final status.
 */
import type { Clock, TimerHandle } from '../../../base/clock';
import type { ContainerEvent, ContainerSpec, ContainerState, ContainerStatus, ExitReason } from '../runtime';
import { behaviourOf, type Behaviour } from './behaviour';
import { LogBuffer } from './log-buffer';
import { runArgv } from './shell-run';
import type { Gen, ShellIO } from './shell-utils';

export interface ContainerHost {
  clock: Clock;
  emit(e: ContainerEvent): void;
  hostname: string;
}

/** An application the sim cannot interpret: it runs until stopped. */
export function* forever(): Gen {
  yield { sleepMs: Infinity };
  return 0;
}

export class SimContainer {
  state: ContainerState = 'created';
  readonly createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: ExitReason;
  message?: string;
  readonly log: LogBuffer;
  readonly behaviour: Behaviour;
  private program?: Gen;
  private timers = new Set<TimerHandle>();
  private exitWaiters: (() => void)[] = [];

  constructor(
    readonly id: string,
    readonly sandboxId: string,
    readonly spec: ContainerSpec,
    readonly imageId: string,
    private readonly host: ContainerHost,
  ) {
    this.createdAt = host.clock.now();
    this.log = new LogBuffer(() => host.clock.now());
    this.behaviour = behaviourOf(spec);
  }

  status(): ContainerStatus {
    const s: ContainerStatus = {
      id: this.id,
      sandboxId: this.sandboxId,
      name: this.spec.name,
      image: this.spec.image,
      imageId: this.imageId,
      state: this.state,
      createdAt: this.createdAt,
    };
    if (this.startedAt !== undefined) s.startedAt = this.startedAt;
    if (this.state === 'exited') Object.assign(s, { finishedAt: this.finishedAt, exitCode: this.exitCode, reason: this.reason });
    if (this.message !== undefined) s.message = this.message;
    return s;
  }

  start(): void {
    this.state = 'running';
    this.startedAt = this.host.clock.now();
    this.event('ContainerStarted');
    if (this.behaviour.oom) return this.finish(137, 'OOMKilled');
    const b = this.behaviour;
    const env = new Map<string, string>([
      ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['HOSTNAME', this.host.hostname],
      ['HOME', '/root'],
      ...(this.spec.env ?? []).map((e): [string, string] => [e.name, e.value]),
    ]);
    if (this.spec.workingDir) env.set('PWD', this.spec.workingDir);
    const io: ShellIO = { write: (t) => this.log.write(t), now: () => this.host.clock.now(), env, hostname: this.host.hostname, lastStatus: 0 };
    this.program = b.httpServer || !b.argv.length ? forever() : runArgv(b.argv, io, forever);
    this.step();
  }

  /** Deliver a signal; resolves once exited. */
  stop(graceMs: number, signal: string = 'SIGTERM'): Promise<void> {
    if (this.state !== 'running') return Promise.resolve();
    const exited = new Promise<void>((resolve) => this.exitWaiters.push(resolve));
    if (signal === 'SIGKILL' || graceMs <= 0) {
      this.finish(137);
      return exited;
    }
    const b = this.behaviour;
    if (b.sigterm === 'exit' && b.stopDelayMs < graceMs) this.after(b.stopDelayMs, () => this.finish(0));
    this.after(graceMs, () => this.finish(137));
    return exited;
  }

  /** Kill at once (removal, sandbox stop, runtime dispose). */
  kill(): void {
    if (this.state === 'running') this.finish(137);
  }

  /** Drop timers without emitting anything (runtime dispose). */
  dispose(): void {
    for (const t of this.timers) this.host.clock.clearTimeout(t);
    this.timers.clear();
  }

  private step(): void {
    if (this.state !== 'running' || !this.program) return;
    let r: IteratorResult<{ sleepMs: number }, number>;
    try {
      r = this.program.next();
    } catch (e) {
      this.message = e instanceof Error ? e.message : String(e);
      return this.finish(1);
    }
    if (r.done) return this.finish(r.value);
    if (Number.isFinite(r.value.sleepMs)) this.after(Math.max(0, r.value.sleepMs), () => this.step());
  }

  private after(ms: number, fn: () => void): void {
    const t = this.host.clock.setTimeout(() => {
      this.timers.delete(t);
      fn();
    }, ms);
    this.timers.add(t);
  }

  private finish(code: number, reason?: ExitReason): void {
    if (this.state !== 'running') return;
    this.dispose();
    const program = this.program;
    this.program = undefined;
    try {
      program?.return(code);
    } catch {
      // finished from inside its own step (a listener stopped it): the generator is simply dropped
    }
    this.state = 'exited';
    this.finishedAt = this.host.clock.now();
    this.exitCode = code;
    this.reason = reason ?? (code === 0 ? 'Completed' : 'Error');
    this.log.close();
    this.event('ContainerStopped', this.status());
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const w of waiters) w();
  }

  private event(type: ContainerEvent['type'], status?: ContainerStatus): void {
    this.host.emit({ type, containerId: this.id, sandboxId: this.sandboxId, time: this.host.clock.now(), ...(status ? { status } : {}) });
  }
}
