/**
 * Redirections of the simulated shell, applied left to right as POSIX sh does: `>` / `>>` into the container's
 * file system (./sim-fs), `<` from it, `n>&m` duplication, `>&-` closing; /dev/null, /dev/stdout and /dev/stderr
 * are the devices they are. Only fds 0, 1 and 2 exist. The result is a derived IO, or the error ash prints (the
 * command then does not run and its status is 1).
 */
import type { RedirOp } from './shell-lex';
import { resolvePath } from './sim-fs';
import { cwdOf, deriveIO, errWrite, fsOf, type ShellIO } from './shell-io';

/** A redirection with its target already expanded. */
export interface OpenRedir {
  fd: number;
  op: RedirOp;
  target: string;
}

type Sink = (text: string) => void;
const discard: Sink = () => undefined;

export function applyRedirections(io: ShellIO, redirs: OpenRedir[]): ShellIO | { error: string } {
  const fs = fsOf(io);
  const sinks: Record<number, Sink> = { 1: (t) => io.write(t), 2: (t) => errWrite(io, t) };
  let stdin = io.stdin;
  for (const r of redirs) {
    if (r.fd > 2) continue;
    if (r.op === '<&') continue;
    if (r.op === '<') {
      const p = resolvePath(r.target, cwdOf(io));
      if (p === '/dev/null' || p === '/dev/stdin') {
        if (r.fd === 0) stdin = p === '/dev/null' ? '' : stdin;
        continue;
      }
      const kind = fs.kind(p);
      if (!kind) return { error: `sh: can't open ${r.target}: No such file or directory\n` };
      if (r.fd === 0) stdin = fs.read(p) ?? '';
      continue;
    }
    if (r.fd === 0) continue;
    if (r.op === '>&' && (r.target === '1' || r.target === '2')) {
      sinks[r.fd] = sinks[Number(r.target)];
      continue;
    }
    if (r.op === '>&' && r.target === '-') {
      sinks[r.fd] = discard;
      continue;
    }
    const p = resolvePath(r.target, cwdOf(io));
    if (p === '/dev/null') sinks[r.fd] = discard;
    else if (p === '/dev/stdout' || p === '/dev/stderr') sinks[r.fd] = sinks[p === '/dev/stdout' ? 1 : 2];
    else {
      const created = fs.write(p, '', r.op === '>>');
      if (created === 'isdir') return { error: `sh: can't create ${r.target}: Is a directory\n` };
      sinks[r.fd] = fileSink(io, p);
    }
  }
  return deriveIO(io, { write: sinks[1], writeErr: sinks[2], stdin });
}

/** Appends to a file; a full file system is reported once on stderr. */
function fileSink(io: ShellIO, path: string): Sink {
  let reported = false;
  return (text) => {
    if (fsOf(io).write(path, text, true) === 'nospace' && !reported) {
      reported = true;
      errWrite(io, 'sh: write error: No space left on device\n');
    }
  };
}
