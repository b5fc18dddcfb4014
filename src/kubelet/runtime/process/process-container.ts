/**
 * One container of the process runtime: a real child process and its state machine (created → running → exited).
 * - start: spawns the plan (./spawn-plan) detached, so the program leads its own process group; stdin is /dev/null;
 *   stdout and stderr are cut into lines (./output-lines) that go into one LogBuffer in arrival order, stamped on the
 *   Clock. A program that cannot be executed ends at once as containerd's StartError does (exit 128, reason Error,
 *   containerd's message) and start rejects with that message.
 * - stop: the signal goes to the program (containerd's PID 1); a Clock timer SIGKILLs the whole group at the grace
 *   period (137). A program dying of SIGTERM reports 143. Whenever the program exits, what is left of its group is
 *   SIGKILLed, as a container's other processes die with its PID 1.
 * - memory: with resources.limits.memory and ./memory-sampler available, passing the limit SIGKILLs the group:
 *   exit 137, reason OOMKilled.
 * - exec (probes): ./process-exec, with the container's environment and working directory; execs die with it.
 * - exit: recorded when the program exits; final once its output is drained (at most ./output-lines' DRAIN_MS of
 *   real time after the exit, for output held open by an escaped grandchild), then ContainerStopped carries the
 *   final status. dispose lets go of the output at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Clock, TimerHandle } from '../../../base/clock';
import type { Logger } from '../../../base/logger';
import { tryParseQuantity } from '../../../api/quantity';
import { statusOf } from '../container-status';
import { failedPrecondition, RuntimeError } from '../errors';
import { LogBuffer } from '../log-buffer';
import type { ContainerEvent, ContainerSpec, ContainerState, ContainerStatus, ExitReason } from '../runtime';
import type { MemorySampler } from './memory-sampler';
import { cutOffOutput, LineSplitter } from './output-lines';
import { execWords, ProcessExec, type ExecResult } from './process-exec';
import { exitCodeOf, signalGroup, signalProcess, trackGroup, untrackGroup, type StopSignal } from './process-group';
import type { SpawnPlan } from './spawn-plan';

/** Log bounds per container: the last 10,000 lines, at most 8 Mi characters. */
export const LOG_MAX_LINES = 10_000;
export const LOG_MAX_CHARS = 8 * 1024 * 1024;

export interface ProcessHost {
  clock: Clock;
  emit(e: ContainerEvent): void;
  /** Undefined where memory limits cannot be enforced. */
  sampler?: MemorySampler;
  logger: Logger;
}

export class ProcessContainer {
  state: ContainerState = 'created';
  readonly createdAt: number;
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  reason?: ExitReason;
  message?: string;
  readonly log: LogBuffer;
  private child?: ChildProcess;
  private pid?: number;
  private startup?: Promise<void>;
  private exit?: { code: number | null; signal: NodeJS.Signals | null; at: number };
  private oomKilled = false;
  private silent = false;
  private readonly graceTimers = new Set<TimerHandle>();
  private cancelCutOff?: () => void;
  private unwatch?: () => void;
  private exitWaiters: (() => void)[] = [];
  private readonly execs = new Set<ProcessExec>();

  constructor(
    readonly id: string,
    readonly sandboxId: string,
    readonly spec: ContainerSpec,
    readonly imageId: string,
    readonly plan: SpawnPlan,
    private readonly host: ProcessHost,
  ) {
    this.createdAt = host.clock.now();
    this.log = new LogBuffer(() => host.clock.now(), LOG_MAX_LINES, LOG_MAX_CHARS);
  }

  status(): ContainerStatus {
    return statusOf(this);
  }

  /** Whether start may be called: created and not already starting. */
  get startable(): boolean {
    return this.state === 'created' && !this.startup;
  }

  /** Spawn the program; resolves once it runs, rejects (having exited 128) when it cannot be executed. */
  start(): Promise<void> {
    this.startup = this.spawn();
    return this.startup;
  }

  private spawn(): Promise<void> {
    const { file, args, env, cwd } = this.plan;
    let child: ChildProcess;
    try {
      child = spawn(file, args, { cwd, env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (e) {
      return Promise.reject(this.startFailed(e as NodeJS.ErrnoException));
    }
    this.child = child;
    const lines = (text: string, time: number) => this.log.appendLine(text, time);
    const out = new LineSplitter(() => this.host.clock.now(), lines);
    const err = new LineSplitter(() => this.host.clock.now(), lines);
    child.stdout!.on('data', (b: Buffer) => out.write(b));
    child.stderr!.on('data', (b: Buffer) => err.write(b));
    return new Promise<void>((resolve, reject) => {
      child.on('error', (e) => {
        if (this.pid === undefined) reject(this.startFailed(e));
      });
      child.once('spawn', () => {
        this.running(child.pid!);
        resolve();
      });
      child.once('exit', (code, signal) => this.exited(code, signal));
      child.once('close', () => {
        out.end();
        err.end();
        this.finish();
      });
    });
  }

  /** Deliver `signal`, SIGKILL the group after graceMs; resolves once exited. Nothing to do unless running. */
  async stop(graceMs: number, signal: StopSignal = 'SIGTERM'): Promise<void> {
    await this.startup?.catch(() => undefined);
    if (this.state !== 'running') return;
    const exited = this.waitExit();
    if (signal === 'SIGKILL' || graceMs <= 0) {
      this.kill();
      return exited;
    }
    if (!this.exit) signalProcess(this.pid!, signal);
    const t = this.host.clock.setTimeout(() => {
      this.graceTimers.delete(t);
      this.kill();
    }, graceMs);
    this.graceTimers.add(t);
    return exited;
  }

  /** Run argv in the container (CRI ExecSync): its environment and working directory; see ./process-exec. */
  exec(argv: string[], timeoutMs: number): Promise<ExecResult> {
    if (this.state !== 'running' || this.exit) {
      const state = this.state === 'running' ? 'EXITED' : this.state.toUpperCase();
      return Promise.reject(failedPrecondition(`failed to exec in container: container is in CONTAINER_${state} state`));
    }
    if (!argv.length) return Promise.reject(failedPrecondition('failed to exec in container: no command given'));
    const { env, cwd } = this.plan;
    const e = new ProcessExec({ clock: this.host.clock, argv, env, cwd, timeoutMs, containerId: this.id });
    this.execs.add(e);
    const forget = () => this.execs.delete(e);
    e.result.then(forget, forget);
    return e.result;
  }

  /** SIGKILL the group now (grace 0, removal, sandbox stop); resolves once exited. */
  async killAndWait(): Promise<void> {
    await this.startup?.catch(() => undefined);
    if (this.state !== 'running') return;
    this.kill();
    return this.waitExit();
  }

  /** Runtime dispose: kill, drop every timer, end the log; nothing is emitted any more. */
  dispose(): void {
    this.silent = true;
    this.kill();
    for (const e of this.execs) e.dispose();
    this.clearTimers();
    // Output held open by something that escaped the group must not keep the kubelab process alive.
    this.child?.stdout?.destroy();
    this.child?.stderr?.destroy();
    this.log.close();
  }

  private running(pid: number): void {
    this.pid = pid;
    this.state = 'running';
    this.startedAt = this.host.clock.now();
    trackGroup(pid);
    if (this.silent) return void signalGroup(pid, 'SIGKILL'); // disposed while it was being spawned
    this.event('ContainerStarted');
    const limit = tryParseQuantity(this.spec.resources?.limits?.memory);
    const bytes = limit ? Number(limit.value()) : 0;
    if (bytes > 0 && this.host.sampler) {
      this.unwatch = this.host.sampler.watch(pid, bytes, (rss) => {
        if (this.exit) return;
        this.host.logger.info(`container ${this.spec.name} (${this.id.slice(0, 12)}) uses ${rss} bytes, over its limit ${bytes}: OOMKilled`);
        this.oomKilled = true;
        this.kill();
      });
    }
  }

  private kill(): void {
    if (this.pid !== undefined && !this.exit) signalGroup(this.pid, 'SIGKILL');
    for (const e of this.execs) e.kill();
  }

  private exited(code: number | null, signal: NodeJS.Signals | null): void {
    this.exit = { code, signal, at: this.host.clock.now() };
    this.host.logger.debug(`container ${this.spec.name} (${this.id.slice(0, 12)}) exited`, { code, signal });
    if (this.pid !== undefined) {
      signalGroup(this.pid, 'SIGKILL'); // the rest of the "container" dies with its PID 1
      untrackGroup(this.pid);
    }
    for (const e of this.execs) e.kill();
    if (this.child) this.cancelCutOff = cutOffOutput(this.child);
  }

  private finish(): void {
    if (this.state === 'exited' || !this.exit) return;
    this.clearTimers();
    this.state = 'exited';
    this.finishedAt = this.exit.at;
    this.exitCode = this.oomKilled ? 137 : exitCodeOf(this.exit.code, this.exit.signal);
    this.reason = this.oomKilled ? 'OOMKilled' : this.exitCode === 0 ? 'Completed' : 'Error';
    this.log.close();
    this.event('ContainerStopped', this.status());
    this.wake();
  }

  /** The program could not be executed: exit 128 with containerd's StartError message, and the error to reject. */
  private startFailed(e: NodeJS.ErrnoException): RuntimeError {
    const message = `failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: ${execWords(this.plan.file, e)}: unknown`;
    if (this.state === 'created') {
      this.state = 'exited';
      this.finishedAt = this.host.clock.now();
      this.exitCode = 128;
      this.reason = 'Error';
      this.message = message;
      this.log.close();
      this.event('ContainerStopped', this.status());
      this.wake();
    }
    return new RuntimeError('FailedPrecondition', `rpc error: code = Unknown desc = ${message}`);
  }

  private waitExit(): Promise<void> {
    if (this.state === 'exited') return Promise.resolve();
    return new Promise<void>((resolve) => this.exitWaiters.push(resolve));
  }

  private wake(): void {
    const waiters = this.exitWaiters;
    this.exitWaiters = [];
    for (const w of waiters) w();
  }

  private clearTimers(): void {
    for (const t of this.graceTimers) this.host.clock.clearTimeout(t);
    this.graceTimers.clear();
    this.cancelCutOff?.();
    this.cancelCutOff = undefined;
    this.unwatch?.();
    this.unwatch = undefined;
  }

  private event(type: ContainerEvent['type'], status?: ContainerStatus): void {
    if (this.silent) return;
    this.host.emit({ type, containerId: this.id, sandboxId: this.sandboxId, time: this.host.clock.now(), ...(status ? { status } : {}) });
  }
}
