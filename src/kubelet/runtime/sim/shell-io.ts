/**
 * What a simulated program sees of the world: its output streams, stdin, environment, clock, hostname and the
 * container's file system (./sim-fs), plus the effect protocol — a program is a generator that yields sleep
 * effects and returns its exit status; `exit` throws ShellExit.
 *
 * Contract: `write` is stdout; `writeErr` is stderr (absent: stderr goes to `write`); `stdin` is the whole input
 * (absent: empty, as /dev/null); `fs` is shared by everything running in one container (absent: prepareIO gives
 * the run a private one). IOs are derived with Object.create, so a child inherits what it does not override.
 */
import { SimFs } from './sim-fs';

/** What a running command asks of its driver: wait this long (Infinity: forever, until killed). */
export interface Effect {
  sleepMs: number;
}

export type Gen = Generator<Effect, number, void>;

/** Thrown by `exit`; ends the (sub)shell with `code`. */
export class ShellExit {
  constructor(readonly code: number) {}
}

export interface ShellIO {
  write(text: string): void;
  writeErr?(text: string): void;
  stdin?: string;
  fs?: SimFs;
  now(): number;
  env: Map<string, string>;
  hostname: string;
  /** Status of the last command ($?). */
  lastStatus: number;
}

/** Pin stderr and the file system on an IO before anything derives from it (idempotent). */
export function prepareIO(io: ShellIO): ShellIO {
  if (!io.writeErr) {
    const root = io;
    io.writeErr = (t) => root.write(t);
  }
  io.fs ??= new SimFs(io.hostname);
  return io;
}

/** Write to the IO's stderr. */
export const errWrite = (io: ShellIO, text: string): void => (io.writeErr ? io.writeErr(text) : io.write(text));

/** The IO's file system (a throwaway one when it has none). */
export const fsOf = (io: ShellIO): SimFs => (io.fs ??= new SimFs(io.hostname));

/** The working directory ($PWD, default /). */
export const cwdOf = (io: ShellIO): string => io.env.get('PWD') || '/';

/** A child IO that overrides some members and inherits the rest. */
export function deriveIO(io: ShellIO, overrides: Partial<ShellIO>): ShellIO {
  const child: ShellIO = Object.create(io);
  for (const [k, v] of Object.entries(overrides)) Object.defineProperty(child, k, { value: v, writable: true, enumerable: true, configurable: true });
  return child;
}
