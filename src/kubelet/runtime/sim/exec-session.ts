/**
 * One exec into a simulated container (CRI ExecSync): a program of the shell interpreter driven on the Clock like
 * the container's own (each sleep effect is one timer), its stdout and stderr collected together (up to
 * MAX_OUTPUT), settled with the exit status. A timeout (ms > 0) stops it and rejects with DeadlineExceeded in
 * containerd's words; `end(code)` (the container stopped, or the runtime was disposed) ends it with that status.
 */
import type { Clock, TimerHandle } from '../../../base/clock';
import { execTimedOut } from '../errors';
import type { Gen } from './shell-io';

export const MAX_OUTPUT = 1024 * 1024;

export interface ExecResult {
  exitCode: number;
  output: string;
}

export class ExecSession {
  private output = '';
  private timer?: TimerHandle;
  private deadline?: TimerHandle;
  private settled = false;
  private program?: Gen;
  readonly result: Promise<ExecResult>;
  private resolve!: (r: ExecResult) => void;
  private reject!: (e: Error) => void;

  constructor(
    private readonly clock: Clock,
    timeoutMs: number,
    private readonly onSettled: (s: ExecSession) => void,
  ) {
    this.result = new Promise<ExecResult>((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
    if (timeoutMs > 0) this.deadline = clock.setTimeout(() => this.settle(execTimedOut(timeoutMs)), timeoutMs);
  }

  /** Where the program's stdout and stderr go. */
  readonly write = (text: string): void => {
    if (this.settled || this.output.length >= MAX_OUTPUT) return;
    this.output += text.slice(0, MAX_OUTPUT - this.output.length);
  };

  /** Start driving `program` (its first step runs now). */
  run(program: Gen): void {
    this.program = program;
    this.step();
  }

  /** End it now with `code` (137 when the container was killed under it). */
  end(code: number): void {
    this.settle(code);
  }

  private step(): void {
    this.timer = undefined;
    if (this.settled || !this.program) return;
    let r: IteratorResult<{ sleepMs: number }, number>;
    try {
      r = this.program.next();
    } catch (e) {
      this.write(`${e instanceof Error ? e.message : String(e)}\n`);
      return this.settle(1);
    }
    if (r.done) return this.settle(r.value);
    if (Number.isFinite(r.value.sleepMs)) this.timer = this.clock.setTimeout(() => this.step(), Math.max(0, r.value.sleepMs));
  }

  private settle(outcome: number | Error): void {
    if (this.settled) return;
    this.settled = true;
    if (this.timer) this.clock.clearTimeout(this.timer);
    if (this.deadline) this.clock.clearTimeout(this.deadline);
    const program = this.program;
    this.program = undefined;
    try {
      program?.return(0);
    } catch {
      // ended from inside its own step: the generator is simply dropped
    }
    this.onSettled(this);
    if (typeof outcome === 'number') this.resolve({ exitCode: outcome, output: this.output });
    else this.reject(outcome);
  }
}
