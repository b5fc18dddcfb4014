/**
 * One exec into a process-runtime container (CRI ExecSync, for exec probes): argv run as a real process with the
 * container's environment and working directory, no shell unless argv[0] is one, in its own process group; stdout
 * and stderr collected together in arrival order (up to MAX_EXEC_OUTPUT characters). It settles with the exit code
 * (128 + n for a signal). timeoutMs > 0, on the Clock: the group is SIGKILLed and the exec rejects DeadlineExceeded
 * in containerd's words. kill() (the container stopped, the runtime was disposed) SIGKILLs it: 137. A program that
 * cannot be executed rejects as containerd's ExecSync does (FailedPrecondition, the closest reason there is).
 * Its memory is not counted against the container's limit.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import type { Clock, TimerHandle } from '../../../base/clock';
import { execTimedOut, RuntimeError } from '../errors';
import { cutOffOutput } from './output-lines';
import { exitCodeOf, signalGroup, trackGroup, untrackGroup } from './process-group';

export const MAX_EXEC_OUTPUT = 1024 * 1024;

export interface ExecResult {
  exitCode: number;
  output: string;
}

export interface ExecOptions {
  clock: Clock;
  argv: string[];
  env: Record<string, string>;
  cwd: string;
  timeoutMs: number;
  /** Named in a start failure's message. */
  containerId: string;
}

export class ProcessExec {
  readonly result: Promise<ExecResult>;
  private child?: ChildProcess;
  private output = '';
  private deadline?: TimerHandle;
  private settled = false;

  constructor(private readonly o: ExecOptions) {
    this.result = new Promise<ExecResult>((resolve, reject) => this.run(resolve, reject));
  }

  /** SIGKILL it (and what it started); the result follows with 137. */
  kill(): void {
    if (this.settled) return;
    if (this.deadline) this.o.clock.clearTimeout(this.deadline);
    this.deadline = undefined;
    if (this.child?.pid !== undefined) signalGroup(this.child.pid, 'SIGKILL');
  }

  /** Runtime dispose: kill it and let go of its output at once. */
  dispose(): void {
    this.kill();
    this.child?.stdout?.destroy();
    this.child?.stderr?.destroy();
  }

  private run(resolve: (r: ExecResult) => void, reject: (e: Error) => void): void {
    const { argv, env, cwd, clock, timeoutMs } = this.o;
    const settle = (outcome: ExecResult | Error) => {
      if (this.settled) return;
      this.settled = true;
      if (this.deadline) clock.clearTimeout(this.deadline);
      if (this.child?.pid !== undefined) untrackGroup(this.child.pid);
      if (outcome instanceof Error) reject(outcome);
      else resolve(outcome);
    };
    try {
      this.child = spawn(argv[0], argv.slice(1), { cwd, env, detached: process.platform !== 'win32', stdio: ['ignore', 'pipe', 'pipe'], windowsHide: true });
    } catch (e) {
      return settle(this.startFailed(e as Error));
    }
    const child = this.child;
    const take = (b: Buffer) => {
      if (this.output.length < MAX_EXEC_OUTPUT) this.output += b.toString('utf8').slice(0, MAX_EXEC_OUTPUT - this.output.length);
    };
    child.stdout!.on('data', take);
    child.stderr!.on('data', take);
    child.on('error', (e) => {
      if (child.pid === undefined) settle(this.startFailed(e));
    });
    child.once('spawn', () => trackGroup(child.pid!));
    child.once('exit', () => {
      if (child.pid !== undefined) signalGroup(child.pid, 'SIGKILL'); // what it left behind dies with it
      cutOffOutput(child);
    });
    child.once('close', (code, signal) => {
      if (child.pid !== undefined) settle({ exitCode: exitCodeOf(code, signal), output: this.output });
    });
    if (timeoutMs > 0) {
      this.deadline = clock.setTimeout(() => {
        this.deadline = undefined;
        this.kill();
        settle(execTimedOut(timeoutMs));
      }, timeoutMs);
    }
  }

  private startFailed(e: Error & { code?: string }): RuntimeError {
    return new RuntimeError(
      'FailedPrecondition',
      `rpc error: code = Unknown desc = failed to exec in container: failed to start exec "${this.o.containerId}": OCI runtime exec failed: exec failed: unable to start container process: ${execWords(this.o.argv[0], e)}: unknown`,
    );
  }
}

/** runc's words for a program that could not be executed. */
export function execWords(file: string, e: Error & { code?: string }): string {
  if (e.code === 'ENOENT') return file.includes('/') ? `exec: "${file}": stat ${file}: no such file or directory` : `exec: "${file}": executable file not found in $PATH`;
  if (e.code === 'EACCES') return `exec: "${file}": permission denied`;
  return `exec: "${file}": ${e.message}`;
}
