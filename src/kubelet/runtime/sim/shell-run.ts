/**
 * The simulated shell's interpreter: runs a parsed script (./shell-parse) or a container's argv as generators that
 * yield sleep effects (./shell-utils) and return the exit status, so a driver can run them on any Clock with exact
 * timing. `sh -c SCRIPT` / `bash -c` run SCRIPT; a syntax error prints "sh: …" and exits 2; an unknown command in a
 * script prints "sh: NAME: not found" and returns 127. Redirections go through ./shell-redirect; in a pipeline the
 * commands run one after another, each one's stdout (up to MAX_PIPE bytes) being the next one's stdin. After every
 * MAX_BURST commands without a sleep the interpreter yields a 1 ms sleep, so a busy loop
 * (`while true; do echo x; done`) cannot block the event loop.
 */
import { deriveIO, errWrite, prepareIO } from './shell-io';
import { ShellSyntaxError } from './shell-lex';
import { parseScript, type Command, type List, type Pipeline, type Word } from './shell-parse';
import { applyRedirections, type OpenRedir } from './shell-redirect';
import { baseName, isKnownCommand, runUtility, ShellExit, type Gen, type ShellIO } from './shell-utils';

const MAX_BURST = 1000;
const MAX_PIPE = 64 * 1024;
const SHELLS = new Set(['sh', 'bash', 'ash', 'dash']);

/** Per-run state beyond ShellIO: the burst counter. */
interface RunState {
  io: ShellIO;
  burst: number;
}

export const isShell = (argv0: string): boolean => SHELLS.has(baseName(argv0));

/** Run `script` as `sh -c` would: a fresh exit boundary; syntax errors exit 2. */
export function* runScript(script: string, io: ShellIO): Gen {
  prepareIO(io);
  let list: List;
  try {
    list = parseScript(script);
  } catch (e) {
    if (!(e instanceof ShellSyntaxError)) throw e;
    errWrite(io, `sh: ${e.message}\n`);
    return 2;
  }
  try {
    return yield* runList(list, { io, burst: 0 });
  } catch (e) {
    if (e instanceof ShellExit) return e.code;
    throw e;
  }
}

/**
 * Run one argv as an exec'd process. A shell runs its -c script (no -c: stdin is empty, so it exits 0); a known
 * utility runs; `unknown` decides for anything else (the sim treats it as an application that runs until stopped).
 */
export function* runArgv(argv: string[], io: ShellIO, unknown: (argv: string[]) => Gen): Gen {
  prepareIO(io);
  if (isShell(argv[0])) {
    const c = argv.indexOf('-c', 1);
    if (c < 0) return 0;
    return yield* runScript(argv[c + 1] ?? '', io);
  }
  if (!isKnownCommand(argv[0])) return yield* unknown(argv);
  try {
    return yield* runUtility(argv, io);
  } catch (e) {
    if (e instanceof ShellExit) return e.code;
    throw e;
  }
}

function* runList(list: List, st: RunState): Gen {
  let status = 0;
  for (const item of list) {
    status = yield* runPipeline(item.first, st);
    for (const { op, pipeline } of item.rest) {
      if ((op === '&&') === (status === 0)) status = yield* runPipeline(pipeline, st);
    }
    st.io.lastStatus = status;
  }
  return status;
}

function* runPipeline(p: Pipeline, st: RunState): Gen {
  let status = 0;
  let piped: string | undefined;
  for (let i = 0; i < p.commands.length; i++) {
    const last = i === p.commands.length - 1;
    if (!last || piped !== undefined) {
      // stdout of one command is the next one's stdin; the last one's stdout is the pipeline's
      let captured = '';
      const io = deriveIO(st.io, {
        ...(piped === undefined ? {} : { stdin: piped }),
        ...(last ? {} : { write: (t: string) => void (captured.length < MAX_PIPE && (captured += t.slice(0, MAX_PIPE - captured.length))) }),
      });
      status = yield* runCommand(p.commands[i], { ...st, io });
      piped = captured;
    } else {
      status = yield* runCommand(p.commands[i], st);
    }
  }
  if (p.negate) status = status === 0 ? 1 : 0;
  st.io.lastStatus = status;
  return status;
}

function* runCommand(cmd: Command, st: RunState): Gen {
  if (cmd.redirs?.length) {
    const open: OpenRedir[] = [];
    for (const r of cmd.redirs) open.push({ fd: r.fd, op: r.op, target: yield* expandWord(r.target, st) });
    const io = applyRedirections(st.io, open);
    if ('error' in io) {
      errWrite(st.io, io.error);
      return (st.io.lastStatus = 1);
    }
    try {
      return yield* runCommand({ ...cmd, redirs: undefined }, { ...st, io });
    } finally {
      st.io.lastStatus = io.lastStatus;
    }
  }
  switch (cmd.kind) {
    case 'group': {
      if (!cmd.subshell) return yield* runList(cmd.body, st);
      // ( … ): its variables and its exit stay inside
      const sub: ShellIO = Object.create(st.io);
      sub.env = new Map(st.io.env);
      try {
        return yield* runList(cmd.body, { ...st, io: sub });
      } catch (e) {
        if (e instanceof ShellExit) return e.code;
        throw e;
      }
    }
    case 'loop': {
      let status = 0;
      for (;;) {
        const c = yield* runList(cmd.cond, st);
        if ((c === 0) === cmd.until) return status;
        status = yield* runList(cmd.body, st);
        yield* breathe(st);
      }
    }
    case 'for': {
      let status = 0;
      const items: string[] = [];
      for (const w of cmd.items) items.push(...(yield* expandWord(w, st)).split(/\s+/).filter(Boolean));
      for (const item of items) {
        st.io.env.set(cmd.name, item);
        status = yield* runList(cmd.body, st);
      }
      return status;
    }
    case 'if': {
      for (const b of cmd.branches) if ((yield* runList(b.cond, st)) === 0) return yield* runList(b.body, st);
      return cmd.otherwise ? yield* runList(cmd.otherwise, st) : 0;
    }
    case 'simple':
      return yield* runSimple(cmd, st);
  }
}

function* breathe(st: RunState): Gen {
  if (++st.burst >= MAX_BURST) {
    st.burst = 0;
    yield { sleepMs: 1 };
  }
  return 0;
}

function* runSimple(cmd: Extract<Command, { kind: 'simple' }>, st: RunState): Gen {
  yield* breathe(st);
  for (const a of cmd.assigns) st.io.env.set(a.name, yield* expandWord(a.value, st));
  const argv: string[] = [];
  for (const w of cmd.words) {
    const v = yield* expandWord(w, st);
    // Unquoted expansions are split into fields; a word with quoted text stays one word.
    if (w.some((p) => p.t === 'lit' && p.quoted) || w.every((p) => p.t === 'lit')) argv.push(v);
    else argv.push(...v.split(/\s+/).filter(Boolean));
  }
  if (!argv.length) return 0;
  if (isShell(argv[0])) return yield* runArgv(argv, st.io, function* () {
    return 0;
  });
  if (!isKnownCommand(argv[0])) {
    errWrite(st.io, `sh: ${argv[0]}: not found\n`);
    return 127;
  }
  return yield* runUtility(argv, st.io);
}

/** Expand a word's parts: variables, $(…) (its output, trailing newlines cut), $((…)). */
function* expandWord(word: Word, st: RunState): Generator<{ sleepMs: number }, string, void> {
  let out = '';
  for (const p of word) {
    if (p.t === 'lit') out += p.v;
    else if (p.t === 'var') out += variable(p.name, st.io);
    else if (p.t === 'arith') out += String(arithmetic(p.expr, st.io));
    else {
      let captured = '';
      const sub: ShellIO = Object.create(st.io, { write: { value: (t: string) => (captured += t) } });
      sub.env = new Map(st.io.env);
      st.io.lastStatus = yield* runScript(p.src, sub);
      out += captured.replace(/\n+$/, '');
    }
  }
  return out;
}

function variable(name: string, io: ShellIO): string {
  if (name === '?') return String(io.lastStatus);
  if (name === '$') return '1';
  if (name === '0') return 'sh';
  if (name === '#') return '0';
  return io.env.get(name) ?? '';
}

/** $((…)) over integers: + - * / % ( ), unary -, variables by name or $name. Errors evaluate to 0. */
export function arithmetic(expr: string, io: ShellIO): number {
  const tokens = expr.match(/\d+|[A-Za-z_][A-Za-z0-9_]*|\$[A-Za-z_][A-Za-z0-9_]*|[-+*/%()]/g) ?? [];
  let i = 0;
  const atom = (): number => {
    const t = tokens[i++];
    if (t === '(') {
      const v = sum();
      i++;
      return v;
    }
    if (t === '-') return -atom();
    if (t === '+') return atom();
    if (t === undefined) return 0;
    if (/^\d+$/.test(t)) return Number(t);
    return Number(io.env.get(t.replace(/^\$/, '')) ?? 0) || 0;
  };
  const product = (): number => {
    let v = atom();
    while (tokens[i] === '*' || tokens[i] === '/' || tokens[i] === '%') {
      const op = tokens[i++];
      const r = atom();
      v = op === '*' ? v * r : r === 0 ? 0 : op === '/' ? Math.trunc(v / r) : v % r;
    }
    return v;
  };
  const sum = (): number => {
    let v = product();
    while (tokens[i] === '+' || tokens[i] === '-') v = tokens[i++] === '+' ? v + product() : v - product();
    return v;
  };
  return sum();
}
