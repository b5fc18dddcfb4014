/**
 * Signals for the process runtime's programs. Each program is spawned detached, so it leads its own process group
 * (POSIX); killing "the container" means SIGKILL to that whole group, so children it started die too. The stop
 * signal itself goes to the program alone, as containerd sends it to the container's PID 1.
 *
 * Exit codes as containerd reports them: a program's own code, or 128 + the number of the signal it died of
 * (SIGKILL 137, SIGTERM 143, SIGINT 130).
 *
 * Every live group is remembered; when the kubelab process exits (normally or by an uncaught error), the 'exit' hook
 * SIGKILLs them all, so no program outlives it. A kubelab process killed by SIGKILL cannot run the hook: its
 * programs are then left running. On Windows there are no process groups: the program alone is signalled.
 */
import { constants } from 'node:os';

export type StopSignal = 'SIGTERM' | 'SIGKILL' | 'SIGINT' | 'SIGQUIT';

const groups = new Set<number>();
let hooked = false;

const killAllGroups = (): void => {
  for (const pid of groups) signalGroup(pid, 'SIGKILL');
  groups.clear();
};

/** Remember a live group (its leader's pid) so the exit hook can kill it. */
export function trackGroup(pid: number): void {
  if (!hooked) {
    hooked = true;
    process.on('exit', killAllGroups);
  }
  groups.add(pid);
}

export function untrackGroup(pid: number): void {
  groups.delete(pid);
}

/**
 * Signal the group led by pid (the program and what it started; a program that made itself a session leader still
 * leads a group of that id); false when the group is gone. On Windows, the program alone.
 */
export function signalGroup(pid: number, signal: NodeJS.Signals): boolean {
  if (process.platform === 'win32') return signalProcess(pid, signal);
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Signal the program alone; false when it is gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** The exit code containerd reports for a process that exited with `code` or died of `signal`. */
export function exitCodeOf(code: number | null, signal: NodeJS.Signals | null): number {
  if (signal) return 128 + ((constants.signals as Record<string, number>)[signal] ?? 0);
  return code ?? 0;
}
