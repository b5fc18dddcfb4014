/**
 * The commands the simulated shell knows, as busybox words them: echo, printf, sleep, exit, true, false, :, date,
 * env, hostname, pwd, test/[, and the file commands of ./shell-fs-utils (cat, touch, rm, mkdir, ls). Each is a
 * generator that may yield a sleep effect and returns its exit status; `exit` throws ShellExit. Error messages go
 * to stderr. Which names exist is `isKnownCommand`.
 */
import { fileTest, FS_UTILS } from './shell-fs-utils';
import { errWrite, ShellExit, type Gen, type ShellIO } from './shell-io';

export { ShellExit, type Effect, type Gen, type ShellIO } from './shell-io';

type Util = (args: string[], io: ShellIO) => Gen;

const UNITS: Record<string, number> = { '': 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** busybox sleep: each argument N[smhd] (decimals allowed) or "inf"/"infinity"; they add up. */
export function parseSleep(args: string[]): number | { error: string } {
  if (!args.length) return { error: 'sleep: missing operand' };
  let total = 0;
  for (const a of args) {
    if (/^inf(inity)?$/i.test(a)) return Infinity;
    const m = /^(\d+(?:\.\d*)?|\.\d+)([smhd]?)$/.exec(a);
    if (!m) return { error: `sleep: invalid number '${a}'` };
    total += Number(m[1]) * UNITS[m[2]];
  }
  return Math.round(total);
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number) => String(n).padStart(2, '0');

/** `date` output in UTC: "Thu Jan  1 00:00:00 UTC 2026". */
export function formatDate(ms: number): string {
  const d = new Date(ms);
  const day = String(d.getUTCDate()).padStart(2, ' ');
  return `${DAYS[d.getUTCDay()]} ${MONTHS[d.getUTCMonth()]} ${day} ${p2(d.getUTCHours())}:${p2(d.getUTCMinutes())}:${p2(d.getUTCSeconds())} UTC ${d.getUTCFullYear()}`;
}

function unescape(s: string): string {
  return s.replace(/\\([\\abfnrtv0]|c)/g, (_, c: string) => ({ '\\': '\\', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', '0': '\0', c: '' })[c] ?? c);
}

function* echo(args: string[], io: ShellIO): Gen {
  let newline = true;
  let escapes = false;
  while (args.length && /^-[neE]+$/.test(args[0])) {
    const f = args.shift()!;
    if (f.includes('n')) newline = false;
    if (f.includes('e')) escapes = true;
  }
  const text = args.join(' ');
  io.write((escapes ? unescape(text) : text) + (newline ? '\n' : ''));
  return 0;
}

function* printf(args: string[], io: ShellIO): Gen {
  if (!args.length) {
    errWrite(io, 'printf: usage: printf FORMAT [ARGUMENT...]\n');
    return 1;
  }
  const [format, ...rest] = args;
  let i = 0;
  do {
    io.write(unescape(format).replace(/%([sdi%])/g, (_, c: string) => (c === '%' ? '%' : c === 's' ? (rest[i++] ?? '') : String(parseInt(rest[i++] ?? '0', 10) || 0))));
  } while (i > 0 && i < rest.length);
  return 0;
}

function* sleep(args: string[], io: ShellIO): Gen {
  const ms = parseSleep(args);
  if (typeof ms !== 'number') {
    errWrite(io, `${ms.error}\n`);
    return 1;
  }
  yield { sleepMs: ms };
  return 0;
}

function* exit(args: string[], io: ShellIO): Gen {
  if (!args.length) throw new ShellExit(io.lastStatus);
  if (!/^\d+$/.test(args[0])) {
    errWrite(io, `sh: exit: Illegal number: ${args[0]}\n`);
    throw new ShellExit(2);
  }
  throw new ShellExit(Number(args[0]) % 256);
}

/** test / [: -n -z, the file operators (-e -f -d -s -r -w), = != , -eq -ne -lt -le -gt -ge, and a lone string. */
function* test(args: string[], io: ShellIO, bracket = false): Gen {
  if (bracket) {
    if (args[args.length - 1] !== ']') {
      errWrite(io, 'sh: [: missing ]\n');
      return 2;
    }
    args = args.slice(0, -1);
  }
  let negate = false;
  if (args[0] === '!') {
    negate = true;
    args = args.slice(1);
  }
  let ok: boolean;
  if (args.length === 0) ok = false;
  else if (args.length === 1) ok = args[0] !== '';
  else if (args.length === 2 && (args[0] === '-n' || args[0] === '-z')) ok = args[0] === '-n' ? args[1] !== '' : args[1] === '';
  else if (args.length === 2 && fileTest(args[0], args[1], io) !== undefined) ok = fileTest(args[0], args[1], io)!;
  else if (args.length === 3) {
    const [a, op, b] = args;
    const n = (s: string) => Number(s);
    const cmp: Record<string, () => boolean> = {
      '=': () => a === b,
      '==': () => a === b,
      '!=': () => a !== b,
      '-eq': () => n(a) === n(b),
      '-ne': () => n(a) !== n(b),
      '-lt': () => n(a) < n(b),
      '-le': () => n(a) <= n(b),
      '-gt': () => n(a) > n(b),
      '-ge': () => n(a) >= n(b),
    };
    if (!cmp[op]) {
      errWrite(io, `sh: ${op}: unknown operand\n`);
      return 2;
    }
    ok = cmp[op]();
  } else {
    errWrite(io, 'sh: test: syntax error\n');
    return 2;
  }
  return ok !== negate ? 0 : 1;
}

const UTILS: Record<string, Util> = {
  ...FS_UTILS,
  echo,
  printf,
  sleep,
  exit,
  true: function* () {
    return 0;
  },
  false: function* () {
    return 1;
  },
  ':': function* () {
    return 0;
  },
  date: function* (_args, io) {
    io.write(`${formatDate(io.now())}\n`);
    return 0;
  },
  env: function* (_args, io) {
    for (const [k, v] of io.env) io.write(`${k}=${v}\n`);
    return 0;
  },
  pwd: function* (_args, io) {
    io.write(`${io.env.get('PWD') || '/'}\n`);
    return 0;
  },
  hostname: function* (_args, io) {
    io.write(`${io.hostname}\n`);
    return 0;
  },
  test: (args, io) => test(args, io),
  '[': (args, io) => test(args, io, true),
};

/** The command's name without its directory: "/bin/sleep" → "sleep". */
export const baseName = (cmd: string): string => cmd.slice(cmd.lastIndexOf('/') + 1);

export const isKnownCommand = (cmd: string): boolean => Object.hasOwn(UTILS, baseName(cmd));

/** Run a known utility (check isKnownCommand first). */
export function runUtility(argv: string[], io: ShellIO): Gen {
  return UTILS[baseName(argv[0])](argv.slice(1), io);
}
