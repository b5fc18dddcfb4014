/**
 * The simulated shell's file commands over the container's in-memory file system (./sim-fs), worded as busybox:
 * cat (files, "-" and stdin), touch, rm [-f] [-r], mkdir [-p], ls, and the file operators of test/[ (-e -f -d -s
 * -r -w). Each is a generator returning its exit status, like the other utilities (./shell-utils).
 */
import { resolvePath } from './sim-fs';
import { cwdOf, errWrite, fsOf, type Gen, type ShellIO } from './shell-io';

type Util = (args: string[], io: ShellIO) => Gen;

const abs = (io: ShellIO, path: string) => resolvePath(path, cwdOf(io));

/** Split leading "-xyz" flag arguments (until "--" or the first operand) into a set of letters. */
function flags(args: string[]): { set: Set<string>; rest: string[] } {
  const set = new Set<string>();
  let i = 0;
  for (; i < args.length && /^-[A-Za-z]+$/.test(args[i]); i++) for (const c of args[i].slice(1)) set.add(c);
  if (args[i] === '--') i++;
  return { set, rest: args.slice(i) };
}

function* cat(args: string[], io: ShellIO): Gen {
  const fs = fsOf(io);
  let status = 0;
  for (const f of args.length ? args : ['-']) {
    if (f === '-') {
      io.write(io.stdin ?? '');
      continue;
    }
    const p = abs(io, f);
    const kind = fs.kind(p);
    if (kind === 'dir') {
      errWrite(io, 'cat: read error: Is a directory\n');
      status = 1;
    } else if (kind === 'file') {
      io.write(fs.read(p) ?? '');
    } else {
      errWrite(io, `cat: can't open '${f}': No such file or directory\n`);
      status = 1;
    }
  }
  return status;
}

function* touch(args: string[], io: ShellIO): Gen {
  const { rest } = flags(args);
  if (!rest.length) {
    errWrite(io, 'touch: missing operand\n');
    return 1;
  }
  let status = 0;
  for (const f of rest) {
    if (fsOf(io).touch(abs(io, f)) !== 'ok') {
      errWrite(io, `touch: ${f}: No space left on device\n`);
      status = 1;
    }
  }
  return status;
}

function* rm(args: string[], io: ShellIO): Gen {
  const { set, rest } = flags(args);
  const force = set.has('f');
  const recursive = set.has('r') || set.has('R');
  if (!rest.length && !force) {
    errWrite(io, 'rm: missing operand\n');
    return 1;
  }
  let status = 0;
  for (const f of rest) {
    const r = fsOf(io).remove(abs(io, f), recursive);
    if (r === 'missing' && force) continue;
    if (r !== 'ok') {
      errWrite(io, `rm: can't remove '${f}': ${r === 'missing' ? 'No such file or directory' : 'Is a directory'}\n`);
      status = 1;
    }
  }
  return status;
}

const MKDIR_ERRORS = { exists: 'File exists', noparent: 'No such file or directory', notdir: 'Not a directory' } as const;

function* mkdir(args: string[], io: ShellIO): Gen {
  const { set, rest } = flags(args);
  if (!rest.length) {
    errWrite(io, 'mkdir: missing operand\n');
    return 1;
  }
  let status = 0;
  for (const d of rest) {
    const r = fsOf(io).mkdir(abs(io, d), set.has('p'));
    if (r !== 'ok') {
      errWrite(io, `mkdir: can't create directory '${d}': ${MKDIR_ERRORS[r]}\n`);
      status = 1;
    }
  }
  return status;
}

function* ls(args: string[], io: ShellIO): Gen {
  const { rest } = flags(args);
  const fs = fsOf(io);
  let status = 0;
  const targets = rest.length ? rest : ['.'];
  for (const t of targets) {
    const p = abs(io, t);
    const kind = fs.kind(p);
    if (!kind) {
      errWrite(io, `ls: ${t}: No such file or directory\n`);
      status = 1;
    } else if (kind === 'file') {
      io.write(`${t}\n`);
    } else {
      if (targets.length > 1) io.write(`${t}:\n`);
      for (const name of fs.list(p)) io.write(`${name}\n`);
    }
  }
  return status;
}

export const FS_UTILS: Record<string, Util> = { cat, touch, rm, mkdir, ls };

/** The unary file operators of test/[: undefined when `op` is not one. */
export function fileTest(op: string, path: string, io: ShellIO): boolean | undefined {
  if (!/^-[efdsrw]$/.test(op)) return undefined;
  const fs = fsOf(io);
  const p = abs(io, path);
  const kind = fs.kind(p);
  switch (op) {
    case '-f':
      return kind === 'file';
    case '-d':
      return kind === 'dir';
    case '-s':
      return kind === 'dir' || (kind === 'file' && (fs.read(p) ?? '').length > 0);
    default:
      return kind !== undefined;
  }
}
