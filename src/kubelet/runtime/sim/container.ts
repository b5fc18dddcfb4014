/**
 * One simulated container: its state machine (created → running → exited), its program run on the Clock (the
 * interpreter's generator: each sleep effect becomes one timer, so timing is exact under a FakeClock), its log,
 * and stop semantics (SIGTERM handled or ignored per ./behaviour, SIGKILL at the grace period → 137). Exits are
 * reported through the host's emit as ContainerStopped with the final status. Its file system (./sim-fs) is shared
 * by the program and every exec into it (./exec-session); execs end with 137 when the container stops.
 */
import type { Clock, TimerHandle } from '../../../base/clock';
import { statusOf } from '../container-status';
import { LogBuffer } from '../log-buffer';
import type { ContainerEvent, ContainerSpec, ContainerState, ContainerStatus, ExitReason } from '../runtime';
import { behaviourOf, type Behaviour } from './behaviour';
import { failedPrecondition } from '../errors';
import { ExecSession, type ExecResult } from './exec-session';
import { runArgv } from './shell-run';
import { SimFs } from './sim-fs';
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
  private readonly execs = new Set<ExecSession>();
  /** The container's file system, fresh for every container (a restart is a new container). */
  readonly fs: SimFs;

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
    this.fs = new SimFs(host.hostname);
  }

  status(): ContainerStatus {
    return statusOf(this);
  }

  start(): void {
    this.state = 'running';
    this.startedAt = this.host.clock.now();
    this.event('ContainerStarted');
    if (this.behaviour.oom) return this.finish(137, 'OOMKilled');
    const b = this.behaviour;
    const io = this.io((t) => this.log.write(t));
    this.program = b.httpServer || !b.argv.length ? forever() : runArgv(b.argv, io, forever);
    this.step();
  }

  /**
   * Run argv in the container (CRI ExecSync): the container's environment and file system, output collected,
   * a binary the sim does not know exits 0 (the sim assumes the image's own tools report healthy).
   */
  exec(argv: string[], timeoutMs: number): Promise<ExecResult> {
    if (this.state !== 'running') {
      return Promise.reject(failedPrecondition(`failed to exec in container: container is in CONTAINER_${this.state.toUpperCase()} state`));
    }
    const session = new ExecSession(this.host.clock, timeoutMs, (s) => this.execs.delete(s));
    this.execs.add(session);
    session.run(
      runArgv(argv, this.io(session.write), function* () {
        return 0;
      }),
    );
    return session.result;
  }

  /** A fresh IO for a program of this container: its env, working directory, hostname and file system. */
  private io(write: (text: string) => void): ShellIO {
    const env = new Map<string, string>([
      ['PATH', '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin'],
      ['HOSTNAME', this.host.hostname],
      ['HOME', '/root'],
      ...(this.spec.env ?? []).map((e): [string, string] => [e.name, e.value]),
    ]);
    if (this.spec.workingDir) env.set('PWD', this.spec.workingDir);
    return { write, now: () => this.host.clock.now(), env, hostname: this.host.hostname, lastStatus: 0, fs: this.fs };
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
    for (const e of [...this.execs]) e.end(137);
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
