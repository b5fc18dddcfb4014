/**
 * The simulated shell's interpreter, driven without a clock: each sleep effect adds to a virtual time. Cases are
 * what a POSIX sh (busybox) prints and returns for the same scripts.
 */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as fc from 'fast-check';
import { runArgv, runScript } from '../../../../../src/kubelet/runtime/sim/shell-run';
import type { Gen, ShellIO } from '../../../../../src/kubelet/runtime/sim/shell-utils';

const START = Date.UTC(2026, 0, 1);

/** Run a generator to its end; returns the status, the output and the virtual time slept. */
function drive(make: (io: ShellIO) => Gen, env: Record<string, string> = {}, maxMs = 1e9): { code: number | 'forever'; out: string; ms: number } {
  let out = '';
  let ms = 0;
  const io: ShellIO = { write: (t) => (out += t), now: () => START + ms, env: new Map(Object.entries(env)), hostname: 'pod-1', lastStatus: 0 };
  const g = make(io);
  for (;;) {
    const r = g.next();
    if (r.done) return { code: r.value, out, ms };
    if (!Number.isFinite(r.value.sleepMs) || ms + r.value.sleepMs > maxMs) return { code: 'forever', out, ms };
    ms += r.value.sleepMs;
  }
}

const sh = (script: string, env?: Record<string, string>, maxMs?: number) => drive((io) => runScript(script, io), env, maxMs);
const exec = (argv: string[], env?: Record<string, string>) =>
  drive((io) =>
    runArgv(argv, io, function* () {
      yield { sleepMs: Infinity };
      return 0;
    }),
  env);

describe('sim shell: sh -c scripts', () => {
  const cases: [script: string, out: string, code: number][] = [
    ['echo hello', 'hello\n', 0],
    ['echo -n a; echo b', 'ab\n', 0],
    ['echo "a   b"   c', 'a   b c\n', 0],
    ["echo 'it''s' \"q\\\"x\"", 'its q"x\n', 0],
    ['exit 3', '', 3],
    ['exit 256', '', 0],
    ['exit 300', '', 44],
    ['exit abc', 'sh: exit: Illegal number: abc\n', 2],
    ['false; echo $?', '1\n', 0],
    ['true && echo a || echo b', 'a\n', 0],
    ['false && echo a || echo b', 'b\n', 0],
    ['false || false || echo c', 'c\n', 0],
    ['echo a && false', 'a\n', 1],
    ['! false', '', 0],
    ['! true', '', 1],
    ['cat', '', 0],
    ['cat /etc/nothing', "cat: can't open '/etc/nothing': No such file or directory\n", 1],
    ['nosuchcmd arg', 'sh: nosuchcmd: not found\n', 127],
    ['echo a; exit 1; echo never', 'a\n', 1],
    ['( exit 4 ); echo $?', '4\n', 0],
    ['A=1; ( A=2; echo $A ); echo $A', '2\n1\n', 0],
    ['{ echo a; echo b; } >/dev/null; echo c', 'c\n', 0],
    ['echo x >/dev/null; echo y 2>&1', 'y\n', 0],
    ['X=1; Y=$((X+2*3)); echo $Y', '7\n', 0],
    ['i=0; while [ $i -lt 3 ]; do echo $i; i=$((i+1)); done', '0\n1\n2\n', 0],
    ['until true; do echo never; done; echo out', 'out\n', 0],
    ['for f in a b c; do echo -n $f; done; echo', 'abc\n', 0],
    ['if false; then echo a; elif true; then echo b; else echo c; fi', 'b\n', 0],
    ['if [ "$NAME" = kube ]; then echo yes; fi', 'yes\n', 0],
    ['echo "$(echo inner) and ${NAME}"', 'inner and kube\n', 0],
    ['printf "%s-%s\\n" a b', 'a-b\n', 0],
    ['echo one # a comment', 'one\n', 0],
    ['echo a\necho b', 'a\nb\n', 0],
    ['sh -c "echo nested; exit 5"; echo $?', 'nested\n5\n', 0],
    ['echo "unterminated', 'sh: syntax error: unterminated quoted string\n', 2],
    ['echo a; ; fi', 'sh: syntax error: unexpected "fi"\n', 2],
    ['while true; do', 'sh: syntax error: unexpected end of file\n', 2],
    ['sleep x', "sleep: invalid number 'x'\n", 1],
    ['hostname', 'pod-1\n', 0],
    ['pwd; PWD=/app; pwd', '/\n/app\n', 0],
    ['date', 'Thu Jan  1 00:00:00 UTC 2026\n', 0],
  ];
  for (const [script, out, code] of cases) {
    it(JSON.stringify(script), () => {
      const r = sh(script, { NAME: 'kube' });
      assert.deepEqual({ out: r.out, code: r.code }, { out, code });
    });
  }

  it('sleep takes its time; durations add; suffixes as busybox', () => {
    for (const [script, ms] of [['sleep 2', 2000], ['sleep 0.5; sleep 1.5', 2000], ['sleep 1m', 60_000], ['sleep 1 2', 3000], ['sleep 1h', 3_600_000], ['sleep .25', 250]] as const) {
      const r = sh(script);
      assert.deepEqual([r.code, r.ms], [0, ms], script);
    }
    assert.equal(sh('sleep infinity').code, 'forever');
  });

  it('echo output and sleeps interleave in time (date after a sleep)', () => {
    assert.equal(sh('sleep 61; date').out, 'Thu Jan  1 00:01:01 UTC 2026\n');
  });

  it('a loop with a sleep runs forever, printing at its period', () => {
    const r = sh('while true; do echo tick; sleep 10; done', {}, 35_000);
    assert.equal(r.code, 'forever');
    assert.equal(r.out, 'tick\n'.repeat(4));
  });

  it('a busy loop yields 1 ms after every 1,000 commands', () => {
    const r = sh('while :; do true; done', {}, 5);
    assert.equal(r.code, 'forever');
    assert.ok(r.ms >= 4);
  });

  it('property: exit N returns N mod 256 and echo prints its words', () => {
    fc.assert(
      fc.property(fc.nat(100_000), fc.array(fc.stringMatching(/^[a-z0-9]{1,8}$/), { maxLength: 5 }), (n, words) => {
        const r = sh(`echo ${words.join(' ')}; exit ${n}`);
        assert.deepEqual([r.out, r.code], [`${words.join(' ')}\n`, n % 256]);
      }),
    );
  });
});

describe('sim shell: exec of an argv', () => {
  it('sh -c runs the script; a shell without -c exits 0 (empty stdin)', () => {
    assert.deepEqual(exec(['/bin/sh', '-c', 'echo $0ok; exit 7']), { code: 7, out: 'shok\n', ms: 0 });
    assert.deepEqual(exec(['bash']), { code: 0, out: '', ms: 0 });
  });

  it('known utilities run directly without a shell', () => {
    assert.deepEqual(exec(['sleep', '5']), { code: 0, out: '', ms: 5000 });
    assert.deepEqual(exec(['/bin/echo', 'a', '$HOME']), { code: 0, out: 'a $HOME\n', ms: 0 }, 'no shell: no expansion');
    assert.deepEqual(exec(['false']), { code: 1, out: '', ms: 0 });
    assert.deepEqual(exec(['exit', '2']), { code: 2, out: '', ms: 0 });
    assert.equal(exec(['env'], { A: 'b' }).out, 'A=b\n');
  });

  it('anything else is handed to the unknown-program handler (the sim: runs until stopped)', () => {
    assert.equal(exec(['/app/server', '--port=8080']).code, 'forever');
  });
});
